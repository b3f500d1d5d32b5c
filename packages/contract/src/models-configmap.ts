import YAML from 'yaml';
import { z } from 'zod';

import { ContractError } from './errors.js';
import { MODEL_ENTRY_FIELDS, modelEntrySchema, type ModelEntry } from './model-entry.js';
import { ANNOTATIONS, LABELS, MODELS_CONFIGMAP_NAME } from './names.js';

// Web APIs rather than Buffer and node:crypto: the dashboard's browser bundle imports this too.
const utf8 = new TextEncoder();

/** The apiserver rejects a ConfigMap whose keys plus values exceed 1 MiB. */
export const MAX_CONFIGMAP_DATA_BYTES = 1024 * 1024;

/** One entry that could not be loaded, named by its data key. */
export interface CatalogProblem {
  key: string;
  reason: string;
}

export interface ParsedCatalog {
  /** Valid models, sorted by name. */
  models: ModelEntry[];
  /** Entries that were skipped, each with its key and why. */
  problems: CatalogProblem[];
}

/** The parts of a ConfigMap this project reads and writes. */
export interface ModelsConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  immutable: true;
  data: Record<string, string>;
}

const configMapShape = z.object({
  data: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Reads a models ConfigMap (YAML text or an object from the apiserver). Tolerant by default: a
 * malformed entry is reported with its key and reason and the others load. With `strict`, any
 * problem throws, as the generator and `validate` need.
 */
export function parseModelsConfigMap(
  input: string | unknown,
  options: { strict?: boolean } = {},
): ParsedCatalog {
  const problems: CatalogProblem[] = [];
  const raw = typeof input === 'string' ? parseYaml(input, problems) : input;
  const shape = configMapShape.safeParse(raw);
  if (!shape.success) {
    throw new ContractError(
      'invalid-configmap',
      'Not a ConfigMap: expected an object with `data`.',
    );
  }
  const models: ModelEntry[] = [];
  for (const [key, value] of Object.entries(shape.data.data ?? {})) {
    const result = parseModelEntry(key, value);
    if ('reason' in result) problems.push(result);
    else models.push(result.model);
  }
  if (options.strict && problems.length > 0) {
    const lines = problems.map((p) => `  ${p.key}: ${p.reason}`).join('\n');
    throw new ContractError(
      'invalid-configmap',
      `${problems.length} invalid catalog entr${problems.length === 1 ? 'y' : 'ies'}:\n${lines}`,
    );
  }
  models.sort((a, b) => compareStrings(a.name, b.name));
  return { models, problems };
}

/** Validates one data value: JSON, the entry schema, and a key equal to the model's name. */
export function parseModelEntry(
  key: string,
  value: unknown,
): { model: ModelEntry } | CatalogProblem {
  if (typeof value !== 'string') return { key, reason: 'value is not a string' };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    return { key, reason: `value is not valid JSON (${(error as SyntaxError).message})` };
  }
  const parsed = modelEntrySchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`)
      .join('; ');
    return { key, reason };
  }
  if (parsed.data.name !== key) {
    return { key, reason: `key does not match the model name "${parsed.data.name}"` };
  }
  return { model: parsed.data };
}

function parseYaml(text: string, problems: CatalogProblem[]): unknown {
  // NB: duplicate keys are legal YAML to some parsers and silently lose an entry; report them.
  const doc = YAML.parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ContractError(
      'invalid-configmap',
      `Not valid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`,
    );
  }
  const data = doc.get('data');
  if (YAML.isMap(data)) {
    const seen = new Set<string>();
    for (const item of data.items) {
      const key = YAML.isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (seen.has(key)) problems.push({ key, reason: 'duplicate key: only the last one loads' });
      seen.add(key);
    }
  }
  return doc.toJS();
}

/** Orders an entry's fields for output; unknown fields are dropped. */
function serializeEntry(model: ModelEntry): string {
  const ordered: Record<string, unknown> = {};
  for (const field of MODEL_ENTRY_FIELDS) ordered[field] = model[field];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Bytes the apiserver counts against the 1 MiB limit: every key plus every value. */
export function configMapDataBytes(data: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    total += utf8.encode(key).length + utf8.encode(value).length;
  }
  return total;
}

/**
 * sha256 over the sorted data, as `sha256:<hex>`. The upgrade compares it with the cluster's copy
 * to decide whether an immutable catalog must be replaced.
 */
export async function computeCatalogDigest(data: Record<string, string>): Promise<string> {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort(compareStrings)
      .map((key) => [key, data[key]]),
  );
  const hash = await globalThis.crypto.subtle.digest('SHA-256', utf8.encode(canonical));
  const hex = Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0'));
  return `sha256:${hex.join('')}`;
}

/**
 * Builds the immutable models ConfigMap: one key per model, sorted, with the content digest.
 * Throws when the result would exceed the apiserver's 1 MiB limit, saying how large it is.
 */
export async function buildModelsConfigMap(
  models: readonly ModelEntry[],
  options: { namespace?: string } = {},
): Promise<ModelsConfigMap> {
  const data: Record<string, string> = {};
  for (const model of [...models].sort((a, b) => compareStrings(a.name, b.name))) {
    data[model.name] = serializeEntry(model);
  }
  const bytes = configMapDataBytes(data);
  if (bytes > MAX_CONFIGMAP_DATA_BYTES) {
    throw new ContractError(
      'configmap-too-large',
      `The catalog is ${formatBytes(bytes)} for ${models.length} models, over the ConfigMap limit ` +
        `of ${formatBytes(MAX_CONFIGMAP_DATA_BYTES)}. Shorten descriptions or split the catalog.`,
    );
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: MODELS_CONFIGMAP_NAME,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { [LABELS.managed]: 'true' },
      annotations: { [ANNOTATIONS.catalogDigest]: await computeCatalogDigest(data) },
    },
    immutable: true,
    data,
  };
}

/** YAML of a ConfigMap with data values as literal blocks: readable diffs, stable bytes. */
export function serializeModelsConfigMap(configMap: ModelsConfigMap): string {
  return YAML.stringify(configMap, { lineWidth: 0, blockQuote: 'literal', sortMapEntries: false });
}

/** Reads the content digest a catalog ConfigMap carries, if any. */
export function getCatalogDigest(configMap: {
  metadata?: { annotations?: Record<string, string> | undefined };
}): string | undefined {
  return configMap.metadata?.annotations?.[ANNOTATIONS.catalogDigest];
}

/** Human-readable byte count (KiB/MiB), for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

// Locale-independent ordering, so output does not depend on the machine's ICU settings.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
