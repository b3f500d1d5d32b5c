import { qualifiedName, type KubeObject } from '../k8s/objects.js';
import type { ObjectRef, ResourceKind } from '../k8s/resource-client.js';

/** `Kind namespace/name`, the way the report names an object. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${qualifiedName(ref)}`;
}

/** Unique key of an object in a plan. */
export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** The ref of an object of `kind`. */
export function refOf<K extends ResourceKind>(
  kind: K,
  object: KubeObject,
): ObjectRef & { kind: K } {
  return object.metadata.namespace
    ? { kind, namespace: object.metadata.namespace, name: object.metadata.name }
    : { kind, name: object.metadata.name };
}
