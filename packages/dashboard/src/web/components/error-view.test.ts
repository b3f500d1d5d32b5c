import { describe, expect, it } from 'vitest';

import { ApiRequestError } from '../api/client.js';
import { describeApiError } from './error-view.js';

const error = (code: ApiRequestError['code'], status: number, message = 'boom') =>
  new ApiRequestError({ code, status, message });

describe('describeApiError', () => {
  it('explains a permission error with the project name and does not offer a retry', () => {
    const view = describeApiError(error('forbidden', 403), {
      what: 'NIM deployments',
      namespace: 'team-a',
    });
    expect(view.kind).toBe('forbidden');
    expect(view.body).toContain('project "team-a"');
    expect(view.retryable).toBe(false);
  });

  it('says NIM is disabled by the administrator', () => {
    const view = describeApiError(error('nim-disabled', 403), { what: 'NIM models' });
    expect(view.kind).toBe('disabled');
    expect(view.body).toMatch(/administrator/);
  });

  it('says the catalog is not installed', () => {
    expect(describeApiError(error('catalog-not-installed', 409), { what: 'x' }).kind).toBe(
      'catalog',
    );
  });

  it('keeps the message of other errors and offers a retry', () => {
    const view = describeApiError(error('kubernetes-error', 500, 'etcd is down'), {
      what: 'NIM deployments',
    });
    expect(view).toMatchObject({
      kind: 'generic',
      title: 'Could not load NIM deployments',
      body: 'etcd is down',
      retryable: true,
    });
    expect(describeApiError(error('network', 0, 'offline'), { what: 'x' }).kind).toBe(
      'unreachable',
    );
  });
});
