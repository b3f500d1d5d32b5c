import { describe, expect, it } from 'vitest';

import { formatRoute, parseRoute } from './routing.js';

describe('parseRoute', () => {
  it('reads the deployments page of a project', () => {
    expect(parseRoute('#/projects/demo/deployments')).toEqual({
      page: 'deployments',
      namespace: 'demo',
    });
    expect(parseRoute('#/projects/demo')).toEqual({ page: 'deployments', namespace: 'demo' });
  });

  it('reads the deploy wizard of a project', () => {
    expect(parseRoute('#/projects/team-a/deploy')).toEqual({ page: 'deploy', namespace: 'team-a' });
  });

  it('falls back to the deployments page without a project', () => {
    expect(parseRoute('')).toEqual({ page: 'deployments' });
    expect(parseRoute('#/')).toEqual({ page: 'deployments' });
    expect(parseRoute('#/somewhere/else')).toEqual({ page: 'deployments' });
    expect(parseRoute('#/projects/Not_A_Name/deploy')).toEqual({ page: 'deployments' });
    expect(parseRoute('#/projects/%E0%A4%A')).toEqual({ page: 'deployments' });
  });
});

describe('formatRoute', () => {
  it('round-trips with parseRoute', () => {
    for (const route of [
      { page: 'deployments', namespace: 'demo' },
      { page: 'deploy', namespace: 'demo' },
      { page: 'deployments' },
    ] as const) {
      expect(parseRoute(formatRoute(route))).toEqual(route);
    }
  });
});
