// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { DeploymentStep } from './DeploymentStep.js';
import { buildInitialSettings, type DeploymentSettings } from './form.js';
import { mockModel } from './test-models.js';
import { validateDeploymentSettings } from './validation.js';

function Harness({ existingNames = [] }: { existingNames?: string[] }) {
  const [settings, setSettings] = useState<DeploymentSettings>(() =>
    buildInitialSettings(mockModel()),
  );
  return (
    <DeploymentStep
      settings={settings}
      onChange={setSettings}
      errors={validateDeploymentSettings(settings, { existingNames })}
      templates={[
        { protocol: 'http', name: 'nvidia-nim-runtime-http', installed: true },
        { protocol: 'grpc', name: 'nvidia-nim-runtime-grpc', installed: false },
      ]}
      namespace="demo"
    />
  );
}

afterEach(cleanup);

describe('DeploymentStep', () => {
  it('labels every field', () => {
    render(<Harness />);
    for (const label of [
      'Deployment name',
      'Replicas',
      'NVIDIA GPUs per replica',
      'CPU request',
      'CPU limit',
      'Memory request',
      'Memory limit',
      'Storage size',
      'Storage class',
    ]) {
      expect(screen.getByLabelText(new RegExp(`^${label}`)).tagName).toBe('INPUT');
    }
  });

  it('derives the Kubernetes name as the display name is typed, and lets the user edit it', () => {
    render(<Harness />);
    expect(screen.getByTestId('resource-name').textContent).toBe('llama-3-1-8b-instruct');
    fireEvent.change(screen.getByLabelText(/^Deployment name/), {
      target: { value: 'Team Chat #1' },
    });
    expect(screen.getByTestId('resource-name').textContent).toBe('team-chat-1');
    fireEvent.click(screen.getByRole('button', { name: 'Edit resource name' }));
    const name = screen.getByLabelText(/^Resource name/) as HTMLInputElement;
    expect(name.value).toBe('team-chat-1');
    fireEvent.change(name, { target: { value: 'Bad Name' } });
    expect(screen.getByText(/^Resource name must consist of lower case/)).toBeTruthy();
  });

  it('shows errors inline as the user types', () => {
    render(<Harness existingNames={['llama-3-1-8b-instruct']} />);
    expect(screen.getByText(/already exists in this project/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^CPU limit/), { target: { value: '0.5' } });
    expect(screen.getByText('CPU request must not exceed the limit (0.5).')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Memory limit/), { target: { value: 'lots' } });
    expect(screen.getByText(/"lots" is not a Kubernetes quantity/)).toBeTruthy();
  });

  it('switches to an existing claim with a sub-path', () => {
    render(<Harness />);
    fireEvent.click(screen.getByLabelText('Use existing storage'));
    expect(screen.getByText('Persistent volume claim must not be empty.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Persistent volume claim/), {
      target: { value: 'models' },
    });
    expect(screen.queryByText('Persistent volume claim must not be empty.')).toBeNull();
    expect(screen.getByLabelText(/^Sub-path/)).toBeTruthy();
  });

  it('disables a protocol whose template is not installed', () => {
    render(<Harness />);
    expect((screen.getByLabelText('gRPC') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('HTTP (REST)') as HTMLInputElement).checked).toBe(true);
  });
});
