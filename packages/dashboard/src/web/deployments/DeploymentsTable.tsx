import { ClipboardCopy, Label, MenuToggle, Tooltip } from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons/dist/esm/icons/ellipsis-v-icon.js';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';

import type { Deployment } from '../../api/types.js';
import { describeCache, describeReplicas, pickEndpoint } from './deployment-status.js';
import { StatusLabel } from './StatusLabel.js';

export interface DeploymentsTableProps {
  deployments: readonly Deployment[];
  onDelete: (deployment: Deployment) => void;
}

function Endpoint({ deployment }: { deployment: Deployment }) {
  const endpoint = pickEndpoint(deployment);
  if (!endpoint) {
    return <span className="nim-muted">Not available yet</span>;
  }
  return (
    <div className="nim-endpoint">
      <ClipboardCopy
        isReadOnly
        hoverTip="Copy URL"
        clickTip="Copied"
        variant="inline-compact"
        isCode
        data-testid={`endpoint-${deployment.name}`}
      >
        {endpoint.url}
      </ClipboardCopy>
      {endpoint.scope === 'internal' ? (
        <Tooltip content="Reachable from inside the cluster only.">
          <Label isCompact color="grey" tabIndex={0}>
            Internal
          </Label>
        </Tooltip>
      ) : null}
    </div>
  );
}

const CACHE_LABELS = {
  deleted: { text: 'Deleted with it', color: 'grey' },
  shared: { text: 'Shared', color: 'blue' },
  kept: { text: 'Kept', color: 'green' },
  missing: { text: 'Missing', color: 'orange' },
  unknown: undefined,
} as const;

/** The cache PVC, its size, and whether deleting the deployment deletes it. */
function Cache({ deployment }: { deployment: Deployment }) {
  const cache = describeCache(deployment);
  if (!cache) return <span className="nim-muted">None</span>;
  const label = CACHE_LABELS[cache.onDelete];
  return (
    <>
      <div className="nim-cell-title">
        <code>{cache.claimName}</code>
      </div>
      <div className="nim-cell-sub">
        {cache.details ? <span>{cache.details}</span> : null}
        {label ? (
          <Tooltip content={cache.fate}>
            <Label
              isCompact
              color={label.color}
              className="nim-cell-label"
              tabIndex={0}
              data-testid={`cache-fate-${deployment.name}`}
            >
              {label.text}
            </Label>
          </Tooltip>
        ) : null}
      </div>
    </>
  );
}

/** The project's NIM deployments: name, model and version, live status, endpoint, cache, replicas. */
export function DeploymentsTable({ deployments, onDelete }: DeploymentsTableProps) {
  return (
    <Table aria-label="NIM deployments" variant="compact" data-testid="deployments-table">
      <Thead>
        <Tr>
          <Th width={20}>Name</Th>
          <Th width={20}>Model</Th>
          <Th width={10}>Status</Th>
          <Th width={25}>Endpoint</Th>
          <Th width={15}>Cache</Th>
          <Th width={10}>Replicas</Th>
          <Th screenReaderText="Actions" />
        </Tr>
      </Thead>
      <Tbody>
        {deployments.map((deployment) => (
          <Tr key={deployment.name} data-testid={`deployment-row-${deployment.name}`}>
            <Td dataLabel="Name">
              <div className="nim-cell-title">{deployment.displayName}</div>
              <div className="nim-cell-sub">
                <code>{deployment.name}</code>
                {deployment.tokenAuth ? (
                  <Label isCompact color="blue" className="nim-cell-label">
                    Token auth
                  </Label>
                ) : null}
              </div>
            </Td>
            <Td dataLabel="Model">
              <div className="nim-cell-title">
                {deployment.modelDisplayName ?? deployment.modelName}
              </div>
              <div className="nim-cell-sub">
                <code>{deployment.tag}</code>
                {deployment.protocol === 'grpc' ? (
                  <Label isCompact color="purple" className="nim-cell-label">
                    gRPC
                  </Label>
                ) : null}
              </div>
            </Td>
            <Td dataLabel="Status">
              <StatusLabel deployment={deployment} />
            </Td>
            <Td dataLabel="Endpoint">
              <Endpoint deployment={deployment} />
            </Td>
            <Td dataLabel="Cache">
              <Cache deployment={deployment} />
            </Td>
            <Td dataLabel="Replicas">{describeReplicas(deployment.replicas)}</Td>
            <Td isActionCell>
              <ActionsColumn
                items={[{ title: 'Delete', onClick: () => onDelete(deployment) }]}
                popperProps={{ position: 'right' }}
                actionsToggle={({ onToggle, isOpen, isDisabled, toggleRef }) => (
                  <MenuToggle
                    ref={toggleRef}
                    onClick={onToggle}
                    isExpanded={isOpen}
                    isDisabled={isDisabled}
                    variant="plain"
                    aria-label={`Actions for ${deployment.displayName}`}
                    icon={<EllipsisVIcon />}
                  />
                )}
              />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
