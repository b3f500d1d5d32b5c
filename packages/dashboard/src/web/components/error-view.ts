import type { ApiRequestError } from '../api/client.js';

/** How a page presents a failed load: which picture, which words, and whether retrying helps. */
export interface ErrorView {
  kind: 'forbidden' | 'disabled' | 'catalog' | 'unauthenticated' | 'unreachable' | 'generic';
  title: string;
  body: string;
  retryable: boolean;
}

/**
 * Turns a failed call into words for people. `what` names what was being loaded ("NIM
 * deployments"); `namespace` the project, when the call was about one.
 */
export function describeApiError(
  error: Pick<ApiRequestError, 'code' | 'message'>,
  context: { what: string; namespace?: string | undefined },
): ErrorView {
  const where = context.namespace === undefined ? '' : ` in project "${context.namespace}"`;
  switch (error.code) {
    case 'forbidden':
      return {
        kind: 'forbidden',
        title: 'You do not have access to this project',
        body:
          `You do not have permission to view ${context.what}${where}. ` +
          'Ask a project administrator to give you edit access, or choose another project.',
        retryable: false,
      };
    case 'nim-disabled':
      return {
        kind: 'disabled',
        title: 'NVIDIA NIM is disabled',
        body:
          'Your administrator has turned off NVIDIA NIM model serving for this cluster. ' +
          'Contact them if you need to deploy NIM models.',
        retryable: false,
      };
    case 'catalog-not-installed':
      return {
        kind: 'catalog',
        title: 'The NIM model catalog is not installed',
        body:
          'The list of NVIDIA NIM models is not installed on this cluster, so no model can be ' +
          `deployed. Ask your administrator to install it. ${error.message}`.trim(),
        retryable: true,
      };
    case 'unauthenticated':
      return {
        kind: 'unauthenticated',
        title: 'You are not signed in',
        body: 'Your session has expired or the request carried no identity. Reload the page to sign in again.',
        retryable: true,
      };
    case 'network':
      return {
        kind: 'unreachable',
        title: 'The dashboard cannot be reached',
        body: error.message,
        retryable: true,
      };
    default:
      return {
        kind: 'generic',
        title: `Could not load ${context.what}`,
        body: error.message,
        retryable: true,
      };
  }
}
