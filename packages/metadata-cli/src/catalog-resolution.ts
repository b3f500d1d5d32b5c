import { sortTags, type ModelEntry } from '@odh-nim/contract';
import {
  parseModelDetails,
  type CatalogEntry,
  type CatalogListing,
  type ModelDetails,
  type ModelDetailsResult,
} from '@odh-nim/ngc';

import type { EuListEntry } from './eu-list.js';

/** A model left out of the catalog, and why. */
export interface ModelIssue {
  resourceId: string;
  reason: string;
}

/** What a generate run's NGC answers come to. Every list is sorted. */
export interface ResolvedCatalog {
  /** Entries to write, sorted by name, tags newest first. */
  models: ModelEntry[];
  /** Resource ids of written models flagged by the EU list. */
  euRestrictedByList: string[];
  /** Resource ids of written models whose details answered 451 in this run. */
  euRestrictedByProbe: string[];
  /** Left out on purpose: no `latestTag` in the catalog, details 404, a duplicate name. */
  skipped: ModelIssue[];
  /** Left out because their details could not be fetched or used, after retries. */
  failed: ModelIssue[];
  /** EU list entries that name no model of this catalog. */
  euListUnmatched: string[];
}

/** Inputs of {@link resolveCatalog}. */
export interface ResolveCatalogOptions {
  listing: CatalogListing;
  results: readonly ModelDetailsResult[];
  euList: readonly EuListEntry[];
}

/**
 * Turns a run's answers into catalog entries, deterministically: the same answers give the same
 * entries whatever order they arrived in.
 *
 * - `ok`: the details, tags ordered newest first (NGC lists them in no stable order).
 * - `eu-restricted` (451): kept and flagged; the details are unavailable, so the entry is built
 *   from the catalog search (display name, description, date) with `latestTag` as its only tag.
 * - `not-found`: skipped (the catalog listed a repository its details no longer know).
 * - `failed`: reported in `failed`; the caller decides whether that stops the run.
 * - Two repositories with the same name (ConfigMap keys must be unique): the most recently
 *   updated wins, then the smaller resource id; the other is skipped.
 */
export function resolveCatalog(options: ResolveCatalogOptions): ResolvedCatalog {
  const catalog = new Map<string, CatalogEntry>(
    options.listing.entries.map((entry) => [entry.resourceId, entry]),
  );
  const euListIds = new Set(options.euList.map((entry) => entry.resourceId));
  const skipped: ModelIssue[] = options.listing.skipped.map((skip) => ({ ...skip }));
  const failed: ModelIssue[] = [];
  const candidates: { resourceId: string; details: ModelDetails; probe451: boolean }[] = [];

  for (const { resourceId, outcome } of options.results) {
    switch (outcome.kind) {
      case 'ok':
        candidates.push({ resourceId, details: outcome.details, probe451: false });
        break;
      case 'eu-restricted': {
        const details = detailsFromCatalog(resourceId, catalog.get(resourceId));
        if ('error' in details) {
          failed.push({
            resourceId,
            reason: `answered 451 (EU-restricted) and the catalog lacks a field: ${details.error}`,
          });
        } else {
          candidates.push({ resourceId, details: details.details, probe451: true });
        }
        break;
      }
      case 'not-found':
        skipped.push({ resourceId, reason: 'details answered 404 (listed, but not found)' });
        break;
      case 'unauthorized':
        // fetchAllModelDetails throws on a rejected key; this is the defensive fallback.
        failed.push({ resourceId, reason: `NGC rejected the key (HTTP ${outcome.status})` });
        break;
      case 'failed':
        failed.push({ resourceId, reason: outcome.reason });
        break;
    }
  }

  const byName = new Map<string, (typeof candidates)[number]>();
  for (const candidate of [...candidates].sort(preferred)) {
    const kept = byName.get(candidate.details.name);
    if (kept) {
      skipped.push({
        resourceId: candidate.resourceId,
        reason: `same name as ${kept.resourceId}, which is newer or sorts first`,
      });
    } else {
      byName.set(candidate.details.name, candidate);
    }
  }

  const models: ModelEntry[] = [];
  const euRestrictedByList: string[] = [];
  const euRestrictedByProbe: string[] = [];
  const written = new Set<string>();
  for (const { resourceId, details, probe451 } of byName.values()) {
    const listed = euListIds.has(resourceId);
    if (listed) euRestrictedByList.push(resourceId);
    if (probe451) euRestrictedByProbe.push(resourceId);
    written.add(resourceId);
    models.push({ ...details, tags: sortTags(details.tags), euRestricted: listed || probe451 });
  }
  const catalogIds = new Set(options.listing.entries.map((entry) => entry.resourceId));
  const euListUnmatched = [...euListIds].filter((id) => !catalogIds.has(id) && !written.has(id));

  return {
    models: models.sort((a, b) => compare(a.name, b.name)),
    euRestrictedByList: euRestrictedByList.sort(compare),
    euRestrictedByProbe: euRestrictedByProbe.sort(compare),
    skipped: skipped.sort(byResource),
    failed: failed.sort(byResource),
    euListUnmatched: euListUnmatched.sort(compare),
  };
}

function detailsFromCatalog(
  resourceId: string,
  entry: CatalogEntry | undefined,
): { details: ModelDetails } | { error: string } {
  if (!entry) return { error: 'not in the catalog listing' };
  // An empty details body makes every field fall back to the catalog entry.
  return parseModelDetails(
    {},
    {
      resourceId,
      name: entry.name,
      namespace: entry.namespace,
      catalog: entry,
    },
  );
}

function preferred(
  a: { resourceId: string; details: ModelDetails },
  b: { resourceId: string; details: ModelDetails },
): number {
  const byDate = timeOf(b.details.updatedDate) - timeOf(a.details.updatedDate);
  return byDate !== 0 ? byDate : compare(a.resourceId, b.resourceId);
}

function timeOf(date: string): number {
  const time = Date.parse(date);
  return Number.isNaN(time) ? 0 : time;
}

function byResource(a: ModelIssue, b: ModelIssue): number {
  return compare(a.resourceId, b.resourceId) || compare(a.reason, b.reason);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
