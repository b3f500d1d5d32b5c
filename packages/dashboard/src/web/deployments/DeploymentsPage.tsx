import {
  Alert,
  Button,
  Content,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Flex,
  FlexItem,
  PageSection,
  Spinner,
  Title,
  Tooltip,
} from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons/dist/esm/icons/cubes-icon.js';
import { useState } from 'react';

import type { ConfigResponse, Deployment, ModelsResponse } from '../../api/types.js';
import { getApiKeyStatus } from '../api/api.js';
import { useDeployments, useRequest, DEPLOYMENTS_POLL_MS } from '../api/hooks.js';
import { ErrorState } from '../components/ErrorState.js';
import type { Notify } from '../components/notifications.js';
import { DeleteDeploymentModal } from './DeleteDeploymentModal.js';
import { DeploymentsTable } from './DeploymentsTable.js';
import { RotateKeyModal } from './RotateKeyModal.js';

export interface DeploymentsPageProps {
  namespace: string;
  config: ConfigResponse;
  /** The catalog answer, to say when deploying is impossible; `undefined` while loading. */
  catalog: Pick<ModelsResponse, 'state' | 'message'> | undefined;
  onDeploy: () => void;
  notify: Notify;
  /** Switch to another project (offered when this one is forbidden). */
  projectSelector: React.ReactNode;
}

function catalogProblem(
  catalog: DeploymentsPageProps['catalog'],
): { title: string; body: string } | undefined {
  if (catalog === undefined || catalog.state === 'ready') return undefined;
  if (catalog.state === 'catalog-not-installed') {
    return {
      title: 'The NIM model catalog is not installed',
      body:
        catalog.message ??
        'Ask your administrator to install the NVIDIA NIM model catalog; until then no model can be deployed.',
    };
  }
  return {
    title: 'The NIM model catalog cannot be read',
    body: catalog.message ?? 'Ask your administrator to check the NVIDIA NIM model catalog.',
  };
}

