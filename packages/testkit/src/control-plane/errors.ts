/** Machine-readable reasons the test control plane fails. */
export type ControlPlaneErrorCode =
  | 'assets-missing'
  | 'build-failed'
  | 'ctr-failed'
  | 'port-unavailable'
  | 'process-failed'
  | 'start-timeout'
  | 'stop-failed'
  | 'invalid-user'
  | 'invalid-crd'
  | 'crd-failed'
  | 'not-provided';

/** A failure of the test control plane, with a code for callers and a message for a person. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly code: ControlPlaneErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
