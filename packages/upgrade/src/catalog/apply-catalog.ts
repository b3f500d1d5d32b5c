import type { KubeConfig } from '@kubernetes/client-node';
import {
  ANNOTATIONS,
  ContractError,
  computeCatalogDigest,
  getCatalogDigest,
  parseModelsConfigMap,
} from '@odh-nim/contract';
import YAML from 'yaml';
import { z } from 'zod';

import { getApplicationsNamespace } from '../applications-namespace.js';
import { UpgradeError } from '../errors.js';
import { describeApiError, isAlreadyExists, isTransient } from '../k8s/api-errors.js';
import type { KubeObject } from '../k8s/objects.js';
import {
  createResourceClient,
  type ObjectRef,
  type ResourceClient,
} from '../k8s/resource-client.js';
import { withRetry, type RetryPolicy } from '../k8s/retry.js';
import { silentLogger, type UpgradeLogger } from '../logger.js';

/** Options of {@link applyCatalog}. */
export interface ApplyCatalogOptions {
  kubeConfig: KubeConfig;
  /** The shipped catalog ConfigMap: YAML text or the parsed object. */
  manifest: string | unknown;
  /**
   * Where the catalog goes. Default: the manifest's namespace, else the applications namespace
   * resolved as SPEC §2 says.
   */
  namespace?: string | undefined;
  /** Validate on the apiserver (`dryRun=All`) and change nothing. Default false. */
  dryRun?: boolean | undefined;
  logger?: UpgradeLogger | undefined;
  /** Retries of transient failures; the create after the delete gets at least 8 tries. */
  retry?: RetryPolicy | undefined;
  /** Replaces the client built from `kubeConfig`; for tests. */
  client?: ResourceClient | undefined;
}

/** What happened to the catalog. A dry run says `would-create`/`would-replace`. */
export type CatalogStatus =
  'created' | 'replaced' | 'unchanged' | 'failed' | 'would-create' | 'would-replace';

/** What {@link applyCatalog} did. */
export interface ApplyCatalogReport {
  dryRun: boolean;
  namespace: string;
  name: string;
  status: CatalogStatus;
  /** Content digest of the shipped catalog. */
  digest: string;
  /** Digest of the catalog that was in the cluster, if there was one. */
  previousDigest?: string;
  /** Models in the shipped catalog. */
  models: number;
  /** Set when `status` is `failed`. */
  error?: string;
  /**
   * After a failed create: whether the previous catalog was put back. False means the cluster
   * has no catalog now, and the error says what to run.
   */
  restored?: boolean;
  notes: string[];
}

const configMapManifestSchema = z.looseObject({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('ConfigMap'),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  immutable: z.boolean().optional(),
  data: z.record(z.string(), z.string()),
});
type ConfigMapManifest = z.infer<typeof configMapManifestSchema>;

const dataSchema = z.looseObject({ data: z.record(z.string(), z.string()).optional() });

/**
 * Ships a catalog ConfigMap. An identical catalog (same content digest) is left alone. A changed
 * one is replaced: NB the ConfigMap is immutable, so it cannot be patched, only deleted and
 * created again. The new object is validated by the apiserver first (a dry-run create), then the
 * delete and the create follow each other at once, the create retried on transient failures, so
 * the cluster is without a catalog for no longer than those two calls. Should the create still
 * fail, the previous catalog is put back.
 */
