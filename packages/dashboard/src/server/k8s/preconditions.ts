import type { V1DeleteOptions } from '@kubernetes/client-node';

/**
 * What a delete must still find: the object that was read (`uid`), unchanged since
 * (`resourceVersion`). The apiserver answers 409 otherwise.
 */
export interface DeletePreconditions {
  uid?: string | undefined;
  resourceVersion?: string | undefined;
}

/** The body of a delete with `preconditions`, or none. */
export function deleteBody(preconditions: DeletePreconditions | undefined): {
  body?: V1DeleteOptions;
} {
  if (!preconditions) return {};
  const { uid, resourceVersion } = preconditions;
  return {
    body: {
      preconditions: {
        ...(uid !== undefined ? { uid } : {}),
        ...(resourceVersion !== undefined ? { resourceVersion } : {}),
      },
    },
  };
}
