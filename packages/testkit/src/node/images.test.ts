import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../control-plane/ports.js';
import {
  buildTestBinaries,
  buildTestImages,
  parseBuildOutput,
  type TestBinaries,
} from './images.js';

// A cold build of the Go modules takes a minute or more on a loaded 2-core machine.
const BUILD_TIMEOUT = 15 * 60_000;
const KEY = 'nvapi-test-standin-0000000000000000';

describe('parseBuildOutput', () => {
  it('reads key=value lines, splitting at the first =', () => {
    const out = parseBuildOutput(
      'pause.ref=localhost/odh-nim/pause:3.10-local\nnoise\nmodel:nvcr.io/nim/a/b:1=/c/m.tar\n',
    );
    expect(out.get('pause.ref')).toBe('localhost/odh-nim/pause:3.10-local');
    expect(out.get('model:nvcr.io/nim/a/b:1')).toBe('/c/m.tar');
    expect(out.size).toBe(2);
  });
});

interface Standin {
  readonly url: string;
  readonly child: ChildProcess;
  logs(): string;
}

const running: ChildProcess[] = [];
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nim-standin-test-'));
  await chmod(dir, 0o755); // traversable by the unprivileged UID some tests run as
  tempDirs.push(dir);
  return dir;
}

async function startStandin(
  bin: string,
  env: Record<string, string>,
  ids: { uid?: number; gid?: number } = {},
): Promise<Standin> {
  const port = await getFreePort();
  // Not process.env: a real NGC_API_KEY of the developer must not leak in.
  const child = spawn(bin, [], {
    env: { NIM_STANDIN_LISTEN_HOST: '127.0.0.1', NIM_SERVER_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ids,
  });
  running.push(child);
  let logs = '';
  child.stdout?.on('data', (c: Buffer) => (logs += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (logs += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (child.exitCode !== null) break;
    const live = await fetch(`${url}/v1/health/live`).catch(() => undefined);
    if (live?.status === 200) return { url, child, logs: () => logs };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nim-standin did not come up on ${url}:\n${logs}`);
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

function chat(url: string, body: string): Promise<{ status: number; body: unknown }> {
  return json(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

async function waitForReady(url: string, timeoutMs: number): Promise<number> {
  let status = 0;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    status = (await fetch(`${url}/v1/health/ready`)).status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return status;
}

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('nim-standin', () => {
  let bins: TestBinaries;
  beforeAll(async () => {
    bins = await buildTestBinaries();
  }, BUILD_TIMEOUT);

  it('stays unready without NGC_API_KEY, while live', async () => {
    const s = await startStandin(bins.nimStandin, { NIM_CACHE_PATH: await tempDir() });
    const ready = await json(`${s.url}/v1/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      object: 'error',
      code: 503,
      message: expect.stringContaining('NGC_API_KEY is not set'),
    });
    expect((await json(`${s.url}/v1/health/live`)).body).toEqual({
      object: 'health.response',
      message: 'Service is live.',
    });
    const answer = await chat(s.url, '{"messages":[{"role":"user","content":"hi"}]}');
    expect(answer.status).toBe(503);
  });

  it('stays unready while NIM_CACHE_PATH is not writable, and gets ready once it is', async () => {
    // Root writes anywhere, so run as an unprivileged UID, as a pod on OpenShift does.
    const root = process.getuid?.() === 0;
    const dir = await tempDir();
    const bin = join(dir, 'nim-standin');
    await copyFile(bins.nimStandin, bin); // the build cache may sit under a 0700 home
    await chmod(bin, 0o755);
    const cache = join(dir, 'cache');
    await mkdir(cache, { mode: 0o555 });
    await chmod(cache, 0o555);
    const s = await startStandin(
      bin,
      { NGC_API_KEY: KEY, NIM_CACHE_PATH: cache },
      root ? { uid: 65534, gid: 65534 } : {},
    );
    const ready = await json(`${s.url}/v1/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      message: expect.stringMatching(/NIM_CACHE_PATH .* is not writable: permission denied/),
    });

    await chmod(cache, 0o777); // a volume made writable later: NIM re-checks, so does this
    expect(await waitForReady(s.url, 10_000)).toBe(200);
    expect(s.logs()).not.toContain(KEY);
  });

  it('is ready with a key and a writable cache, and writes the model into the cache', async () => {
    const cache = await tempDir();
    const s = await startStandin(bins.nimStandin, {
      NGC_API_KEY: KEY,
      NIM_CACHE_PATH: cache,
      NIM_STANDIN_MODEL: 'meta/llama3-8b-instruct',
    });
    const ready = await json(`${s.url}/v1/health/ready`);
    expect(ready).toEqual({
      status: 200,
      body: { object: 'health.response', message: 'Service is ready.' },
    });
    const marker = join(cache, 'ngc/hub/models--meta--llama3-8b-instruct/nim-standin.json');
    expect(JSON.parse(await readFile(marker, 'utf8'))).toMatchObject({
      model: 'meta/llama3-8b-instruct',
    });
    expect(await readdir(cache)).toEqual(['ngc']); // the write probe is gone
    expect(s.logs()).toContain('ready');
    expect(s.logs()).not.toContain(KEY);
    expect(await readFile(marker, 'utf8')).not.toContain(KEY);
  });

  it('lists NIM_SERVED_MODEL_NAME in /v1/models, in the shape NIM answers', async () => {
    const s = await startStandin(bins.nimStandin, {
      NGC_API_KEY: KEY,
      NIM_CACHE_PATH: await tempDir(),
      NIM_SERVED_MODEL_NAME: 'my-llama',
      NIM_STANDIN_MODEL: 'meta/llama3-8b-instruct',
    });
    const models = await json(`${s.url}/v1/models`);
    expect(models.status).toBe(200);
    expect(models.body).toMatchObject({
      object: 'list',
      data: [
        {
          id: 'my-llama',
          object: 'model',
          owned_by: 'system',
          root: 'my-llama',
          created: expect.any(Number),
        },
      ],
    });
  });

  it('derives the model from NIM_MODEL_NAME when no name is given', async () => {
    const s = await startStandin(bins.nimStandin, {
      NIM_MODEL_NAME: 'ngc://nim/meta/llama-3.1-8b-instruct:1.3.3',
    });
    const models = await json(`${s.url}/v1/models`);
    expect(models.body).toMatchObject({ data: [{ id: 'meta/llama-3.1-8b-instruct' }] });
  });

  it('answers chat completions in the OpenAI shape, and rejects bad requests', async () => {
    const s = await startStandin(bins.nimStandin, {
      NGC_API_KEY: KEY,
      NIM_CACHE_PATH: await tempDir(),
      NIM_STANDIN_MODEL: 'meta/llama3-8b-instruct',
    });
    const ok = await chat(
      s.url,
      JSON.stringify({
        model: 'meta/llama3-8b-instruct',
        messages: [{ role: 'user', content: 'Say hello' }],
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'meta/llama3-8b-instruct',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'NIM stand-in for meta/llama3-8b-instruct received: Say hello',
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 7, total_tokens: 9 },
    });

    const bad = await chat(s.url, '{"model": "meta/llama3-8b-instruct", "messages": [');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ object: 'error', type: 'BadRequestError', code: 400 });

    // NB: vLLM, which NIM runs, answers an unknown model 404 NotFoundError.
    const unknown = await chat(
      s.url,
      '{"model":"other","messages":[{"role":"user","content":"x"}]}',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      type: 'NotFoundError',
      message: expect.stringContaining('other'),
    });

    const metrics = await (await fetch(`${s.url}/v1/metrics`)).text();
    expect(metrics).toContain('request_success_total{model_name="meta/llama3-8b-instruct"} 1\n');
    expect(metrics).toContain('request_failure_total{model_name="meta/llama3-8b-instruct"} 2\n');
  });

  it('exits 0 on SIGTERM, as the kubelet stops it', async () => {
    const s = await startStandin(bins.nimStandin, {});
    const exit = new Promise<number | null>((resolve) => s.child.once('exit', resolve));
    s.child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

/** A member of a tarball, read with tar(1) so the test needs no tar library. */
function tarMember(tar: string, member: string): Buffer {
  return execFileSync('tar', ['-xOf', tar, member], { maxBuffer: 64 << 20 });
}

function imageOf(tar: string): {
  repoTags: string[];
  config: { Entrypoint?: string[]; User?: string; Env?: string[] };
  os: string;
  files: string[];
} {
  const [manifest] = JSON.parse(tarMember(tar, 'manifest.json').toString()) as {
    Config: string;
    RepoTags: string[];
    Layers: string[];
  }[];
  if (!manifest) throw new Error(`${tar} has no manifest`);
  const config = JSON.parse(tarMember(tar, manifest.Config).toString()) as {
    os: string;
    config: { Entrypoint?: string[]; User?: string; Env?: string[] };
  };
  const files = manifest.Layers.flatMap((layer) =>
    execFileSync('tar', ['-tz'], { input: tarMember(tar, layer) })
      .toString()
      .split('\n')
      .filter(Boolean),
  );
  return { repoTags: manifest.RepoTags, config: config.config, os: config.os, files };
}

describe('buildTestImages', () => {
  it(
    'assembles pause, the stand-in and a model image, each one static file on an empty base',
    async () => {
      const ref = 'nvcr.io/nim/meta/llama3-8b-instruct:1.0.0';
      const images = await buildTestImages({ models: [ref] });
      expect(images.pause.ref).toBe('localhost/odh-nim/pause:3.10-local');
      expect(images.nimStandin.ref).toMatch(/^localhost\/odh-nim\/nim-standin:\d+\.\d+\.\d+$/);

      const pause = imageOf(images.pause.tar);
      expect(pause).toMatchObject({
        repoTags: [images.pause.ref],
        os: 'linux',
        config: { Entrypoint: ['/pause'], User: '65535:65535' },
        files: ['pause'],
      });

      const standin = imageOf(images.nimStandin.tar);
      expect(standin.repoTags).toEqual([images.nimStandin.ref]);
      expect(standin.config.Entrypoint).toEqual(['/nim-standin']);
      // Numeric and non-zero, so runAsNonRoot passes; no shell, nothing but the binary.
      expect(standin.config.User).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(standin.files).toEqual(['nim-standin', 'tmp/']);

      expect(images.models).toEqual([{ ref, tar: expect.stringMatching(/\.tar$/) }]);
      const model = imageOf(images.models[0]!.tar);
      expect(model.repoTags).toEqual([ref]);
      expect(model.config.Env).toContain('NIM_STANDIN_MODEL=meta/llama3-8b-instruct');
      expect(model.files).toEqual(standin.files);
    },
    BUILD_TIMEOUT,
  );
});
