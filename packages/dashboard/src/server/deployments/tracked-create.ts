import { z } from 'zod';

import type { ObjectRef, RollbackReport } from '../../api/types.js';
import { kubernetesMessageOf } from '../k8s/errors.js';

type UndoOutcome = 'removed' | 'restored' | 'none';

/** What a deploy attempt wrote so far, each with its undo; a rollback runs them newest first. */
export class DeployUndo {
  private readonly steps: { ref: ObjectRef; undo: () => Promise<UndoOutcome> }[] = [];

  add(ref: ObjectRef, undo: () => Promise<UndoOutcome>): void {
    this.steps.push({ ref, undo });
  }

  /** Runs every undo, newest first, and reports each outcome; one failing does not stop the rest. */
  async run(): Promise<RollbackReport> {
    const report: RollbackReport = { removed: [], restored: [], failed: [] };
    for (const { ref, undo } of [...this.steps].reverse()) {
      try {
        const outcome = await undo();
        if (outcome === 'removed') report.removed.push(ref);
        else if (outcome === 'restored') report.restored.push(ref);
      } catch (error) {
        report.failed.push({ ...ref, message: kubernetesMessageOf(error) });
      }
    }
    return report;
  }
}

/**
 * Runs a create and registers `remove` as its undo once the apiserver has stored the object. The
 * create helpers check the apiserver's answer with zod after the object exists: a ZodError
 * therefore still means "created" (and `remove` gets no answer), unlike an apiserver rejection.
 */
export async function createTracked<T>(
  undo: DeployUndo,
  ref: ObjectRef,
  create: () => Promise<T>,
  remove: (created: T | undefined) => Promise<boolean>,
): Promise<T> {
  const register = (created: T | undefined): void =>
    undo.add(ref, async () => ((await remove(created)) ? 'removed' : 'none'));
  try {
    const result = await create();
    register(result);
    return result;
  } catch (error) {
    if (error instanceof z.ZodError) register(undefined);
    throw error;
  }
}
