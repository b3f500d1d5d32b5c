import { validateDns1123Label } from '@odh-nim/contract';

import type { Project } from '../../api/types.js';

/** The projects matching `query` (name or display name), and whether `query` may be opened as is. */
export function matchProjects(
  projects: readonly Project[],
  query: string,
): { matches: Project[]; canOpenTyped: boolean } {
  const q = query.trim().toLowerCase();
  const matches = projects.filter(
    (p) => q === '' || p.name.includes(q) || (p.displayName ?? '').toLowerCase().includes(q),
  );
  const canOpenTyped =
    q !== '' && validateDns1123Label(q) === undefined && !projects.some((p) => p.name === q);
  return { matches, canOpenTyped };
}
