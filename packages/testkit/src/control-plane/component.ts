import { pollUntil } from './api-errors.js';
import { ManagedProcess, type ProcessSpec } from './processes.js';

/**
 * One part of the test cluster (etcd, kube-apiserver, kube-controller-manager, a node), as in
 * envtest: started on its own, stopped on its own, and rolled back by whoever started it.
 */
export interface Component {
  readonly name: string;
  /** Graceful stop; safe to call twice. */
  stop(): Promise<void>;
  /** Synchronous last resort for an exit handler. */
  killNow(): void;
}

/** A component that is one process: stopping it stops the process. */
export abstract class ProcessComponent implements Component {
  abstract readonly name: string;

  protected constructor(protected readonly process: ManagedProcess) {}

  stop(): Promise<void> {
    return this.process.stop();
  }

  killNow(): void {
    this.process.killNow();
  }
}

/**
 * Spawns a process and waits until `ready` says so. If it exits first, the error carries the
 * end of its log; if it never gets ready, it is stopped before the error is thrown.
 */
export async function startReadyProcess(
  spec: ProcessSpec,
  what: string,
  timeoutMs: number,
  ready: () => Promise<boolean>,
): Promise<ManagedProcess> {
  const child = ManagedProcess.start(spec);
  try {
    await pollUntil(what, timeoutMs, async () => {
      if (child.exited) throw await child.exitError();
      return (await ready()) ? true : undefined;
    });
    return child;
  } catch (error) {
    const exited = child.exited;
    await child.stop().catch(() => undefined);
    throw exited ? await child.exitError() : error;
  }
}

/** Stops components newest first, collecting failures instead of stopping at the first. */
export async function stopAll(components: readonly Component[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const component of [...components].reverse()) {
    await component.stop().catch((error: unknown) => errors.push(error));
  }
  return errors;
}
