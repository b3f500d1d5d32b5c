import { parse } from 'yaml';
import { ControlPlaneError } from './errors.js';

/** One RFC 6902 operation, of the kinds a CRD patch uses. */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

const OPS = new Set(['add', 'remove', 'replace', 'test']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The operations of a JSON 6902 patch file (a YAML or JSON list, as kustomize reads it). Throws
 * `invalid-crd` on anything else, and on `move`/`copy`, which no CRD patch here needs.
 */
export function parseJsonPatch(text: string, source = 'patch'): JsonPatchOperation[] {
  let value: unknown;
  try {
    value = parse(text);
  } catch (cause) {
    throw new ControlPlaneError('invalid-crd', `${source}: not YAML`, { cause });
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new ControlPlaneError('invalid-crd', `${source}: a JSON patch is a non-empty list`);
  }
  return value.map((item: unknown, index): JsonPatchOperation => {
    const where = `${source}: operation ${index + 1}`;
    if (!isRecord(item) || typeof item['op'] !== 'string' || !OPS.has(item['op'])) {
      throw new ControlPlaneError(
        'invalid-crd',
        `${where}: op must be add, remove, replace or test`,
      );
    }
    const path = item['path'];
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new ControlPlaneError('invalid-crd', `${where}: path must be a JSON pointer`);
    }
    if (item['op'] === 'remove') return { op: 'remove', path };
    if (!('value' in item)) throw new ControlPlaneError('invalid-crd', `${where}: no value`);
    return { op: item['op'] as 'add' | 'replace' | 'test', path, value: item['value'] };
  });
}

function decodePointer(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function fail(op: JsonPatchOperation, why: string): never {
  throw new ControlPlaneError('invalid-crd', `JSON patch ${op.op} ${op.path}: ${why}`);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && isDeepEqual(a[key], b[key]))
    );
  }
  return false;
}

/**
 * Applies RFC 6902 operations to a copy of `document` and returns it, as the apiserver does for
 * `application/json-patch+json` and kustomize for a JSON 6902 patch. Throws `invalid-crd` when
 * a `test` fails or a path does not exist, leaving `document` untouched.
 */
export function applyJsonPatch(
  document: unknown,
  operations: readonly JsonPatchOperation[],
): unknown {
  // NB: a JSON copy, not structuredClone: YAML aliases parse to shared objects, and a patch of
  // one version's schema must not change another's that shares it.
  const root: unknown = JSON.parse(JSON.stringify(document));
  for (const op of operations) {
    const tokens = decodePointer(op.path);
    const last = tokens.pop();
    if (last === undefined) fail(op, 'the whole document cannot be patched');
    let parent: unknown = root;
    for (const token of tokens) {
      if (Array.isArray(parent) && /^\d+$/.test(token)) parent = parent[Number(token)];
      else if (isRecord(parent) && token in parent) parent = parent[token];
      else fail(op, `no ${token}`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      const exists = /^\d+$/.test(last) && index < parent.length;
      if (op.op === 'add') {
        if (!(exists || index === parent.length)) fail(op, 'index out of range');
        parent.splice(index, 0, jsonCopy(op.value));
      } else if (!exists) {
        fail(op, 'index out of range');
      } else if (op.op === 'remove') {
        parent.splice(index, 1);
      } else if (op.op === 'replace') {
        parent[index] = jsonCopy(op.value);
      } else if (!isDeepEqual(parent[index], op.value)) {
        fail(op, `found ${JSON.stringify(parent[index])}`);
      }
    } else if (isRecord(parent)) {
      if (op.op !== 'add' && !(last in parent)) fail(op, `no ${last}`);
      if (op.op === 'add' || op.op === 'replace') parent[last] = jsonCopy(op.value);
      else if (op.op === 'remove') delete parent[last];
      else if (!isDeepEqual(parent[last], op.value)) {
        fail(op, `found ${JSON.stringify(parent[last])}`);
      }
    } else {
      fail(op, 'parent is not an object or a list');
    }
  }
  return root;
}
