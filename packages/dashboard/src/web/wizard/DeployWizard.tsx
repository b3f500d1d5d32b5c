import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Wizard,
  WizardStep,
} from '@patternfly/react-core';
import { CheckCircleIcon } from '@patternfly/react-icons/dist/esm/icons/check-circle-icon.js';
import { useCallback, useMemo, useRef, useState } from 'react';

import type { ModelEntry } from '@odh-nim/contract';

import type { ConfigResponse, Deployment } from '../../api/types.js';
import { createDeployment, getApiKeyStatus, listDeployments } from '../api/api.js';
import { toApiRequestError } from '../api/client.js';
import { useRequest } from '../api/hooks.js';
import { ErrorState } from '../components/ErrorState.js';
import { ApiKeyStep } from './ApiKeyStep.js';
import { DeploymentStep } from './DeploymentStep.js';
import { DeployProgress } from './DeployProgress.js';
import { describeKeyOutcome, listDeploySteps, type DeployState } from './deploy-progress.js';
import {
  buildDeployRequest,
  buildInitialSettings,
  withDisplayName,
  type DeploymentSettings,
  type KeyChoice,
} from './form.js';
import { EMPTY_MODEL_FILTER, type ModelFilter } from './model-filter.js';
import { ModelStep } from './ModelStep.js';
import { ReviewStep } from './ReviewStep.js';
import {
  evaluateKeyStep,
  isSettingsValid,
  validateDeploymentSettings,
  type KeyCheck,
} from './validation.js';
import { defaultTag } from './version-options.js';
import { VersionStep } from './VersionStep.js';

export interface DeployWizardProps {
  namespace: string;
  config: ConfigResponse;
  models: readonly ModelEntry[];
  /** Leave the wizard without deploying. */
  onCancel: () => void;
  /** Go to the deployments page after a successful deploy. */
  onDone: (deployment: Deployment | undefined) => void;
}

/**
 * The deploy wizard: model, version, deployment settings, NGC key (hidden when the administrator
 * turned key collection off) and review. A step's nav entry opens only once the steps before it
 * are complete, so the key check cannot be skipped from the nav.
 */
