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

import type { DeleteResponse, Deployment } from '../../api/types.js';
import { deleteDeployment } from '../api/api.js';
import { toApiRequestError, type ApiRequestError } from '../api/client.js';
import { TextField } from '../components/fields.js';
import { describeCache } from './deployment-status.js';

export interface DeleteDeploymentModalProps {
  deployment: Deployment;
  onClose: () => void;
  onDeleted: (deployment: Deployment, response: DeleteResponse) => void;
}

/** Asks to type the deployment's name, then deletes it and what only it used. */
export function DeleteDeploymentModal({
  deployment,
  onClose,
  onDeleted,
}: DeleteDeploymentModalProps) {
  const [confirmation, setConfirmation] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<ApiRequestError | undefined>(undefined);
  const confirmed = confirmation.trim() === deployment.name;
  const cache = describeCache(deployment);

  const submit = async (): Promise<void> => {
    if (!confirmed || deleting) return;
    setDeleting(true);
    setError(undefined);
    try {
      const response = await deleteDeployment(deployment.namespace, deployment.name);
      onDeleted(deployment, response);
    } catch (reason) {
      setError(toApiRequestError(reason));
      setDeleting(false);
    }
  };

  return (
    <Modal
      isOpen
      variant="small"
      onClose={deleting ? undefined : onClose}
      aria-labelledby="nim-delete-title"
      aria-describedby="nim-delete-body"
    >
      <ModalHeader
        title="Delete NIM deployment?"
        titleIconVariant="warning"
        labelId="nim-delete-title"
      />
      <ModalBody id="nim-delete-body">
        <p className="nim-modal-text">
          <strong>{deployment.displayName}</strong> and its model server will be deleted: the
          InferenceService and ServingRuntime <code>{deployment.name}</code>. The project&apos;s NGC
          key goes with its last NIM deployment.
        </p>
        {cache ? (
          <p className="nim-modal-text" data-testid="delete-cache-fate">
            Cache claim <code>{cache.claimName}</code>: {cache.fate}
          </p>
        ) : null}
        <Form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <TextField
            id="nim-delete-confirm"
            label={`Type ${deployment.name} to confirm`}
            value={confirmation}
            onChange={setConfirmation}
          />
        </Form>
        {error ? (
          <Alert
            variant="danger"
            isInline
            title="The deployment was not deleted"
            className="nim-modal-alert"
          >
            {error.message}
          </Alert>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button
          variant="danger"
          onClick={() => void submit()}
          isDisabled={!confirmed || deleting}
          isLoading={deleting}
        >
          Delete
        </Button>
        <Button variant="link" onClick={onClose} isDisabled={deleting}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
