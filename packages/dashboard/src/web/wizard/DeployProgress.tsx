import {
  Alert,
  List,
  ListItem,
  ProgressStep,
  ProgressStepper,
  Spinner,
} from '@patternfly/react-core';
import { BanIcon } from '@patternfly/react-icons/dist/esm/icons/ban-icon.js';
import { CheckCircleIcon } from '@patternfly/react-icons/dist/esm/icons/check-circle-icon.js';
import { ExclamationCircleIcon } from '@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js';
import { PendingIcon } from '@patternfly/react-icons/dist/esm/icons/pending-icon.js';

import type { DeployStep } from '../../api/types.js';
import {
  buildProgress,
  deployStepTitle,
  describeRollback,
  type DeployState,
  type ProgressItem,
} from './deploy-progress.js';

const VARIANTS: Record<
  ProgressItem['state'],
  'success' | 'danger' | 'pending' | 'info' | 'default'
> = {
  pending: 'pending',
  running: 'info',
  done: 'success',
  failed: 'danger',
  'not-run': 'pending',
};

function StepIcon({ state }: { state: ProgressItem['state'] }) {
  switch (state) {
    case 'running':
      return <Spinner size="md" aria-label="In progress" />;
    case 'done':
      return <CheckCircleIcon />;
    case 'failed':
      return <ExclamationCircleIcon />;
    case 'not-run':
      return <BanIcon />;
    case 'pending':
      return <PendingIcon />;
  }
}

export interface DeployProgressProps {
  steps: readonly DeployStep[];
  state: DeployState;
}

/**
 * The deploy's steps as a vertical stepper, and on failure the failed step, its reason and what
 * the rollback did (from the backend's error answer).
 */
export function DeployProgress({ steps, state }: DeployProgressProps) {
  if (state.status === 'idle') return null;
  const items = buildProgress(steps, state);
  const failed = state.status === 'failed' ? state : undefined;
  const rollback = failed ? describeRollback(failed.error?.rolledBack) : undefined;
  return (
    <section
      className="nim-deploy-progress"
      aria-label="Deploy progress"
      data-testid="deploy-progress"
    >
      {failed ? (
        <Alert
          variant="danger"
          isInline
          title={`Deploy failed at "${deployStepTitle(failed.error?.failedStep ?? 'validate')}"`}
          data-testid="deploy-error"
        >
          <p>{failed.message}</p>
          {failed.error?.issues && failed.error.issues.length > 0 ? (
            <List>
              {failed.error.issues.map((issue) => (
                <ListItem key={`${issue.field}:${issue.message}`}>
                  <code>{issue.field}</code>: {issue.message}
                </ListItem>
              ))}
            </List>
          ) : null}
          {rollback ? <p data-testid="rollback-summary">{rollback.summary}</p> : null}
          {rollback && rollback.leftovers.length > 0 ? (
            <>
              <p>These objects could not be undone; remove them by hand:</p>
              <List>
                {rollback.leftovers.map((line) => (
                  <ListItem key={line}>{line}</ListItem>
                ))}
              </List>
            </>
          ) : null}
        </Alert>
      ) : null}
      {state.status === 'running' ? (
        <p className="nim-muted" aria-live="polite">
          Deploying. Every object is checked with a dry run first; if a step fails, what this deploy
          created is removed again.
        </p>
      ) : null}
      <ProgressStepper isVertical aria-label="Deploy steps">
        {items.map((item) => (
          <ProgressStep
            key={item.step}
            id={`deploy-step-${item.step}`}
            titleId={`deploy-step-${item.step}-title`}
            variant={VARIANTS[item.state]}
            icon={<StepIcon state={item.state} />}
            isCurrent={item.state === 'running' || item.state === 'failed'}
            description={item.state === 'failed' ? undefined : item.detail}
            aria-label={`${item.title}: ${item.state}`}
          >
            {item.title}
          </ProgressStep>
        ))}
      </ProgressStepper>
    </section>
  );
}
