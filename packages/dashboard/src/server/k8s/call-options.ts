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

/**
 * The query parameters of a write. NB: `fieldValidation=Strict` makes a field the schema lacks a
 * 400 naming it, instead of a silent prune that would leave the object other than we built it.
 */
export function writeParams(options: WriteOptions): {
  dryRun?: string;
  fieldManager: string;
  fieldValidation: 'Strict';
} {
  const common: { fieldManager: string; fieldValidation: 'Strict' } = {
    fieldManager: FIELD_MANAGER,
    fieldValidation: 'Strict',
  };
  return options.dryRun ? { dryRun: 'All', ...common } : common;
}
