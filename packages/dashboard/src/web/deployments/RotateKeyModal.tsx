import {
  Alert,
  Button,
  Form,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { useState } from 'react';

import { describeKeyProblem } from '@odh-nim/contract';

import type { RotateKeyResponse } from '../../api/types.js';
import { rotateApiKey } from '../api/api.js';
import { toApiRequestError, type ApiRequestError } from '../api/client.js';
import { TextField } from '../components/fields.js';

export interface RotateKeyModalProps {
  namespace: string;
  deploymentCount: number;
  onClose: () => void;
  onRotated: (response: RotateKeyResponse) => void;
}

/** Replaces the project's NGC key; the backend validates it and restarts the NIM deployments. */
export function RotateKeyModal({
  namespace,
  deploymentCount,
  onClose,
  onRotated,
}: RotateKeyModalProps) {
  const [apiKey, setApiKey] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiRequestError | undefined>(undefined);
  const problem = apiKey.trim() === '' ? undefined : describeKeyProblem(apiKey);
  const ready = apiKey.trim() !== '' && problem === undefined;

  const submit = async (): Promise<void> => {
    if (!ready || saving) return;
    setSaving(true);
    setError(undefined);
    try {
      onRotated(await rotateApiKey(namespace, apiKey.trim()));
    } catch (reason) {
      setError(toApiRequestError(reason));
      setSaving(false);
    }
  };

  return (
    <Modal
      isOpen
      variant="small"
      onClose={saving ? undefined : onClose}
      aria-labelledby="nim-rotate-title"
      aria-describedby="nim-rotate-body"
    >
      <ModalHeader title="Rotate the NGC API key" labelId="nim-rotate-title" />
      <ModalBody id="nim-rotate-body">
        <p className="nim-modal-text">
          The new key replaces the one stored in project <strong>{namespace}</strong>. NGC checks it
          first; then{' '}
          {deploymentCount === 1
            ? 'the NIM deployment restarts'
            : `the ${deploymentCount} NIM deployments restart`}{' '}
          to use it. The key already stored changes nothing and restarts nothing.
        </p>
        <Form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <TextField
            id="nim-rotate-key"
            label="New NGC personal key"
            type="password"
            isRequired
            value={apiKey}
            onChange={(value) => {
              setApiKey(value);
              setError(undefined);
            }}
            placeholder="nvapi-…"
            error={problem}
            hint="A personal key from ngc.nvidia.com (Setup > Personal Keys)."
          />
        </Form>
        {error ? (
          <Alert
            variant="danger"
            isInline
            title={
              error.code === 'invalid-key' ? 'NGC rejected this key' : 'The key was not changed'
            }
            className="nim-modal-alert"
            data-testid="rotate-error"
          >
            {error.message}
          </Alert>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button
          variant="primary"
          onClick={() => void submit()}
          isDisabled={!ready || saving}
          isLoading={saving}
        >
          Rotate key
        </Button>
        <Button variant="link" onClick={onClose} isDisabled={saving}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
