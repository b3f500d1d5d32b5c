import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { parseModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

const fixtures = (file: string): string =>
  fileURLToPath(new URL(`../../fixtures/${file}`, import.meta.url));

/** The reference models ConfigMap (180 real NIM models), shipped with the testkit. */
export const referenceCatalogPath = fixtures('nvidia-nim-models-data.yaml');

/** Models an EU probe saw answer 451, as `[{name, resourceId, org, team}]`. */
export const referenceEuRestrictedPath = fixtures('eu-restricted-models.json');

/** Real NGC response captures the emulator uses as templates. */
export const ngcCapturePaths = Object.freeze({
  catalogSearch: fixtures('ngc-captures/catalog_search.json'),
  modelTags: fixtures('ngc-captures/model_tags.json'),
  modelTags451: fixtures('ngc-captures/model_tags_451.json'),
  keyValidation: fixtures('ngc-captures/key_validation.json'),
});

/** Loads a models ConfigMap YAML strictly; any invalid entry throws. */
export async function loadCatalogFile(path: string): Promise<ModelEntry[]> {
  return parseModelsConfigMap(await readFile(path, 'utf8'), { strict: true }).models;
}

/** The reference catalog as entries, sorted by name. */
export async function loadReferenceCatalog(): Promise<ModelEntry[]> {
  return loadCatalogFile(referenceCatalogPath);
}

/** Resource ids (`nim/meta/…`) of the reference EU-restricted models. */
export async function loadReferenceEuRestricted(): Promise<string[]> {
  const json: unknown = JSON.parse(await readFile(referenceEuRestrictedPath, 'utf8'));
  if (!Array.isArray(json)) throw new Error(`${referenceEuRestrictedPath}: expected an array`);
  return json.map((item: unknown, index) => {
    if (isRecord(item) && typeof item.resourceId === 'string') return item.resourceId;
    throw new Error(`${referenceEuRestrictedPath}[${index}]: expected a resourceId`);
  });
}

/** Reads a capture as untyped JSON. */
export async function loadCapture(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** Plain-object guard used across the emulator. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
