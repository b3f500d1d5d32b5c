import { describe, expect, it } from 'vitest';

import { isLoopbackHost } from './oauth-proxy.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1:8080', '127.0.0.1', 'localhost:8080', '[::1]:8080', '[::1]'])(
    'accepts %s',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each([undefined, 'evil.example:8080', 'localhost.evil.example', '127.0.0.1.nip.io', '[::2]'])(
    'refuses %s',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});
