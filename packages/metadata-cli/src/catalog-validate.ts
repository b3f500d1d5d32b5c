import YAML from 'yaml';

import {
  ANNOTATIONS,
  computeCatalogDigest,
  configMapDataBytes,
  formatBytes,
  getCatalogDigest,
  LABELS,
  MAX_CONFIGMAP_DATA_BYTES,
  modelEntrySchema,
  MODELS_CONFIGMAP_NAME,
} from '@odh-nim/contract';

/** One finding, located by a dotted path such as `metadata.name` or `data.llama-3.tags`. */
export interface ValidationFinding {
  path: string;
  message: string;
}

/** What {@link validateCatalogText} found. The catalog is valid when `problems` is empty. */
export interface CatalogValidation {
  problems: ValidationFinding[];
  /** Acceptable but worth knowing, e.g. an entry written before `euRestricted` existed. */
  warnings: ValidationFinding[];
  /** Data entries, valid or not. */
  entries: number;
  /** Bytes counted against the 1 MiB limit (keys plus values). */
  bytes: number;
}

// Strict: a field the schema does not know is a typo or a format drift, not something to ignore.
const strictModelEntrySchema = modelEntrySchema.strict();

/**
 * Checks a models ConfigMap as the generator must write it (SPEC §2.1): YAML without duplicate
 * keys, `v1`/`ConfigMap` named `nvidia-nim-models-data`, `immutable: true`, the managed label,
 * every entry valid against the strict schema with a key equal to its name and a `latestTag`
 * among its tags, data under 1 MiB, and a digest annotation matching the content.
 */
export async function validateCatalogText(text: string): Promise<CatalogValidation> {
  const problems: ValidationFinding[] = [];
  const warnings: ValidationFinding[] = [];
  const result = (entries = 0, bytes = 0): CatalogValidation => ({
    problems,
    warnings,
    entries,
    bytes,
  });

  const doc = YAML.parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ path: '(yaml)', message: error.message });
    return result();
  }
  findDuplicateKeys(doc.contents, '', problems);
  const root: unknown = doc.toJS();
  if (!isRecord(root)) {
    problems.push({ path: '(root)', message: 'not a mapping: expected a ConfigMap' });
    return result();
  }

  if (root.apiVersion !== 'v1') {
    problems.push({ path: 'apiVersion', message: `must be "v1", is ${show(root.apiVersion)}` });
  }
  if (root.kind !== 'ConfigMap') {
    problems.push({ path: 'kind', message: `must be "ConfigMap", is ${show(root.kind)}` });
  }
  if (root.immutable !== true) {
    problems.push({ path: 'immutable', message: `must be true, is ${show(root.immutable)}` });
  }
  const metadata = isRecord(root.metadata) ? root.metadata : undefined;
  if (!metadata) problems.push({ path: 'metadata', message: 'missing' });
  if (metadata && metadata.name !== MODELS_CONFIGMAP_NAME) {
    problems.push({
      path: 'metadata.name',
      message: `must be "${MODELS_CONFIGMAP_NAME}", is ${show(metadata.name)}`,
    });
  }
  const labels = isRecord(metadata?.labels) ? metadata.labels : {};
  if (labels[LABELS.managed] !== 'true') {
    problems.push({
      path: `metadata.labels.${LABELS.managed}`,
      message: `must be "true", is ${show(labels[LABELS.managed])}`,
    });
  }

  if (!isRecord(root.data)) {
    problems.push({ path: 'data', message: 'missing or not a mapping' });
    return result();
  }
  const data: Record<string, string> = {};
  const withoutEuField: string[] = [];
  for (const [key, value] of Object.entries(root.data)) {
    const path = `data.${key}`;
    if (typeof value !== 'string') {
      problems.push({ path, message: 'value is not a string' });
      continue;
    }
    data[key] = value;
    if (checkEntry({ key, value, path, problems }) === 'no-eu-field') withoutEuField.push(key);
  }
  if (withoutEuField.length > 0) {
    const shown = withoutEuField.slice(0, 5).join(', ');
    const more = withoutEuField.length > 5 ? `, … and ${withoutEuField.length - 5} more` : '';
    warnings.push({
      path: 'data',
      message:
        `${withoutEuField.length} entr${withoutEuField.length === 1 ? 'y has' : 'ies have'} no ` +
        `euRestricted field (read as false): ${shown}${more}`,
    });
  }
  const entries = Object.keys(root.data).length;
  if (entries === 0) problems.push({ path: 'data', message: 'holds no model' });

  const bytes = configMapDataBytes(data);
  if (bytes > MAX_CONFIGMAP_DATA_BYTES) {
    problems.push({
      path: 'data',
      message:
        `is ${formatBytes(bytes)} (${bytes} bytes), over the ConfigMap limit of ` +
        `${formatBytes(MAX_CONFIGMAP_DATA_BYTES)}`,
    });
  }

  const annotations = isRecord(metadata?.annotations) ? metadata.annotations : {};
  const digestPath = `metadata.annotations.${ANNOTATIONS.catalogDigest}`;
  const stringAnnotations = Object.fromEntries(
    Object.entries(annotations).filter(
      (pair): pair is [string, string] => typeof pair[1] === 'string',
    ),
  );
  const declared = getCatalogDigest({ metadata: { annotations: stringAnnotations } });
  if (declared === undefined) {
    problems.push({
      path: digestPath,
      message: 'missing: an upgrade cannot tell a changed catalog',
    });
  } else if (Object.keys(data).length === entries) {
    const actual = await computeCatalogDigest(data);
    if (declared !== actual) {
      problems.push({
        path: digestPath,
        message: `stale: says ${declared} but the content hashes to ${actual}`,
      });
    }
  }
  return result(entries, bytes);
}

