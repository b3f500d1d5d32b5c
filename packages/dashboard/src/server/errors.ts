import type {
  ApiError,
  ApiErrorCode,
  DeployStep,
  FieldIssue,
  RollbackReport,
} from '../api/types.js';

/** Options shared by every {@link DashboardError}. */
export interface DashboardErrorOptions {
  /** HTTP status to answer with. */
  status: number;
  /** The first invalid field, as a dotted path of the request body. */
  field?: string | undefined;
  issues?: FieldIssue[] | undefined;
  /** The apiserver's status, when the failure came from Kubernetes. */
  kubernetesStatus?: number | undefined;
  /** The underlying failure; never serialized into a response or a log line. */
  cause?: unknown;
}

/**
 * Base of the backend's errors: a machine-readable `code`, the HTTP `status`, and a message a
 * person can act on. Never carries a key or a token.
 */
export class DashboardError extends Error {
  override name = 'DashboardError';
  readonly status: number;
  readonly field: string | undefined;
  readonly issues: FieldIssue[] | undefined;
  readonly kubernetesStatus: number | undefined;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: DashboardErrorOptions,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.field = options.field ?? options.issues?.[0]?.field;
    this.issues = options.issues;
    this.kubernetesStatus = options.kubernetesStatus;
  }

  /** The response body. */
  toBody(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.issues !== undefined ? { issues: this.issues } : {}),
      ...(this.kubernetesStatus !== undefined ? { kubernetesStatus: this.kubernetesStatus } : {}),
    };
  }
}

/** One or more invalid request fields (400). */
export class RequestValidationError extends DashboardError {
  override name = 'RequestValidationError';
  constructor(issues: FieldIssue[], options: { status?: number; code?: ApiErrorCode } = {}) {
    super(options.code ?? 'invalid-request', describeIssues(issues), {
      status: options.status ?? 400,
      issues,
    });
  }
}

/** A deploy that failed at `step`; `rolledBack` says what was undone. */
export class DeployError extends DashboardError {
  override name = 'DeployError';
  constructor(
    readonly step: DeployStep,
    readonly reason: DashboardError,
    readonly rolledBack?: RollbackReport,
  ) {
    super(reason.code, `Deploy failed at step "${step}": ${reason.message}`, {
      status: reason.status,
      field: reason.field,
      issues: reason.issues,
      kubernetesStatus: reason.kubernetesStatus,
      cause: reason,
    });
  }

  override toBody(): ApiError {
    return {
      ...super.toBody(),
      failedStep: this.step,
      ...(this.rolledBack ? { rolledBack: this.rolledBack } : {}),
    };
  }
}

/** 401: the request carries no bearer token. */
export function unauthenticated(): DashboardError {
  return new DashboardError(
    'unauthenticated',
    'No bearer token: send "Authorization: Bearer <token>" (or X-Forwarded-Access-Token).',
    { status: 401 },
  );
}

/** 403 on every NIM route when `disableNIMModelServing` is set. */
export function nimDisabled(): DashboardError {
  return new DashboardError(
    'nim-disabled',
    'NVIDIA NIM model serving is disabled by the administrator (disableNIMModelServing).',
    { status: 403 },
  );
}

function describeIssues(issues: FieldIssue[]): string {
  const [first, ...rest] = issues;
  if (!first) return 'The request is invalid.';
  const more = rest.length > 0 ? ` (and ${rest.length} more invalid field(s))` : '';
  return `${first.field}: ${first.message}${more}`;
}
