import { describe, expect, it } from 'vitest';

import { parseServerConfig } from './config.js';

describe('parseServerConfig', () => {
  it('has defaults', () => {
    expect(parseServerConfig([], {})).toMatchObject({
      applicationsNamespace: undefined,
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      ngcTimeoutMs: 10_000,
      help: false,
    });
  });

  it('reads the environment, and flags win', () => {
    const env = {
      NIM_APPLICATIONS_NAMESPACE: 'from-env',
      NGC_BASE_URL: 'http://127.0.0.1:9999',
      NIM_REGISTRY: 'mirror.local',
      PORT: '9090',
      KUBECONFIG: '/tmp/kc',
    };
    expect(parseServerConfig(['-n', 'from-flag', '--port', '8181'], env)).toMatchObject({
      applicationsNamespace: 'from-flag',
      ngcBaseUrl: 'http://127.0.0.1:9999',
      registry: 'mirror.local',
      port: 8181,
      kubeconfig: '/tmp/kc',
    });
  });

  it('rejects malformed values', () => {
    expect(() => parseServerConfig(['--port', 'http'], {})).toThrow(/port/);
    expect(() => parseServerConfig([], { NGC_BASE_URL: 'not a url' })).toThrow(/URL/);
    expect(() => parseServerConfig(['--nope'], {})).toThrow();
  });
});
