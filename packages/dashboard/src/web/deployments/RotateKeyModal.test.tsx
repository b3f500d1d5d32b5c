// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { RotateKeyModal } from './RotateKeyModal.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderModal() {
  const onRotated = vi.fn();
  render(
    <RotateKeyModal namespace="demo" deploymentCount={2} onClose={vi.fn()} onRotated={onRotated} />,
  );
  return { onRotated, key: screen.getByLabelText(/^New NGC personal key/) };
}

describe('RotateKeyModal', () => {
  it('refuses a legacy key before calling anything', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const { key } = renderModal();
    fireEvent.change(key, { target: { value: 'legacy-key-1234' } });
    expect(screen.getByText(/Only NGC personal keys/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rotate key' }).hasAttribute('disabled')).toBe(true);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows NGC rejecting the key and keeps the modal open', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ code: 'invalid-key', message: 'NGC rejected the key.' }), {
            status: 400,
          }),
      ),
    );
    const { key, onRotated } = renderModal();
    fireEvent.change(key, { target: { value: 'nvapi-test-wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    expect((await screen.findByTestId('rotate-error')).textContent).toContain(
      'NGC rejected this key',
    );
    expect(onRotated).not.toHaveBeenCalled();
  });

  it('reports the restarted deployments', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            secrets: [{ kind: 'Secret', name: 'nvidia-nim-secrets', action: 'updated' }],
            restarted: ['llama'],
            failed: [],
            keyValidation: 'valid',
          }),
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const { key, onRotated } = renderModal();
    fireEvent.change(key, { target: { value: 'nvapi-test-new' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    await vi.waitFor(() => expect(onRotated).toHaveBeenCalled());
    expect(onRotated.mock.calls[0]?.[0]).toMatchObject({ restarted: ['llama'] });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toContain('/api/namespaces/demo/nim/api-key');
    expect(init.method).toBe('PUT');
  });
});
