import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { ObjectRef } from '../../api/types.js';
import { createTracked } from './tracked-create.js';

const ref: ObjectRef = { kind: 'ServingRuntime', name: 'llama' };

describe('createTracked', () => {
  it('records a created object', async () => {
    const created: ObjectRef[] = [];
    await expect(createTracked(created, ref, async () => 'ok')).resolves.toBe('ok');
    expect(created).toEqual([ref]);
  });

  it('records an object whose answer failed to parse: it exists and must be rolled back', async () => {
    const created: ObjectRef[] = [];
    const unreadable = async (): Promise<never> => {
      throw new z.ZodError([]);
    };
    await expect(createTracked(created, ref, unreadable)).rejects.toBeInstanceOf(z.ZodError);
    expect(created).toEqual([ref]);
  });

  it('does not record an object the apiserver refused', async () => {
    const created: ObjectRef[] = [];
    const refused = async (): Promise<never> => {
      throw Object.assign(new Error('forbidden'), { code: 403 });
    };
    await expect(createTracked(created, ref, refused)).rejects.toThrow('forbidden');
    expect(created).toEqual([]);
  });
});
