/**
 * NGC tags mix real versions (`1.10.1`), build variants (`1.8.0-rtx`, `1.14.0-pb5.3`), floating
 * aliases (`1`, `1.10`, `latest`) and other names (`rtx-latest`), in no order. These helpers order
 * them for people: newest first, each alias just above the versions it floats over.
 */

export type TagKind = 'latest' | 'alias' | 'version' | 'variant' | 'other';

export interface TagInfo {
  tag: string;
  kind: TagKind;
  /** For an alias: the newest concrete version it currently matches, if any. */
  resolvesTo?: string;
}

interface ParsedTag {
  numbers: number[];
  suffix: string;
}

const numericTag = /^v?(\d+(?:\.\d+)*)(?:-(.+))?$/;

function parseTag(tag: string): ParsedTag | undefined {
  const match = numericTag.exec(tag);
  if (!match?.[1]) return undefined;
  return { numbers: match[1].split('.').map(Number), suffix: match[2] ?? '' };
}

/**
 * Sort comparator, newest first. Missing components rank above present ones, so the alias `1`
 * sorts just above `1.10`, which sorts above `1.10.1`; a plain version above its build variants.
 */
export function compareTags(a: string, b: string): number {
  const pa = parseTag(a);
  const pb = parseTag(b);
  if (a === 'latest' || b === 'latest') return a === b ? 0 : a === 'latest' ? -1 : 1;
  if (!pa || !pb) {
    if (pa) return -1;
    if (pb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const length = Math.max(pa.numbers.length, pb.numbers.length);
  for (let i = 0; i < length; i++) {
    const x = pa.numbers[i] ?? Infinity;
    const y = pb.numbers[i] ?? Infinity;
    if (x !== y) return y - x;
  }
  if (pa.suffix !== pb.suffix) {
    if (pa.suffix === '') return -1;
    if (pb.suffix === '') return 1;
    // Build variants with numbers (`pb5.3`, `pb5.1`) also read newest first.
    return pb.suffix.localeCompare(pa.suffix, 'en', { numeric: true });
  }
  return 0;
}

/** Tags ordered newest first (a new array; the input is left alone). */
export function sortTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort(compareTags);
}

function isAliasOf(alias: ParsedTag, version: ParsedTag): boolean {
  return (
    alias.numbers.length < version.numbers.length &&
    alias.numbers.every((n, i) => version.numbers[i] === n)
  );
}

/**
 * Classifies every tag and says what each alias points at now. A numeric tag with fewer parts is
 * an alias only when a longer version under it exists (`24.05` alone is a version).
 */
export function describeTags(tags: readonly string[]): TagInfo[] {
  const sorted = sortTags(tags);
  const parsed = new Map(sorted.map((tag) => [tag, parseTag(tag)] as const));
  const plainVersions = sorted.filter((tag) => {
    const p = parsed.get(tag);
    return p !== undefined && p.suffix === '';
  });
  const newestPlain = (under?: ParsedTag): string | undefined =>
    plainVersions.find((tag) => {
      const p = parsed.get(tag);
      if (!p) return false;
      const covered = sorted.some((other) => {
        const q = parsed.get(other);
        return q !== undefined && q.suffix === '' && isAliasOf(p, q);
      });
      return !covered && (under === undefined || isAliasOf(under, p));
    });

  return sorted.map((tag): TagInfo => {
    if (tag === 'latest') {
      const target = newestPlain();
      return target ? { tag, kind: 'latest', resolvesTo: target } : { tag, kind: 'latest' };
    }
    const p = parsed.get(tag);
    if (!p) return { tag, kind: 'other' };
    if (p.suffix !== '') return { tag, kind: 'variant' };
    const target = newestPlain(p);
    return target ? { tag, kind: 'alias', resolvesTo: target } : { tag, kind: 'version' };
  });
}

/** The newest concrete version among `tags` (no alias, no variant), if there is one. */
export function newestVersion(tags: readonly string[]): string | undefined {
  return describeTags(tags).find((info) => info.kind === 'version')?.tag;
}
