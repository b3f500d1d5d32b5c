/** Machine-readable reasons a contract check fails. */
export type ContractErrorCode =
  | 'invalid-name'
  | 'invalid-model-entry'
  | 'invalid-configmap'
  | 'configmap-too-large'
  | 'invalid-key'
  | 'invalid-template';

/** A contract violation, with a code for callers and a message fit for a person. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
