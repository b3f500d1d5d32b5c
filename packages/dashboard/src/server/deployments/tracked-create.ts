import { z } from 'zod';

import type { ObjectRef } from '../../api/types.js';

/**
 * Runs a create and records `ref` in `created` once the apiserver has stored the object, so a
 * rollback removes it. The create helpers check the apiserver's answer with zod after the
 * object exists: a ZodError therefore still means "created", unlike an apiserver rejection.
 */
export async function createTracked<T>(
  created: ObjectRef[],
  ref: ObjectRef,
  create: () => Promise<T>,
): Promise<T> {
  try {
    const result = await create();
    created.push(ref);
    return result;
  } catch (error) {
    if (error instanceof z.ZodError) created.push(ref);
    throw error;
  }
}
