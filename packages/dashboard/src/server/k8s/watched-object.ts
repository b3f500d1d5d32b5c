import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { z } from 'zod';

import { kubernetesMessageOf, statusCodeOf } from './errors.js';
import { listSchema } from './object-meta.js';

/** Options of {@link WatchedObject}. */
export interface WatchedObjectOptions {
  kubeConfig: KubeConfig;
  /** Collection path, e.g. `/api/v1/namespaces/opendatahub/configmaps`. */
  path: string;
  name: string;
  /** Lists the collection filtered by `fieldSelector` (the raw list answer). */
  list: (fieldSelector: string) => Promise<unknown>;
  /** Called with the object whenever it changes, and `undefined` when it is absent. */
  onChange: (object: unknown) => void;
  logger: Logger;
  /** First and longest wait before retrying a failed list or watch, in ms. */
  retry?: { minMs: number; maxMs: number };
}

const eventObjectSchema = z.looseObject({
  metadata: z
    .looseObject({ resourceVersion: z.string().optional(), name: z.string().optional() })
    .optional(),
  code: z.number().optional(),
});

/**
 * Keeps one named object current with a list then a watch (fieldSelector `metadata.name`), so
 * readers never call the apiserver. A missing object or a missing API (CRD not installed) reads
 * as `undefined`; failures are retried with backoff, keeping the last known value meanwhile.
 */
export class WatchedObject {
  private readonly watch: Watch;
  private readonly fieldSelector: string;
  private readonly retry: { minMs: number; maxMs: number };
  private resourceVersion = '';
  // null until the first answer, so the first state (present or absent) is always reported.
  private currentVersion: string | undefined | null = null;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: WatchedObjectOptions) {
    this.watch = new Watch(options.kubeConfig);
    this.fieldSelector = `metadata.name=${options.name}`;
    this.retry = options.retry ?? { minMs: 500, maxMs: 30_000 };
  }

  /** Starts; resolves once the first list has answered (or failed). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listThenWatch();
  }

  /** Stops watching; no callback fires afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private async listThenWatch(): Promise<void> {
    if (this.stopped) return;
    let list: z.infer<typeof listSchema>;
    try {
      list = listSchema.parse(await this.options.list(this.fieldSelector));
    } catch (error) {
      const status = statusCodeOf(error);
      // NB: 404 on a list means the API itself is missing (CRD not installed): the object is absent.
      if (status === 404) this.emit(undefined, undefined);
      this.options.logger.warn(
        { path: this.options.path, name: this.options.name, status },
        `listing ${this.options.name} failed: ${kubernetesMessageOf(error)}`,
      );
      this.scheduleRetry();
      return;
    }
    if (this.stopped) return;
    const object = list.items.find((item) => nameOf(item) === this.options.name);
    this.emit(object, versionOf(object));
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    await this.startWatch();
  }

  private async startWatch(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    try {
      this.abort = await this.watch.watch(
        this.options.path,
        {
          fieldSelector: this.fieldSelector,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
        },
        (phase, object: unknown) => {
          if (this.stopped) return;
          const parsed = eventObjectSchema.safeParse(object);
          if (phase === 'ERROR') {
            gone = parsed.success && parsed.data.code === 410;
            return;
          }
          const version = parsed.success ? parsed.data.metadata?.resourceVersion : undefined;
          if (version) this.resourceVersion = version;
          this.failures = 0;
          if (phase === 'ADDED' || phase === 'MODIFIED') this.emit(object, version);
          else if (phase === 'DELETED') this.emit(undefined, undefined);
        },
        (error: unknown) => {
          this.abort = undefined;
          if (this.stopped) return;
          if (gone || statusCodeOf(error) === 410) {
            this.resourceVersion = '';
            void this.listThenWatch();
          } else if (error) {
            this.scheduleRetry();
          } else {
            // The apiserver closes watches after a while: resume from the last version seen.
            void this.startWatch();
          }
        },
      );
    } catch (error) {
      this.options.logger.warn(
        { path: this.options.path, name: this.options.name },
        `watching ${this.options.name} failed: ${kubernetesMessageOf(error)}`,
      );
      this.scheduleRetry();
    }
  }

  private emit(object: unknown, version: string | undefined): void {
    const key = object === undefined ? undefined : (version ?? '?');
    if (key === this.currentVersion) return;
    this.currentVersion = key;
    this.options.onChange(object);
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = Math.min(this.retry.maxMs, this.retry.minMs * 2 ** this.failures);
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.resourceVersion = '';
      void this.listThenWatch();
    }, delay);
    this.timer.unref();
  }
}

function nameOf(object: unknown): string | undefined {
  const parsed = eventObjectSchema.safeParse(object);
  return parsed.success ? parsed.data.metadata?.name : undefined;
}

function versionOf(object: unknown): string | undefined {
  const parsed = eventObjectSchema.safeParse(object);
  return parsed.success ? parsed.data.metadata?.resourceVersion : undefined;
}
