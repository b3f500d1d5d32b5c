import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { ObjectRef } from '../../api/types.js';
import { createTracked, DeployUndo } from './tracked-create.js';

const ref: ObjectRef = { kind: 'ServingRuntime', name: 'llama' };

describe('createTracked', () => {
  it('registers the undo of a created object, with the answer', async () => {
    const undo = new DeployUndo();
    const removed: unknown[] = [];
    const remove = async (created: string | undefined) => {
      removed.push(created);
      return true;
    };
    await expect(createTracked(undo, ref, async () => 'ok', remove)).resolves.toBe('ok');
    expect(await undo.run()).toEqual({ removed: [ref], restored: [], failed: [] });
    expect(removed).toEqual(['ok']);
  });

  it('registers an object whose answer failed to parse: it exists and must be rolled back', async () => {
    const undo = new DeployUndo();
    const unreadable = async (): Promise<never> => {
      throw new z.ZodError([]);
    };
    await expect(createTracked(undo, ref, unreadable, async () => true)).rejects.toBeInstanceOf(
      z.ZodError,
    );
    expect((await undo.run()).removed).toEqual([ref]);
  });

  it('registers nothing for an object the apiserver refused', async () => {
    const undo = new DeployUndo();
    const refused = async (): Promise<never> => {
      throw Object.assign(new Error('forbidden'), { code: 403 });
    };
    await expect(createTracked(undo, ref, refused, async () => true)).rejects.toThrow('forbidden');
    expect(await undo.run()).toEqual({ removed: [], restored: [], failed: [] });
  });
});

describe('DeployUndo', () => {
  it('undoes newest first, reports each outcome and keeps going after a failure', async () => {
    const undo = new DeployUndo();
    const order: string[] = [];
    const step = (name: string, outcome: 'removed' | 'restored' | 'none' | Error) => async () => {
      order.push(name);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    };
    undo.add({ kind: 'ServingRuntime', name: 'a' }, step('a', 'removed'));
    undo.add({ kind: 'Secret', name: 'b' }, step('b', 'restored'));
    undo.add({ kind: 'Secret', name: 'c' }, step('c', new Error('boom')));
    undo.add({ kind: 'InferenceService', name: 'd' }, step('d', 'none'));
    const report = await undo.run();
    expect(order).toEqual(['d', 'c', 'b', 'a']);
    expect(report.removed).toEqual([{ kind: 'ServingRuntime', name: 'a' }]);
    expect(report.restored).toEqual([{ kind: 'Secret', name: 'b' }]);
    expect(report.failed).toEqual([
      { kind: 'Secret', name: 'c', message: 'the apiserver could not be reached (Error)' },
    ]);
  });
});
