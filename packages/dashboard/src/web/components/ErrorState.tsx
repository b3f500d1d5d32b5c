import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
} from '@patternfly/react-core';
import { BanIcon } from '@patternfly/react-icons/dist/esm/icons/ban-icon.js';
import { CubesIcon } from '@patternfly/react-icons/dist/esm/icons/cubes-icon.js';
import { ExclamationCircleIcon } from '@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js';
import { LockIcon } from '@patternfly/react-icons/dist/esm/icons/lock-icon.js';
import type { ComponentType, ReactNode } from 'react';

import type { ApiRequestError } from '../api/client.js';
import { describeApiError, type ErrorView } from './error-view.js';

const ICONS: Record<ErrorView['kind'], ComponentType> = {
  forbidden: LockIcon,
  disabled: BanIcon,
  catalog: CubesIcon,
  unauthenticated: LockIcon,
  unreachable: ExclamationCircleIcon,
  generic: ExclamationCircleIcon,
};

export interface ErrorStateProps {
  /** A failed call, or just a code and message for states known without one. */
  error: Pick<ApiRequestError, 'code' | 'message'>;
  /** What was being loaded, e.g. "NIM deployments". */
  what: string;
  namespace?: string | undefined;
  onRetry?: () => void;
  /** Extra actions (e.g. "Choose another project"). */
  actions?: ReactNode;
}

/** A full-width empty state explaining a failed load; never a blank page or a crash. */
export function ErrorState({ error, what, namespace, onRetry, actions }: ErrorStateProps) {
  const view = describeApiError(error, { what, namespace });
  const status = view.kind === 'generic' || view.kind === 'unreachable' ? 'danger' : undefined;
  return (
    <EmptyState
      titleText={view.title}
      headingLevel="h2"
      icon={ICONS[view.kind]}
      status={status}
      data-testid={`error-state-${view.kind}`}
    >
      <EmptyStateBody>{view.body}</EmptyStateBody>
      {(view.retryable && onRetry) || actions ? (
        <EmptyStateFooter>
          <EmptyStateActions>
            {view.retryable && onRetry ? (
              <Button variant="primary" onClick={onRetry}>
                Try again
              </Button>
            ) : null}
            {actions}
          </EmptyStateActions>
        </EmptyStateFooter>
      ) : null}
    </EmptyState>
  );
}
