import {
  Breadcrumb,
  BreadcrumbItem,
  Content,
  EmptyState,
  EmptyStateBody,
  EmptyStateFooter,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  Page,
  PageSection,
  Spinner,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { UserIcon } from '@patternfly/react-icons/dist/esm/icons/user-icon.js';
import { useEffect } from 'react';

import { getConfig, getModels, getProjects, getWhoami } from './api/api.js';
import { useRequest } from './api/hooks.js';
import { ErrorState } from './components/ErrorState.js';
import { NimConfigNotice } from './components/NimConfigNotice.js';
import { useNotifications } from './components/notifications.js';
import { ProjectSelector } from './components/ProjectSelector.js';
import { DeploymentsPage } from './deployments/DeploymentsPage.js';
import { useHashRoute } from './routing.js';
import { DeployWizard } from './wizard/DeployWizard.js';

const LAST_PROJECT_KEY = 'odh-nim.project';

function rememberProject(namespace: string): void {
  try {
    window.localStorage.setItem(LAST_PROJECT_KEY, namespace);
  } catch {
    // Storage may be off (private mode); the hash still carries the project.
  }
}

function lastProject(): string | null {
  try {
    return window.localStorage.getItem(LAST_PROJECT_KEY);
  } catch {
    return null;
  }
}

function BrandMark() {
  return (
    <svg className="nim-brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="#76b900" />
      <path d="M8 22V10h3.2l6.6 7.4V10H21v12h-3.1L11.2 14.6V22z" fill="#fff" />
      <circle cx="24.5" cy="20.5" r="1.8" fill="#fff" />
    </svg>
  );
}

function Header({ username }: { username: string | undefined }) {
  return (
    <Masthead className="nim-masthead">
      <MastheadMain>
        <MastheadBrand>
          <MastheadLogo component="a" href="#/" className="nim-brand" aria-label="NVIDIA NIM home">
            <BrandMark />
            <span className="nim-brand__text">
              <span className="nim-brand__product">NVIDIA NIM</span>
              <span className="nim-brand__platform">OpenShift AI</span>
            </span>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarItem align={{ default: 'alignEnd' }}>
              {username ? (
                <span className="nim-user" data-testid="username">
                  <UserIcon aria-hidden="true" /> {username}
                </span>
              ) : null}
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );
}

function Loading({ what }: { what: string }) {
  return (
    <PageSection isFilled>
      <EmptyState titleText={`Loading ${what}`} headingLevel="h2" icon={Spinner} />
    </PageSection>
  );
}

/** The dashboard: masthead, project selector, deployments page and deploy wizard. */
export function App() {
  const [route, navigate] = useHashRoute();
  const config = useRequest('config', getConfig);
  const catalog = useRequest('models', getModels);
  const projects = useRequest('projects', getProjects);
  const whoami = useRequest('whoami', getWhoami);
  const { notify, toasts } = useNotifications();
  const namespace = route.namespace;

  useEffect(() => {
    if (namespace !== undefined || projects.data === undefined) return;
    const listed = projects.data.projects;
    const last = lastProject();
    const pick = listed.find((p) => p.name === last)?.name ?? listed[0]?.name;
    if (pick !== undefined) navigate({ page: 'deployments', namespace: pick });
  }, [namespace, projects.data, navigate]);

  useEffect(() => {
    if (namespace !== undefined) rememberProject(namespace);
  }, [namespace]);

  const selector = (
    <ProjectSelector
      projects={projects.data?.projects ?? []}
      selected={namespace}
      onSelect={(next) => navigate({ page: 'deployments', namespace: next })}
      isLoading={projects.loading && projects.data === undefined}
    />
  );

  let content: React.ReactNode;
  if (config.error) {
    content = (
      <PageSection isFilled>
        <ErrorState error={config.error} what="the NIM settings" onRetry={config.reload} />
      </PageSection>
    );
  } else if (config.data === undefined) {
    content = <Loading what="NVIDIA NIM" />;
  } else if (!config.data.enabled) {
    content = (
      <PageSection isFilled>
        <ErrorState error={{ code: 'nim-disabled', message: '' }} what="NVIDIA NIM" />
      </PageSection>
    );
  } else if (namespace === undefined) {
    content =
      projects.data === undefined && !projects.error ? (
        <Loading what="projects" />
      ) : (
        <PageSection isFilled>
          <EmptyState titleText="Choose a project" headingLevel="h1" data-testid="no-project">
            <EmptyStateBody>
              {projects.data?.message ??
                projects.error?.message ??
                'You have no project yet. Create one in OpenShift AI, or type the name of a project you work in.'}
            </EmptyStateBody>
            <EmptyStateFooter>{selector}</EmptyStateFooter>
          </EmptyState>
        </PageSection>
      );
  } else if (route.page === 'deploy') {
    const backToList = (): void => navigate({ page: 'deployments', namespace });
    let wizard: React.ReactNode;
    if (catalog.error) {
      wizard = (
        <ErrorState error={catalog.error} what="the NIM model catalog" onRetry={catalog.reload} />
      );
    } else if (catalog.data === undefined) {
      wizard = (
        <EmptyState titleText="Loading the NIM model catalog" headingLevel="h2" icon={Spinner} />
      );
    } else if (catalog.data.state !== 'ready' || catalog.data.models.length === 0) {
      wizard = (
        <ErrorState
          error={{
            code:
              catalog.data.state === 'disabled'
                ? 'nim-disabled'
                : catalog.data.state === 'invalid'
                  ? 'internal'
                  : 'catalog-not-installed',
            message:
              catalog.data.message ??
              (catalog.data.state === 'ready' ? 'The catalog lists no model.' : ''),
          }}
          what="the NIM model catalog"
          onRetry={catalog.reload}
        />
      );
    } else {
      wizard = (
        <DeployWizard
          key={namespace}
          namespace={namespace}
          config={config.data}
          models={catalog.data.models}
          onCancel={backToList}
          onDone={(deployment) => {
            if (deployment) {
              notify({
                variant: 'info',
                title: `${deployment.displayName} is starting`,
                body: 'The status turns to Ready when the model is loaded.',
              });
            }
            backToList();
          }}
        />
      );
    }
    content = (
      <>
        <PageSection className="nim-wizard-header" aria-label="Deploy NIM model">
          <Breadcrumb>
            <BreadcrumbItem
              to={`#/projects/${encodeURIComponent(namespace)}/deployments`}
              onClick={(event) => {
                event.preventDefault();
                backToList();
              }}
            >
              NIM deployments
            </BreadcrumbItem>
            <BreadcrumbItem isActive>Deploy NIM model</BreadcrumbItem>
          </Breadcrumb>
          <Title headingLevel="h1" id="nim-wizard-title">
            Deploy an NVIDIA NIM model
          </Title>
          <Content component="p" className="nim-muted">
            In project <strong>{namespace}</strong>. The model server runs with your own NGC key and
            your permissions in this project.
          </Content>
          <NimConfigNotice nimConfigCrd={config.data.nimConfigCrd} />
        </PageSection>
        <PageSection
          type="wizard"
          isFilled
          className="nim-wizard-section"
          aria-labelledby="nim-wizard-title"
        >
          {wizard}
        </PageSection>
      </>
    );
  } else {
    content = (
      <DeploymentsPage
        key={namespace}
        namespace={namespace}
        config={config.data}
        catalog={
          catalog.data ??
          (catalog.error ? { state: 'invalid', message: catalog.error.message } : undefined)
        }
        onDeploy={() => navigate({ page: 'deploy', namespace })}
        notify={notify}
        projectSelector={selector}
      />
    );
  }

  return (
    <Page masthead={<Header username={whoami.data?.username} />} isContentFilled>
      {content}
      {toasts}
    </Page>
  );
}
