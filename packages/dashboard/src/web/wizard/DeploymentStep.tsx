import {
  Button,
  Checkbox,
  Form,
  FormGroup,
  FormSection,
  Grid,
  GridItem,
  Radio,
} from '@patternfly/react-core';
import { useState } from 'react';

import { DEPLOY_LIMITS, type RuntimeTemplateInfo } from '../../api/types.js';
import { CountField, FieldHelp, TextField } from '../components/fields.js';
import { withDisplayName, type DeploymentSettings } from './form.js';
import type { SettingsErrors } from './validation.js';

export interface DeploymentStepProps {
  settings: DeploymentSettings;
  onChange: (settings: DeploymentSettings) => void;
  errors: SettingsErrors;
  templates: readonly RuntimeTemplateInfo[];
  namespace: string;
}

const PROTOCOLS = [
  {
    protocol: 'http',
    label: 'HTTP (REST)',
    description: 'OpenAI-compatible REST API on port 8000. Works with most clients.',
  },
  {
    protocol: 'grpc',
    label: 'gRPC',
    description: 'KServe v2 gRPC API on port 8001, for Triton and gRPC clients.',
  },
] as const;

/** Wizard step 3: name, resources, cache storage and serving options, checked as typed. */
export function DeploymentStep({
  settings,
  onChange,
  errors,
  templates,
  namespace,
}: DeploymentStepProps) {
  const [editingName, setEditingName] = useState(settings.nameEdited);
  const set = <K extends keyof DeploymentSettings>(key: K, value: DeploymentSettings[K]): void =>
    onChange({ ...settings, [key]: value });

  return (
    <Form className="nim-form" onSubmit={(event) => event.preventDefault()}>
      <FormSection title="Name" titleElement="h3">
        <TextField
          id="nim-display-name"
          label="Deployment name"
          isRequired
          value={settings.displayName}
          onChange={(value) => onChange(withDisplayName(settings, value))}
          error={errors.displayName}
          hint="The name people see in the dashboard."
        />
        {editingName ? (
          <TextField
            id="nim-resource-name"
            label="Resource name"
            isRequired
            value={settings.name}
            onChange={(value) => onChange({ ...settings, name: value, nameEdited: true })}
            error={errors.name}
            hint={`Name of the ServingRuntime and InferenceService in project ${namespace}: lower case letters, digits and "-", at most 45 characters.`}
          />
        ) : (
          <FormGroup label="Resource name" fieldId="nim-resource-name-value">
            <div className="nim-resource-name">
              <code id="nim-resource-name-value" data-testid="resource-name">
                {settings.name || '—'}
              </code>
              <Button
                variant="link"
                isInline
                onClick={() => setEditingName(true)}
                aria-label="Edit resource name"
              >
                Edit
              </Button>
            </div>
            <FieldHelp
              id="nim-resource-name-value"
              error={errors.name}
              hint="Derived from the deployment name. Used for the ServingRuntime and InferenceService."
            />
          </FormGroup>
        )}
      </FormSection>

      <FormSection title="Resources" titleElement="h3">
        <Grid hasGutter md={6}>
          <GridItem>
            <CountField
              id="nim-replicas"
              label="Replicas"
              value={settings.replicas}
              onChange={(value) => set('replicas', value)}
              min={1}
              max={DEPLOY_LIMITS.maxReplicas}
              error={errors.replicas}
              hint="Model server pods to run."
            />
          </GridItem>
          <GridItem>
            <CountField
              id="nim-gpus"
              label="NVIDIA GPUs per replica"
              value={settings.gpus}
              onChange={(value) => set('gpus', value)}
              min={0}
              max={DEPLOY_LIMITS.maxGpus}
              error={errors.gpus}
              hint="Most NIM LLMs need at least one GPU."
            />
          </GridItem>
          <GridItem>
            <TextField
              id="nim-cpu-request"
              label="CPU request"
              isRequired
              value={settings.cpuRequest}
              onChange={(value) => set('cpuRequest', value)}
              error={errors.cpuRequest}
              hint="Cores, e.g. 1 or 500m."
            />
          </GridItem>
          <GridItem>
            <TextField
              id="nim-cpu-limit"
              label="CPU limit"
              isRequired
              value={settings.cpuLimit}
              onChange={(value) => set('cpuLimit', value)}
              error={errors.cpuLimit}
              hint="At least the request."
            />
          </GridItem>
          <GridItem>
            <TextField
              id="nim-memory-request"
              label="Memory request"
              isRequired
              value={settings.memoryRequest}
              onChange={(value) => set('memoryRequest', value)}
              error={errors.memoryRequest}
              hint="e.g. 4Gi or 16Gi."
            />
          </GridItem>
          <GridItem>
            <TextField
              id="nim-memory-limit"
              label="Memory limit"
              isRequired
              value={settings.memoryLimit}
              onChange={(value) => set('memoryLimit', value)}
              error={errors.memoryLimit}
              hint="At least the request."
            />
          </GridItem>
        </Grid>
      </FormSection>

      <FormSection title="Model cache storage" titleElement="h3">
        <FormGroup role="radiogroup" isStack fieldId="nim-storage-mode" label="Cache volume">
          <Radio
            id="nim-storage-new"
            name="nim-storage-mode"
            label="Create new storage"
            description="A new persistent volume claim holds the downloaded model."
            isChecked={settings.storageMode === 'new'}
            onChange={() => set('storageMode', 'new')}
          />
          <Radio
            id="nim-storage-existing"
            name="nim-storage-mode"
            label="Use existing storage"
            description="Reuse a persistent volume claim of this project, e.g. one with the model already cached."
            isChecked={settings.storageMode === 'existing'}
            onChange={() => set('storageMode', 'existing')}
          />
        </FormGroup>
        {settings.storageMode === 'new' ? (
          <Grid hasGutter md={6}>
            <GridItem>
              <TextField
                id="nim-storage-size"
                label="Storage size"
                isRequired
                value={settings.storageSize}
                onChange={(value) => set('storageSize', value)}
                error={errors.storageSize}
                hint="Large models need 50Gi or more."
              />
            </GridItem>
            <GridItem>
              <TextField
                id="nim-storage-class"
                label="Storage class"
                value={settings.storageClassName}
                onChange={(value) => set('storageClassName', value)}
                error={errors.storageClassName}
                placeholder="Cluster default"
                hint="Leave empty to use the cluster's default storage class."
              />
            </GridItem>
          </Grid>
        ) : (
          <Grid hasGutter md={6}>
            <GridItem>
              <TextField
                id="nim-claim-name"
                label="Persistent volume claim"
                isRequired
                value={settings.claimName}
                onChange={(value) => set('claimName', value)}
                error={errors.claimName}
                hint={`Name of a claim in project ${namespace}.`}
              />
            </GridItem>
            <GridItem>
              <TextField
                id="nim-sub-path"
                label="Sub-path"
                value={settings.subPath}
                onChange={(value) => set('subPath', value)}
                error={errors.subPath}
                placeholder="e.g. models/llama"
                hint="Optional directory inside the claim."
              />
            </GridItem>
          </Grid>
        )}
      </FormSection>

      <FormSection title="Serving" titleElement="h3">
        <FormGroup role="radiogroup" isStack fieldId="nim-protocol" label="API protocol">
          {PROTOCOLS.map(({ protocol, label, description }) => {
            const template = templates.find((t) => t.protocol === protocol);
            const missing = template !== undefined && !template.installed;
            return (
              <Radio
                key={protocol}
                id={`nim-protocol-${protocol}`}
                name="nim-protocol"
                label={label}
                description={
                  missing ? `${description} Not installed on this cluster.` : description
                }
                isChecked={settings.protocol === protocol}
                isDisabled={missing && settings.protocol !== protocol}
                onChange={() => set('protocol', protocol)}
              />
            );
          })}
          <FieldHelp id="nim-protocol" error={errors.protocol} />
        </FormGroup>
        <FormGroup role="group" isStack fieldId="nim-external-route" label="Access">
          <Checkbox
            id="nim-external-route"
            label="Make the model available through an external route"
            description="Clients outside the cluster can reach the endpoint."
            isChecked={settings.externalRoute}
            onChange={(_event, checked) => set('externalRoute', checked)}
          />
          <Checkbox
            id="nim-token-auth"
            label="Require token authentication"
            description="Callers must send a bearer token of a service account allowed to use the model."
            isChecked={settings.tokenAuth}
            onChange={(_event, checked) => set('tokenAuth', checked)}
          />
        </FormGroup>
      </FormSection>
    </Form>
  );
}
