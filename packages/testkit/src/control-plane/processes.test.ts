import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProcess } from './processes.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ManagedProcess', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs output and reports the exit code', async () => {
    dir = await mkdtemp(join(tmpdir(), 'proc-'));
    const p = ManagedProcess.start({
      name: 'sh',
      command: 'sh',
      args: ['-c', 'echo hello; echo oops >&2; exit 3'],
      logFile: join(dir, 'log'),
    });
    await expect(p.exit).resolves.toEqual({ code: 3, signal: null });
    expect(await p.logTail()).toBe('hello\noops');
    await expect(p.exitError()).resolves.toMatchObject({
      code: 'process-failed',
      message: /code 3.*\n.*hello/s,
    });
  });

  it('reports a command that does not exist', async () => {
    dir = await mkdtemp(join(tmpdir(), 'proc-'));
    const p = ManagedProcess.start({
      name: 'x',
      command: join(dir, 'nope'),
      args: [],
      logFile: join(dir, 'log'),
    });
    expect((await p.exit).error?.message).toMatch(/ENOENT/);
  });

  it('stops with SIGTERM, then SIGKILL when ignored', async () => {
    dir = await mkdtemp(join(tmpdir(), 'proc-'));
    const p = ManagedProcess.start({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', 'trap "" TERM; while :; do sleep 0.1; done'],
      logFile: join(dir, 'log'),
    });
    await new Promise((r) => setTimeout(r, 200));
    await p.stop(300);
    expect(p.exited?.signal).toBe('SIGKILL');
  });

  it('is killed, and its directory removed, when the parent dies', async () => {
    dir = await mkdtemp(join(tmpdir(), 'proc-'));
    const work = join(dir, 'work');
    // A Node parent that starts a child through ManagedProcess and prints its pid, then is
    // SIGKILLed. Run node itself (with tsx as a loader), not tsx's wrapper process.
    const script = join(dir, 'parent.mts');
    await writeFile(
      script,
      [
        `import { mkdirSync } from 'node:fs';`,
        `import { ManagedProcess } from ${JSON.stringify(new URL('./processes.ts', import.meta.url).href)};`,
        `mkdirSync(${JSON.stringify(work)});`,
        `const p = ManagedProcess.start({ name: 'sleep', command: 'sleep', args: ['60'],`,
        `  logFile: ${JSON.stringify(join(dir, 'log'))}, cleanupDir: ${JSON.stringify(work)} });`,
        `console.log(p.pid);`,
        `setInterval(() => {}, 1000);`,
      ].join('\n'),
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    expect(alive(childPid)).toBe(true);
    expect(existsSync(work)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(() => !alive(childPid) && !existsSync(work));
    // No stray watchdog is left either.
    const left = execFileSync('ps', ['-eo', 'args']).toString();
    expect(left).not.toContain(`${parent.pid} ${childPid}`);
  }, 15_000);
});
