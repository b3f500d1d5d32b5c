// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConfigResponse } from '../../api/types.js';
import { DeployWizard } from './DeployWizard.js';
import { mockModel } from './test-models.js';

const config: ConfigResponse = {
  enabled: true,
  keyValidation: true,
  keyCollection: true,
  applicationsNamespace: 'opendatahub',
  catalogSource: { name: 'nvidia-nim-models-data', namespace: 'opendatahub', custom: false },
  catalogState: 'ready',
  registry: 'nvcr.io',
  templates: [],
  nimConfigCrd: { state: 'supported' },
};

function renderWizard(overrides: Partial<ConfigResponse> = {}) {
  render(
    <DeployWizard
      namespace="demo"
      config={{ ...config, ...overrides }}
      models={[mockModel()]}
      onCancel={vi.fn()}
      onDone={vi.fn()}
    />,
  );
}

const navItems = () =>
  screen
    .getByRole('navigation', { name: 'Deploy steps' })
    .querySelectorAll('.pf-v6-c-wizard__nav-link');

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) =>
      String(input).endsWith('/api-key')
        ? new Response(JSON.stringify({ exists: false }))
        : new Response(JSON.stringify({ deployments: [] })),
    ),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('DeployWizard', () => {
  it('has the five steps, later ones locked until a model is chosen', () => {
    renderWizard();
    expect([...navItems()].map((item) => item.textContent)).toEqual([
      'Model',
      'Version',
      'Deployment',
      'NGC API key',
      'Review',
    ]);
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Review' }).hasAttribute('disabled')).toBe(true);
  });

  it('skips the key step when the administrator turned key collection off', () => {
    renderWizard({ keyCollection: false });
    expect([...navItems()].map((item) => item.textContent)).toEqual([
      'Model',
      'Version',
      'Deployment',
      'Review',
    ]);
  });
});
