import { describe, expect, it } from 'vitest';

import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('redacts credentials and keys by path', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(line) },
    });
    logger.info(
      {
        req: {
          headers: { authorization: 'Bearer secret-token', 'x-forwarded-access-token': 't2' },
        },
        apiKey: 'nvapi-test-unit',
        request: { apiKey: 'nvapi-test-nested', body: { apiKey: 'x' } },
        body: 'raw body',
      },
      'hello',
    );
    const text = lines.join('');
    for (const secret of [
      'secret-token',
      't2',
      'nvapi-test-unit',
      'nvapi-test-nested',
      'raw body',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
