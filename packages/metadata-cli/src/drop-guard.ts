/** Default of `--max-drop`: refuse to drop more than 10% of the existing catalog's models. */
export const DEFAULT_MAX_DROP_SHARE = 0.1;

/** What replacing one catalog with another would drop. */
export interface ModelDrop {
  /** Models in the existing catalog. */
  previous: number;
  /** Names present before and missing now, sorted. */
  dropped: string[];
  /** `dropped / previous`, 0 for an empty previous catalog. */
  share: number;
  /** True when `share` exceeds the allowed share. */
  exceeds: boolean;
}

/**
 * Compares the model names of the existing catalog with the new ones. A run that loses many
 * models at once (NGC hiccup, wrong base URL, a filtered query) is more likely broken than real.
 */
export function checkModelDrop(options: {
  previous: readonly string[];
  next: readonly string[];
  /** Largest acceptable share in `[0, 1]`. */
  maxDropShare: number;
}): ModelDrop {
  const next = new Set(options.next);
  const previous = [...new Set(options.previous)];
  const dropped = previous.filter((name) => !next.has(name)).sort(compareStrings);
  const share = previous.length === 0 ? 0 : dropped.length / previous.length;
  return { previous: previous.length, dropped, share, exceeds: share > options.maxDropShare };
}

/**
 * Parses `--max-drop`: a share (`0.1`) or a percentage (`10%`), between 0 and 1 (100%).
 * Returns `undefined` for anything else.
 */
export function parseDropShare(value: string): number | undefined {
  const trimmed = value.trim();
  const percent = trimmed.endsWith('%');
  const number = Number(percent ? trimmed.slice(0, -1) : trimmed);
  if (trimmed === '' || trimmed === '%' || !Number.isFinite(number)) return undefined;
  const share = percent ? number / 100 : number;
  return share >= 0 && share <= 1 ? share : undefined;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