function checkEntry(options: {
  key: string;
  value: string;
  path: string;
  problems: ValidationFinding[];
}): 'no-eu-field' | undefined {
  const { key, value, path, problems } = options;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    problems.push({ path, message: `not valid JSON (${(error as SyntaxError).message})` });
    return undefined;
  }
  const parsed = strictModelEntrySchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length > 0 ? `${path}.${issue.path.join('.')}` : path;
      problems.push({ path: where, message: issue.message });
    }
    return undefined;
  }
  const entry = parsed.data;
  if (entry.name !== key) {
    problems.push({ path, message: `key does not match the model name "${entry.name}"` });
  }
  if (!entry.tags.includes(entry.latestTag)) {
    problems.push({
      path: `${path}.latestTag`,
      message: `"${entry.latestTag}" is not one of the model's tags`,
    });
  }
  const duplicates = entry.tags.filter((tag, index) => entry.tags.indexOf(tag) !== index);
  if (duplicates.length > 0) {
    problems.push({ path: `${path}.tags`, message: `duplicate tags: ${duplicates.join(', ')}` });
  }
  return isRecord(json) && !('euRestricted' in json) ? 'no-eu-field' : undefined;
}

// NB: YAML allows a parser to keep either of two equal keys; a duplicate silently loses a model.
function findDuplicateKeys(node: unknown, path: string, problems: ValidationFinding[]): void {
  if (YAML.isMap(node)) {
    const seen = new Set<string>();
    for (const item of node.items) {
      const key = YAML.isScalar(item.key) ? String(item.key.value) : String(item.key);
      const childPath = path === '' ? key : `${path}.${key}`;
      if (seen.has(key)) {
        problems.push({ path: childPath, message: 'duplicate key: only the last one loads' });
      }
      seen.add(key);
      findDuplicateKeys(item.value, childPath, problems);
    }
  } else if (YAML.isSeq(node)) {
    node.items.forEach((item, index) => findDuplicateKeys(item, `${path}[${index}]`, problems));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

/** Lines for a report: `path: message`, problems first. */
export function formatValidation(report: CatalogValidation, file: string): string {
  const lines: string[] = [];
  if (report.problems.length === 0) {
    lines.push(
      `${file}: valid, ${report.entries} models, ${formatBytes(report.bytes)} of ` +
        `${formatBytes(MAX_CONFIGMAP_DATA_BYTES)}.`,
    );
  } else {
    const count = report.problems.length;
    lines.push(`${file}: invalid, ${count} problem${count === 1 ? '' : 's'}:`);
    for (const problem of report.problems)
      lines.push(`  error: ${problem.path}: ${problem.message}`);
  }
  for (const warning of report.warnings) {
    lines.push(`  warning: ${warning.path}: ${warning.message}`);
  }
  return `${lines.join('\n')}\n`;
}
