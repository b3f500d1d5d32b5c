import { Button, Label, Popover } from '@patternfly/react-core';
import { CheckCircleIcon } from '@patternfly/react-icons/dist/esm/icons/check-circle-icon.js';
import { ExclamationCircleIcon } from '@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js';
import { ExclamationTriangleIcon } from '@patternfly/react-icons/dist/esm/icons/exclamation-triangle-icon.js';
import { InProgressIcon } from '@patternfly/react-icons/dist/esm/icons/in-progress-icon.js';
import { PendingIcon } from '@patternfly/react-icons/dist/esm/icons/pending-icon.js';

import type { Deployment } from '../../api/types.js';
import { describeStatus, type StatusView } from './deployment-status.js';

const ICONS: Record<StatusView['icon'], React.ReactNode> = {
  ready: <CheckCircleIcon />,
  failed: <ExclamationCircleIcon />,
  warning: <ExclamationTriangleIcon />,
  starting: <InProgressIcon className="nim-spin" />,
  pending: <PendingIcon />,
};

/** A deployment's status as a label with an icon; the reason opens in a popover. */
export function StatusLabel({ deployment }: { deployment: Deployment }) {
  const view = describeStatus(deployment);
  const label = (
    <Label
      status={view.status}
      color={view.status === undefined ? 'grey' : undefined}
      icon={view.status === undefined || view.icon === 'starting' ? ICONS[view.icon] : undefined}
      data-testid={`status-${deployment.name}`}
    >
      {view.text}
    </Label>
  );
  if (view.details === undefined) return label;
  return (
    <Popover
      headerContent={view.text}
      bodyContent={view.details}
      aria-label={`Status of ${deployment.displayName}`}
    >
      <Button
        variant="plain"
        className="nim-status-button"
        aria-label={`${view.text}: show details`}
      >
        {label}
      </Button>
    </Popover>
  );
}
