import {
  Alert,
  Button,
  Content,
  Form,
  FormGroup,
  InputGroup,
  InputGroupItem,
  Radio,
  Skeleton,
  TextInput,
} from '@patternfly/react-core';
import { EyeIcon } from '@patternfly/react-icons/dist/esm/icons/eye-icon.js';
import { EyeSlashIcon } from '@patternfly/react-icons/dist/esm/icons/eye-slash-icon.js';
import { useRef, useState } from 'react';

import type { ApiKeyStatusResponse, ValidateKeyResponse } from '../../api/types.js';
import { validateKey } from '../api/api.js';
import { toApiRequestError, type ApiRequestError } from '../api/client.js';
import { FieldHelp } from '../components/fields.js';
import type { KeyChoice } from './form.js';
import { evaluateKeyStep, type KeyCheck } from './validation.js';

export interface ApiKeyStepProps {
  namespace: string;
  /** `undefined` while loading. */
  keyStatus: ApiKeyStatusResponse | undefined;
  keyStatusError: ApiRequestError | undefined;
  choice: KeyChoice;
  onChoiceChange: (choice: KeyChoice) => void;
  check: KeyCheck | undefined;
  onCheck: (check: KeyCheck | undefined) => void;
  /** False when the administrator turned off the call to NGC. */
  keyValidation: boolean;
}

const RESULT_VIEWS: Record<
  ValidateKeyResponse['kind'],
  { variant: 'success' | 'danger' | 'warning' | 'info'; title: string }
> = {
  valid: { variant: 'success', title: 'The key is valid' },
  invalid: { variant: 'danger', title: 'NGC rejected this key' },
  legacy: { variant: 'danger', title: 'Legacy API keys are not supported' },
  unreachable: { variant: 'warning', title: 'NGC could not be reached' },
  failed: { variant: 'danger', title: 'NGC could not check this key' },
  skipped: { variant: 'info', title: 'Key validation is turned off by your administrator' },
};