export async function applyCatalog(options: ApplyCatalogOptions): Promise<ApplyCatalogReport> {
  const logger = options.logger ?? silentLogger;
  const dryRun = options.dryRun ?? false;
  const manifest = parseManifest(options.manifest);
  const models = parseCatalog(manifest);
  const digest = await computeCatalogDigest(manifest.data);
  const annotated = getCatalogDigest(manifest);
  if (annotated !== undefined && annotated !== digest) {
    throw new UpgradeError(
      'invalid-manifest',
      `The manifest's ${ANNOTATIONS.catalogDigest} annotation (${annotated}) does not match its data (${digest}).`,
      { suggestion: 'Regenerate the catalog with `nim-metadata generate` instead of editing it.' },
    );
  }
  const client = options.client ?? createResourceClient(options.kubeConfig);
  const namespace =
    options.namespace ??
    manifest.metadata.namespace ??
    (await getApplicationsNamespace(client, undefined)).namespace;
  const name = manifest.metadata.name;
  const target: ObjectRef = { kind: 'ConfigMap', namespace, name };
  const body = buildBody(manifest, namespace, digest);
  const base = { dryRun, namespace, name, digest, models, notes: [] as string[] };
  const transient = { ...options.retry, retryOn: isTransient };

  let existing: KubeObject | undefined;
  try {
    existing = await withRetry(() => client.get(target), transient);
  } catch (error) {
    throw new UpgradeError(
      'read-failed',
      `Could not read ConfigMap ${namespace}/${name}: ${describeApiError(error)}.`,
      { cause: error },
    );
  }

  if (!existing) {
    try {
      await withRetry(() => client.create('ConfigMap', body, { dryRun }), transient);
      logger.info(`${dryRun ? '(dry run) ' : ''}created ConfigMap ${namespace}/${name}`);
      return { ...base, status: dryRun ? 'would-create' : 'created' };
    } catch (error) {
      return { ...base, status: 'failed', error: `create: ${describeApiError(error)}` };
    }
  }

  const previousDigest =
    getCatalogDigest(existing) ??
    (await computeCatalogDigest(dataSchema.parse(existing).data ?? {}));
  if (previousDigest === digest) {
    logger.info(`ConfigMap ${namespace}/${name} already has digest ${digest}`);
    return { ...base, previousDigest, status: 'unchanged' };
  }
  const withPrevious = { ...base, previousDigest };

  // NB: a dry-run create reaches storage only after validation and admission, so AlreadyExists
  // there means the new object would be accepted once the old one is gone.
  try {
    await withRetry(() => client.create('ConfigMap', body, { dryRun: true }), transient);
  } catch (error) {
    if (!isAlreadyExists(error)) {
      return {
        ...withPrevious,
        status: 'failed',
        error: `the apiserver rejects the new catalog, the old one was left in place: ${describeApiError(error)}`,
      };
    }
  }

  try {
    await withRetry(() => client.delete(target, { dryRun, uid: existing.metadata.uid }), transient);
  } catch (error) {
    return {
      ...withPrevious,
      status: 'failed',
      error: `delete of the old catalog: ${describeApiError(error)}`,
    };
  }
  if (dryRun) return { ...withPrevious, status: 'would-replace' };

  try {
    await withRetry(() => client.create('ConfigMap', body, { dryRun: false }), {
      ...transient,
      attempts: Math.max(8, options.retry?.attempts ?? 0),
      onRetry: (error, attempt) =>
        logger.warn(`create of the new catalog, attempt ${attempt}: ${describeApiError(error)}`),
    });
    logger.info(`replaced ConfigMap ${namespace}/${name}: ${previousDigest} → ${digest}`);
    return { ...withPrevious, status: 'replaced' };
  } catch (error) {
    if (isAlreadyExists(error)) {
      // Someone (an operator applying the manifests) created it between our two calls.
      const now = await client.get(target).catch(() => undefined);
      if (now && getCatalogDigest(now) === digest) {
        withPrevious.notes.push('Another client created the same catalog at the same time.');
        return { ...withPrevious, status: 'replaced' };
      }
      return {
        ...withPrevious,
        status: 'failed',
        error: `another client created ${namespace}/${name} with a different catalog (${
          now ? (getCatalogDigest(now) ?? 'no digest') : 'unknown'
        }) right after the delete; run apply-catalog again`,
      };
    }
    const restored = await restore(client, existing, transient);
    return {
      ...withPrevious,
      status: 'failed',
      restored,
      error:
        `create of the new catalog failed after the old one was deleted: ${describeApiError(error)}. ` +
        (restored
          ? 'The previous catalog was put back.'
          : 'The cluster has NO catalog now: run `nim-upgrade apply-catalog` again.'),
    };
  }
}

function parseManifest(input: unknown): ConfigMapManifest {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = YAML.parse(input);
    } catch (error) {
      throw new UpgradeError(
        'invalid-manifest',
        `The catalog manifest is not valid YAML: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  const parsed = configMapManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(manifest)'}: ${issue.message}`)
      .join('; ');
    throw new UpgradeError(
      'invalid-manifest',
      `The catalog manifest is not a ConfigMap: ${problems}`,
      {
        suggestion: 'Pass the file `nim-metadata generate` wrote.',
      },
    );
  }
  return parsed.data;
}

function parseCatalog(manifest: ConfigMapManifest): number {
  try {
    return parseModelsConfigMap(manifest, { strict: true }).models.length;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw new UpgradeError('invalid-manifest', `The catalog is not valid: ${error.message}`, {
      cause: error,
      suggestion: 'Check it with `nim-metadata validate`; the cluster was not touched.',
    });
  }
}

function buildBody(manifest: ConfigMapManifest, namespace: string, digest: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: manifest.metadata.name,
      namespace,
      ...(manifest.metadata.labels ? { labels: manifest.metadata.labels } : {}),
      annotations: { ...manifest.metadata.annotations, [ANNOTATIONS.catalogDigest]: digest },
    },
    ...(manifest.immutable !== undefined ? { immutable: manifest.immutable } : {}),
    data: manifest.data,
  };
}

/** Puts the previous catalog back after a failed create; true when it is there again. */
async function restore(
  client: ResourceClient,
  previous: KubeObject,
  retry: RetryPolicy & { retryOn: (error: unknown) => boolean },
): Promise<boolean> {
  const { name, namespace, labels, annotations } = previous.metadata;
  const copy: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    ...(previous['immutable'] !== undefined ? { immutable: previous['immutable'] } : {}),
    ...(previous['data'] !== undefined ? { data: previous['data'] } : {}),
    ...(previous['binaryData'] !== undefined ? { binaryData: previous['binaryData'] } : {}),
  };
  try {
    await withRetry(() => client.create('ConfigMap', copy, { dryRun: false }), retry);
    return true;
  } catch {
    return false;
  }
}

/** The report for people: one line saying what happened, and why when it failed. */
export function formatApplyCatalogReport(report: ApplyCatalogReport): string {
  const where = `ConfigMap ${report.namespace}/${report.name}`;
  const lines: string[] = [];
  switch (report.status) {
    case 'created':
    case 'would-create':
      lines.push(
        `${report.status === 'created' ? 'Created' : 'Would create'} ${where}: ${report.models} models, ${report.digest}.`,
      );
      break;
    case 'replaced':
    case 'would-replace':
      lines.push(
        `${report.status === 'replaced' ? 'Replaced' : 'Would replace'} ${where}: ${report.previousDigest ?? '?'} → ${report.digest} (${report.models} models).`,
      );
      break;
    case 'unchanged':
      lines.push(`Unchanged ${where}: the cluster already has this catalog (${report.digest}).`);
      break;
    case 'failed':
      lines.push(`Failed ${where}: ${report.error ?? 'unknown error'}`);
      break;
  }
  if (report.dryRun) lines.push('Dry run: nothing was changed.');
  for (const note of report.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
