/** Options of every `create*`/`update*`/`delete*` call. */
export interface WriteOptions {
  /** Server-side dry run (`dryRun=All`): admission runs, nothing is stored. */
  dryRun?: boolean;
}

/** Field manager recorded in `managedFields` for every write. */
export const FIELD_MANAGER = 'odh-nim-dashboard';

/** The query parameters of a delete (it records no field manager). */
export function deleteParams(options: WriteOptions): { dryRun?: string } {
  return options.dryRun ? { dryRun: 'All' } : {};
}

/** The query parameters of a write. */
export function writeParams(options: WriteOptions): { dryRun?: string; fieldManager: string } {
  return options.dryRun
    ? { dryRun: 'All', fieldManager: FIELD_MANAGER }
    : { fieldManager: FIELD_MANAGER };
}
