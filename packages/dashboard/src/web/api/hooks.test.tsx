// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { useDeployments } from './hooks.js';

const deployment = {
  name: 'llama',
  namespace: 'demo',
  displayName: 'Llama',
  modelName: 'llama-3.1-8b-instruct',
  tag: '1.10.1',
  replicas: { min: 1, max: 1 },
  externalRoute: false,
  tokenAuth: false,
  status: { phase: 'Pending' },
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useDeployments', () => {
  it('polls the project and shows each new answer', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(respond(200, { deployments: [] }))
      .mockResolvedValue(respond(200, { deployments: [deployment] }));
    vi.stubGlobal('fetch', fetchMock);
    const { result } = renderHook(() => useDeployments('demo', 1000));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(result.current.deployments).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(result.current.deployments?.map((d) => d.name)).toEqual(['llama']);
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain('/api/namespaces/demo/nim/deployments');
  });

  it('stops polling on a permission error', async () => {
    const fetchMock = vi.fn().mockResolvedValue(respond(403, { code: 'forbidden', message: 'no' }));
    vi.stubGlobal('fetch', fetchMock);
    const { result } = renderHook(() => useDeployments('demo', 1000));
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(result.current.error?.code).toBe('forbidden');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the last list through a transient failure and aborts on unmount', async () => {
    const signals: AbortSignal[] = [];
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      if (init.signal) signals.push(init.signal);
      return signals.length === 2
        ? respond(500, { code: 'internal', message: 'apiserver hiccup' })
        : respond(200, { deployments: [deployment] });
    });
    vi.stubGlobal('fetch', fetchMock);
    const { result, unmount } = renderHook(() => useDeployments('demo', 1000));
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(result.current.error?.message).toBe('apiserver hiccup');
    expect(result.current.deployments).toHaveLength(1);
    unmount();
    expect(signals.at(-1)?.aborted).toBe(true);
  });
});
