import { ApiException } from '@kubernetes/client-node';

import type { KubeObject } from './objects.js';
import {
  apiVersionOf,
  type ObjectRef,
  type ResourceClient,
  type ResourceKind,
} from './resource-client.js';

/** An apiserver-style failure, as `@kubernetes/client-node` throws it. */
export function apiError(code: number, reason: string, message = reason): ApiException<string> {
  return new ApiException(
    code,
    message,
    JSON.stringify({ kind: 'Status', status: 'Failure', reason, message, code }),
    {},
  );
}

/** One call the fake saw, for assertions. */
export interface FakeCall {
  verb: 'list' | 'get' | 'create' | 'mergePatch' | 'delete';
  ref: string;
  dryRun?: boolean;
  body?: unknown;
}

/**
 * An in-memory {@link ResourceClient} for unit tests: objects keyed by kind/namespace/name,
 * kinds that can be marked "not installed" (404 on list), and failures injected per call.
 */
export class FakeResourceClient implements ResourceClient {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: FakeCall[] = [];
  readonly missingKinds = new Set<ResourceKind>();
  /** `group/version` the fake reports for a kind, as discovery would; default the contract's. */
  readonly apiVersions = new Map<ResourceKind, string>();
  /**
   * What the fake stores of a created or patched object, like a schema that prunes (or a
   * webhook that rewrites); default: the object as sent.
   */
  storeAs: (kind: ResourceKind, object: KubeObject) => KubeObject = (_kind, object) => object;
  /** Return an error to make the matching call fail; called before every call. */
  failWith: (call: FakeCall) => Error | undefined = () => undefined;
  private nextUid = 1;
  private nextVersion = 1;

  add(kind: ResourceKind, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid ??= `uid-${this.nextUid++}`;
    stored.metadata.resourceVersion = String(this.nextVersion++);
    this.objects.set(
      key({ kind, namespace: stored.metadata.namespace, name: stored.metadata.name }),
      stored,
    );
    return structuredClone(stored);
  }

  private check(call: FakeCall): void {
    this.calls.push(call);
    const error = this.failWith(call);
    if (error) throw error;
  }

  async list(
    kind: ResourceKind,
    options: { namespace?: string | undefined } = {},
  ): Promise<KubeObject[]> {
    this.check({ verb: 'list', ref: `${kind}/${options.namespace ?? ''}` });
    if (this.missingKinds.has(kind)) throw apiError(404, 'NotFound');
    return [...this.objects.entries()]
      .filter(
        ([k, object]) =>
          k.startsWith(`${kind}/`) &&
          (!options.namespace || object.metadata.namespace === options.namespace),
      )
      .map(([, object]) => structuredClone(object));
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.check({ verb: 'get', ref: key(ref) });
    const object = this.objects.get(key(ref));
    return object ? structuredClone(object) : undefined;
  }

  async create(
    kind: ResourceKind,
    body: KubeObject,
    options: { dryRun: boolean },
  ): Promise<KubeObject> {
    const ref = { kind, namespace: body.metadata.namespace, name: body.metadata.name };
    this.check({ verb: 'create', ref: key(ref), dryRun: options.dryRun, body });
    if (this.objects.has(key(ref))) throw apiError(409, 'AlreadyExists');
    const stored = this.storeAs(kind, structuredClone(body));
    if (options.dryRun) return stored;
    return this.add(kind, stored);
  }

  async mergePatch(
    ref: ObjectRef,
    patch: object,
    options: { dryRun: boolean },
  ): Promise<KubeObject> {
    this.check({ verb: 'mergePatch', ref: key(ref), dryRun: options.dryRun, body: patch });
    const object = this.objects.get(key(ref));
    if (!object) throw apiError(404, 'NotFound');
    const wanted = (patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== object.metadata.resourceVersion) {
      throw apiError(409, 'Conflict');
    }
    // NB: a merge patch of an object is an object; the fake's objects are plain JSON.
    const merged = this.storeAs(ref.kind, mergePatch(object, patch) as KubeObject);
    if (options.dryRun) return merged;
    merged.metadata.resourceVersion = String(this.nextVersion++);
    // Like the apiserver: an object being deleted goes once its last finalizer is removed.
    if (merged.metadata.deletionTimestamp && !merged.metadata.finalizers?.length) {
      this.objects.delete(key(ref));
    } else {
      this.objects.set(key(ref), merged);
    }
    return structuredClone(merged);
  }

  async apiVersionOf(kind: ResourceKind): Promise<string> {
    return this.apiVersions.get(kind) ?? apiVersionOf(kind);
  }

  async delete(
    ref: ObjectRef,
    options: { dryRun: boolean; uid?: string | undefined },
  ): Promise<'deleted' | 'not-found'> {
    this.check({ verb: 'delete', ref: key(ref), dryRun: options.dryRun });
    const object = this.objects.get(key(ref));
    if (!object) return 'not-found';
    if (options.uid && options.uid !== object.metadata.uid) throw apiError(409, 'Conflict');
    if (options.dryRun) return 'deleted';
    if (object.metadata.finalizers?.length) {
      object.metadata.deletionTimestamp ??= '2025-01-01T00:00:00Z';
      object.metadata.resourceVersion = String(this.nextVersion++);
    } else {
      this.objects.delete(key(ref));
    }
    return 'deleted';
  }
}

function key(ref: { kind: string; namespace?: string | undefined; name: string }): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? structuredClone(target as Record<string, unknown>)
      : {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete result[field];
    else result[field] = mergePatch(result[field], value);
  }
  return result;
}