/** Wizard step 4: the user's NGC personal key, or the one the project already stores. */
export function ApiKeyStep(props: ApiKeyStepProps) {
  const { choice, onChoiceChange, check, onCheck, keyStatus } = props;
  const [visible, setVisible] = useState(false);
  const [validating, setValidating] = useState(false);
  const [requestError, setRequestError] = useState<ApiRequestError | undefined>(undefined);
  const pending = useRef<AbortController | undefined>(undefined);
  const status = evaluateKeyStep({ key: choice, check, keyValidation: props.keyValidation });
  const typed = choice.apiKey.trim();

  const runValidation = async (): Promise<void> => {
    if (typed === '' || status.inlineProblem !== undefined) return;
    pending.current?.abort();
    const controller = new AbortController();
    pending.current = controller;
    setValidating(true);
    setRequestError(undefined);
    try {
      const result = await validateKey(typed, controller.signal);
      if (!controller.signal.aborted) onCheck({ apiKey: typed, result });
    } catch (error) {
      if (!controller.signal.aborted) setRequestError(toApiRequestError(error));
    } finally {
      if (pending.current === controller) setValidating(false);
    }
  };

  const setKey = (apiKey: string): void => {
    onChoiceChange({ mode: 'new', apiKey });
    setRequestError(undefined);
  };

  const hasStoredKey = keyStatus?.exists === true;
  const result = status.checked && check ? check.result : undefined;
  const resultView = result ? RESULT_VIEWS[result.kind] : undefined;

  return (
    <Form className="nim-form" onSubmit={(event) => event.preventDefault()}>
      <Content component="p" className="nim-step-intro">
        NIM images and models are downloaded from NVIDIA NGC with your own NGC personal key. The key
        is stored only in project <strong>{props.namespace}</strong>, in the Secrets{' '}
        <code>nvidia-nim-secrets</code> and <code>nvidia-nim-image-pull</code>, and is shared by the
        project&apos;s NIM deployments.
      </Content>
      {keyStatus === undefined && props.keyStatusError === undefined ? (
        <Skeleton screenreaderText="Checking for a stored key" width="50%" />
      ) : null}
      {props.keyStatusError ? (
        <Alert variant="warning" isInline isPlain title="Could not check for a stored key">
          {props.keyStatusError.message}
        </Alert>
      ) : null}
      {hasStoredKey ? (
        <FormGroup role="radiogroup" isStack fieldId="nim-key-mode" label="NGC API key">
          <Radio
            id="nim-key-existing"
            name="nim-key-mode"
            label="Use the key already stored in this project"
            description={
              keyStatus.complete === false
                ? 'One of the two key Secrets is missing; enter the key again to repair them.'
                : 'Recommended: every NIM deployment of the project keeps using the same key.'
            }
            isChecked={choice.mode === 'existing'}
            onChange={() => onChoiceChange({ ...choice, mode: 'existing' })}
          />
          <Radio
            id="nim-key-new"
            name="nim-key-mode"
            label="Enter a new key"
            description="Replaces the stored key for every NIM deployment of this project."
            isChecked={choice.mode === 'new'}
            onChange={() => onChoiceChange({ ...choice, mode: 'new' })}
          />
        </FormGroup>
      ) : null}
      {choice.mode === 'new' ? (
        <FormGroup label="NGC personal key" fieldId="nim-api-key" isRequired>
          <InputGroup>
            <InputGroupItem isFill>
              <TextInput
                id="nim-api-key"
                name="nim-api-key"
                type={visible ? 'text' : 'password'}
                value={choice.apiKey}
                onChange={(_event, value) => setKey(value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    void runValidation();
                  }
                }}
                placeholder="nvapi-…"
                autoComplete="off"
                spellCheck={false}
                isRequired
                validated={
                  status.inlineProblem !== undefined ||
                  (result !== undefined && !result.valid && result.kind !== 'skipped')
                    ? 'error'
                    : result?.valid
                      ? 'success'
                      : 'default'
                }
                aria-describedby="nim-api-key-helper"
              />
            </InputGroupItem>
            <InputGroupItem>
              <Button
                variant="control"
                onClick={() => setVisible((v) => !v)}
                aria-label={visible ? 'Hide key' : 'Show key'}
                icon={visible ? <EyeSlashIcon /> : <EyeIcon />}
              />
            </InputGroupItem>
            {props.keyValidation ? (
              <InputGroupItem>
                <Button
                  variant="secondary"
                  onClick={() => void runValidation()}
                  isLoading={validating}
                  isDisabled={validating || typed === '' || status.inlineProblem !== undefined}
                >
                  {validating ? 'Validating' : 'Validate'}
                </Button>
              </InputGroupItem>
            ) : null}
          </InputGroup>
          <FieldHelp
            id="nim-api-key"
            error={status.inlineProblem}
            hint={
              props.keyValidation
                ? 'Create one at ngc.nvidia.com under Setup > Personal Keys, with NGC Catalog access. Validate it to continue.'
                : 'Create one at ngc.nvidia.com under Setup > Personal Keys, with NGC Catalog access.'
            }
          />
        </FormGroup>
      ) : null}
      {choice.mode === 'new' && !props.keyValidation ? (
        <Alert variant="info" isInline isPlain title={RESULT_VIEWS.skipped.title}>
          The key is stored as entered; a wrong key shows up as an image pull error.
        </Alert>
      ) : null}
      {choice.mode === 'new' && resultView && result ? (
        <Alert
          variant={resultView.variant}
          isInline
          title={resultView.title}
          data-testid="key-validation-result"
          aria-live="polite"
        >
          {result.message}
          {result.suggestion ? <> {result.suggestion}</> : null}
        </Alert>
      ) : null}
      {choice.mode === 'new' && requestError ? (
        <Alert
          variant={requestError.code === 'rate-limited' ? 'warning' : 'danger'}
          isInline
          title={
            requestError.code === 'rate-limited'
              ? 'Too many checks; wait a moment and try again'
              : 'The key could not be checked'
          }
          data-testid="key-validation-result"
        >
          {requestError.message}
        </Alert>
      ) : null}
    </Form>
  );
}