export function DeployWizard({ namespace, config, models, onCancel, onDone }: DeployWizardProps) {
  const [filter, setFilter] = useState<ModelFilter>(EMPTY_MODEL_FILTER);
  const [model, setModel] = useState<ModelEntry | undefined>(undefined);
  const [tag, setTag] = useState<string | undefined>(undefined);
  const [settings, setSettings] = useState<DeploymentSettings>(() => buildInitialSettings());
  const [key, setKey] = useState<KeyChoice>({ mode: 'new', apiKey: '' });
  const [keyCheck, setKeyCheck] = useState<KeyCheck | undefined>(undefined);
  const [deployState, setDeployState] = useState<DeployState>({ status: 'idle' });
  const keyModeChosen = useRef(false);

  const keyStatus = useRequest(config.keyCollection ? `key:${namespace}` : undefined, (signal) =>
    getApiKeyStatus(namespace, signal).then((status) => {
      // Default to the stored key when there is one, unless the user already chose.
      if (status.exists && status.complete !== false && !keyModeChosen.current) {
        setKey((current) => ({ ...current, mode: 'existing' }));
      }
      return status;
    }),
  );
  const existing = useRequest(`deployments:${namespace}`, (signal) =>
    listDeployments(namespace, signal),
  );
  const existingNames = useMemo(
    () => existing.data?.deployments.map((d) => d.name) ?? [],
    [existing.data],
  );

  const modelRef = useRef(model);
  modelRef.current = model;
  // Stable, so the memoized model cards do not re-render on every keystroke.
  const selectModel = useCallback((next: ModelEntry) => {
    const previous = modelRef.current;
    if (previous?.name === next.name) return;
    setModel(next);
    setTag(defaultTag(next));
    // Follow the model in the name unless the user typed their own.
    setSettings((current) =>
      current.displayName === '' || current.displayName === previous?.displayName
        ? withDisplayName(current, next.displayName)
        : current,
    );
  }, []);

  const errors = useMemo(
    () => validateDeploymentSettings(settings, { existingNames, templates: config.templates }),
    [settings, existingNames, config.templates],
  );
  const settingsValid = isSettingsValid(errors);
  const keyStep = evaluateKeyStep({ key, check: keyCheck, keyValidation: config.keyValidation });
  const keyValid = !config.keyCollection || keyStep.canContinue;

  const request = useMemo(
    () =>
      model && tag
        ? buildDeployRequest({
            modelName: model.name,
            tag,
            settings,
            key,
            keyCollection: config.keyCollection,
            storedKeyShown: keyStatus.data?.exists === true,
          })
        : undefined,
    [model, tag, settings, key, config.keyCollection, keyStatus.data?.exists],
  );
  const deploySteps = useMemo(
    () => (request ? listDeploySteps(request, { keyCollection: config.keyCollection }) : []),
    [request, config.keyCollection],
  );

  const deploy = async (): Promise<void> => {
    if (!request || deployState.status === 'running') return;
    setDeployState({ status: 'running' });
    try {
      const response = await createDeployment(namespace, request);
      setDeployState({ status: 'succeeded', response });
    } catch (error) {
      const failure = toApiRequestError(error);
      setDeployState({ status: 'failed', message: failure.message, error: failure.body });
      existing.reload();
    }
  };

  if (existing.error?.code === 'forbidden' || existing.error?.code === 'unauthenticated') {
    return (
      <ErrorState
        error={existing.error}
        what="NIM deployments"
        namespace={namespace}
        actions={
          <Button variant="link" onClick={onCancel}>
            Back to deployments
          </Button>
        }
      />
    );
  }

  if (deployState.status === 'succeeded') {
    const deployment = deployState.response.deployment;
    const keyOutcome = request ? describeKeyOutcome(request, deployState.response) : undefined;
    return (
      <div className="nim-wizard-done" data-testid="deploy-succeeded">
        <EmptyState
          titleText={`${deployment.displayName} is deploying`}
          headingLevel="h2"
          icon={CheckCircleIcon}
          status="success"
        >
          <EmptyStateBody>
            Every object was created in project {namespace}. The model server now downloads{' '}
            {model?.displayName ?? deployment.modelName}; its status on the deployments page turns
            to Ready when it can serve requests.
            {keyOutcome ? <p data-testid="deploy-key-outcome">{keyOutcome}</p> : null}
          </EmptyStateBody>
          <EmptyStateFooter>
            <EmptyStateActions>
              <Button variant="primary" onClick={() => onDone(deployment)}>
                Go to deployments
              </Button>
            </EmptyStateActions>
          </EmptyStateFooter>
        </EmptyState>
        <DeployProgress steps={deploySteps} state={deployState} />
      </div>
    );
  }

  const running = deployState.status === 'running';
  const clearFailure = (): void => {
    if (deployState.status === 'failed') setDeployState({ status: 'idle' });
  };

  return (
    <Wizard
      className="nim-wizard"
      isVisitRequired
      navAriaLabel="Deploy steps"
      aria-label="Deploy an NVIDIA NIM model"
      onClose={onCancel}
      onSave={deploy}
      onStepChange={clearFailure}
    >
      <WizardStep
        id="model"
        name="Model"
        footer={{ isNextDisabled: !model }}
        body={{ className: 'nim-wizard-body' }}
      >
        <ModelStep
          models={models}
          selected={model?.name}
          onSelect={selectModel}
          filter={filter}
          onFilterChange={setFilter}
        />
      </WizardStep>
      <WizardStep id="version" name="Version" isDisabled={!model} footer={{ isNextDisabled: !tag }}>
        {model ? (
          <VersionStep model={model} selected={tag} onSelect={setTag} registry={config.registry} />
        ) : null}
      </WizardStep>
      <WizardStep
        id="deployment"
        name="Deployment"
        isDisabled={!model || !tag}
        footer={{ isNextDisabled: !settingsValid }}
      >
        <DeploymentStep
          settings={settings}
          onChange={setSettings}
          errors={errors}
          templates={config.templates}
          namespace={namespace}
        />
      </WizardStep>
      <WizardStep
        id="api-key"
        name="NGC API key"
        isHidden={!config.keyCollection}
        isDisabled={!model || !tag || !settingsValid}
        footer={{ isNextDisabled: !keyValid }}
      >
        <ApiKeyStep
          namespace={namespace}
          keyStatus={keyStatus.data}
          keyStatusError={keyStatus.error}
          choice={key}
          onChoiceChange={(choice) => {
            keyModeChosen.current = true;
            setKey(choice);
          }}
          check={keyCheck}
          onCheck={setKeyCheck}
          keyValidation={config.keyValidation}
        />
      </WizardStep>
      <WizardStep
        id="review"
        name="Review"
        isDisabled={!request || !settingsValid || !keyValid}
        footer={{
          nextButtonText: running ? 'Deploying' : 'Deploy',
          isNextDisabled: running || !request,
          isBackDisabled: running,
          nextButtonProps: { isLoading: running },
        }}
      >
        {model && request ? (
          <ReviewStep
            namespace={namespace}
            model={model}
            request={request}
            registry={config.registry}
            keyCollection={config.keyCollection}
            deployState={deployState}
            deploySteps={deploySteps}
          />
        ) : null}
      </WizardStep>
    </Wizard>
  );
}