/** A project's NIM deployments with live status, delete, key rotation and the deploy entry. */
export function DeploymentsPage({
  namespace,
  config,
  catalog,
  onDeploy,
  notify,
  projectSelector,
}: DeploymentsPageProps) {
  const { deployments, error, loading, refresh } = useDeployments(namespace);
  const keyStatus = useRequest(config.keyCollection ? `key:${namespace}` : undefined, (signal) =>
    getApiKeyStatus(namespace, signal),
  );
  const [deleting, setDeleting] = useState<Deployment | undefined>(undefined);
  const [rotating, setRotating] = useState(false);
  const problem = catalogProblem(catalog);
  const forbidden = error?.code === 'forbidden' || error?.code === 'unauthenticated';
  const canDeploy = problem === undefined && catalog !== undefined && !forbidden;

  const deployButton = (
    <Button variant="primary" onClick={onDeploy} isAriaDisabled={!canDeploy}>
      Deploy NIM model
    </Button>
  );
  const deployAction =
    canDeploy || catalog === undefined ? (
      deployButton
    ) : (
      <Tooltip content={problem?.title ?? 'You cannot deploy in this project.'}>
        {deployButton}
      </Tooltip>
    );
  const hasKey = keyStatus.data?.exists === true;

  return (
    <>
      <PageSection className="nim-page-header">
        <Flex
          justifyContent={{ default: 'justifyContentSpaceBetween' }}
          alignItems={{ default: 'alignItemsFlexEnd' }}
          flexWrap={{ default: 'wrap' }}
        >
          <FlexItem>
            <Title headingLevel="h1">NVIDIA NIM deployments</Title>
            <Content component="p" className="nim-muted">
              NVIDIA NIM models served in this project, with their live status and endpoints.
            </Content>
          </FlexItem>
          <FlexItem>
            <Flex gap={{ default: 'gapSm' }}>
              {config.keyCollection && !forbidden ? (
                <Tooltip
                  content={
                    hasKey
                      ? 'Replace the NGC key stored in this project'
                      : 'No NGC key is stored in this project yet; the first deploy stores one.'
                  }
                >
                  <Button
                    variant="secondary"
                    onClick={() => setRotating(true)}
                    isAriaDisabled={!hasKey}
                  >
                    Rotate API key
                  </Button>
                </Tooltip>
              ) : null}
              {deployAction}
            </Flex>
          </FlexItem>
        </Flex>
        <div className="nim-project-row">{projectSelector}</div>
      </PageSection>

      <PageSection>
        {problem ? (
          <Alert
            variant="warning"
            isInline
            title={problem.title}
            className="nim-page-alert"
            data-testid="catalog-alert"
          >
            {problem.body}
          </Alert>
        ) : null}
        {error && !forbidden && deployments !== undefined ? (
          <Alert
            variant="warning"
            isInline
            isPlain
            title="Could not refresh the status; retrying"
            className="nim-page-alert"
          >
            {error.message}
          </Alert>
        ) : null}
        {deployments === undefined && error ? (
          <ErrorState
            error={error}
            what="NIM deployments"
            namespace={namespace}
            onRetry={refresh}
          />
        ) : deployments === undefined || (loading && deployments === undefined) ? (
          <EmptyState
            titleText="Loading deployments"
            headingLevel="h2"
            icon={Spinner}
            variant="sm"
          />
        ) : deployments.length === 0 ? (
          <EmptyState
            titleText="No NIM deployments yet"
            headingLevel="h2"
            icon={CubesIcon}
            data-testid="deployments-empty"
          >
            <EmptyStateBody>
              Deploy an NVIDIA NIM model to serve it in project {namespace}. You need an NGC
              personal key, unless your administrator set one up for the cluster.
            </EmptyStateBody>
            <EmptyStateFooter>
              <EmptyStateActions>{deployAction}</EmptyStateActions>
            </EmptyStateFooter>
          </EmptyState>
        ) : (
          <>
            <DeploymentsTable deployments={deployments} onDelete={setDeleting} />
            <p className="nim-muted nim-live" aria-live="off">
              <span className="nim-live__dot" aria-hidden="true" /> Live status, refreshed every{' '}
              {Math.round(DEPLOYMENTS_POLL_MS / 1000)} seconds
            </p>
          </>
        )}
      </PageSection>

      {deleting ? (
        <DeleteDeploymentModal
          deployment={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={(deployment, response) => {
            setDeleting(undefined);
            refresh();
            keyStatus.reload();
            notify({
              variant: 'success',
              title: `Deleted ${deployment.displayName}`,
              body: [
                `Removed ${response.deleted.map((ref) => `${ref.kind} ${ref.name}`).join(', ') || 'nothing'}.`,
                ...(response.collected && response.collected.length > 0
                  ? [
                      `${response.collected.map((ref) => `${ref.kind} ${ref.name}`).join(', ')} ${response.collected.length === 1 ? 'goes' : 'go'} with it.`,
                    ]
                  : []),
                ...response.kept.map((ref) => `Kept ${ref.kind} ${ref.name}: ${ref.reason}.`),
              ].join(' '),
            });
          }}
        />
      ) : null}
      {rotating ? (
        <RotateKeyModal
          namespace={namespace}
          deploymentCount={deployments?.length ?? 0}
          onClose={() => setRotating(false)}
          onRotated={(response) => {
            setRotating(false);
            refresh();
            notify({
              variant: response.failed.length > 0 ? 'warning' : 'success',
              title: response.changed === false ? 'NGC API key unchanged' : 'NGC API key rotated',
              body: [
                response.changed === false
                  ? 'The project already uses this key: nothing was changed or restarted.'
                  : response.restarted.length > 0
                    ? `Restarted ${response.restarted.join(', ')}.`
                    : 'No deployment needed a restart.',
                ...response.failed.map((f) => `Could not restart ${f.name}: ${f.message}.`),
              ].join(' '),
            });
          }}
        />
      ) : null}
    </>
  );
}
