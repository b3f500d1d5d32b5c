// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConfigResponse, ModelsResponse } from '../api/types.js';
import { App } from './App.js';
import { mockModel } from './wizard/test-models.js';

const source = { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false };
const config: ConfigResponse = {
  enabled: true,
  keyValidation: true,
  keyCollection: true,
  applicationsNamespace: 'opendatahub',
  catalogSource: source,
  catalogState: 'ready',
  registry: 'nvcr.io',
  templates: [{ protocol: 'http', name: 'nvidia-nim-runtime-http', installed: true }],
  nimConfigCrd: { state: 'supported' },
};
const models: ModelsResponse = { state: 'ready', source, models: [mockModel()], warnings: [] };

type Answer = { status: number; body: unknown };

/** Answers fetch by path; anything unlisted is a 404 in the API's error shape. */
function mockApi(answers: Record<string, Answer>): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL) => {
      const path = new URL(String(input)).pathname;
      const answer = answers[path] ?? {
        status: 404,
        body: { code: 'not-found', message: `No route ${path}.` },
      };
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const base = {
  '/api/nim/config': ok(config),
  '/api/nim/models': ok(models),
  '/api/projects': ok({ projects: [{ name: 'demo' }] }),
  '/api/whoami': ok({ username: 'alice', groups: [] }),
  '/api/namespaces/demo/nim/api-key': ok({ exists: false }),
};

beforeEach(() => {
  window.location.hash = '#/projects/demo/deployments';
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('App', () => {
  it('shows the empty state of a project without deployments', async () => {
    mockApi({ ...base, '/api/namespaces/demo/nim/deployments': ok({ deployments: [] }) });
    render(<App />);
    expect(await screen.findByTestId('deployments-empty')).toBeTruthy();
    expect(screen.getByTestId('username').textContent).toContain('alice');
  });

  it('says NIM is disabled by the administrator', async () => {
    mockApi({ ...base, '/api/nim/config': ok({ ...config, enabled: false }) });
    render(<App />);
    expect((await screen.findByTestId('error-state-disabled')).textContent).toContain(
      'NVIDIA NIM is disabled',
    );
  });

  it('shows a permission error for a forbidden project, not a crash', async () => {
    mockApi({
      ...base,
      '/api/namespaces/demo/nim/deployments': {
        status: 403,
        body: { code: 'forbidden', message: 'deployments is forbidden', kubernetesStatus: 403 },
      },
    });
    render(<App />);
    expect((await screen.findByTestId('error-state-forbidden')).textContent).toContain(
      'project "demo"',
    );
  });

  it('warns that the catalog is not installed and blocks deploying', async () => {
    mockApi({
      ...base,
      '/api/nim/models': ok({
        ...models,
        state: 'catalog-not-installed',
        models: [],
        message: 'ConfigMap nvidia-nim-models-data not found in opendatahub.',
      }),
      '/api/namespaces/demo/nim/deployments': ok({ deployments: [] }),
    });
    render(<App />);
    expect((await screen.findByTestId('catalog-alert')).textContent).toContain(
      'The NIM model catalog is not installed',
    );
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('button', { name: 'Deploy NIM model' })[0]
          ?.getAttribute('aria-disabled'),
      ).toBe('true'),
    );
  });

  it('shows the catalog error in place of the wizard', async () => {
    window.location.hash = '#/projects/demo/deploy';
    mockApi({
      ...base,
      '/api/nim/models': ok({ ...models, state: 'catalog-not-installed', models: [] }),
      '/api/namespaces/demo/nim/deployments': ok({ deployments: [] }),
    });
    render(<App />);
    expect(await screen.findByTestId('error-state-catalog')).toBeTruthy();
  });
});
