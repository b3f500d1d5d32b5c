import { useCallback, useEffect, useRef, useState } from 'react';

import type { Deployment } from '../../api/types.js';
import { listDeployments } from './api.js';
import { toApiRequestError, type ApiRequestError } from './client.js';

/** State of one request: `data` stays while a reload runs, so views do not flicker. */
export interface RequestState<T> {
  data: T | undefined;
  error: ApiRequestError | undefined;
  loading: boolean;
  /** Runs the request again. */
  reload: () => void;
}

/**
 * Runs `load` when `key` changes (skipped while `key` is `undefined`), cancelling the previous
 * call. `load` must be stable for a given key; it receives the abort signal to pass to `fetch`.
 */
export function useRequest<T>(
  key: string | undefined,
  load: (signal: AbortSignal) => Promise<T>,
): RequestState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiRequestError | undefined>(undefined);
  const [loading, setLoading] = useState(key !== undefined);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === undefined) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return undefined;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(toApiRequestError(reason));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Errors polling stops on: asking again will not help until something changes. */
export function isFinalError(error: ApiRequestError): boolean {
  return (
    error.code === 'forbidden' ||
    error.code === 'unauthenticated' ||
    error.code === 'nim-disabled' ||
    error.code === 'invalid-request'
  );
}

export interface DeploymentsState {
  deployments: Deployment[] | undefined;
  /** The last refresh's error; `deployments` keeps the previous answer when there was one. */
  error: ApiRequestError | undefined;
  loading: boolean;
  /** Refreshes now (after a delete or a deploy) and restarts polling if it had stopped. */
  refresh: () => void;
}

/** Default interval of the deployments page's live status. */
export const DEPLOYMENTS_POLL_MS = 4000;

/**
 * A project's NIM deployments, refreshed every `intervalMs` while mounted. Each refresh is
 * aborted when the project changes or the page unmounts; a refresh starts only after the
 * previous one ended, so a slow apiserver never piles up requests.
 */
export function useDeployments(
  namespace: string | undefined,
  intervalMs = DEPLOYMENTS_POLL_MS,
): DeploymentsState {
  const [deployments, setDeployments] = useState<Deployment[] | undefined>(undefined);
  const [error, setError] = useState<ApiRequestError | undefined>(undefined);
  const [loading, setLoading] = useState(namespace !== undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setDeployments(undefined);
    setError(undefined);
  }, [namespace]);

  useEffect(() => {
    if (namespace === undefined) {
      setLoading(false);
      return undefined;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const answer = await listDeployments(namespace, controller.signal);
        if (controller.signal.aborted) return;
        setDeployments(answer.deployments);
        setError(undefined);
      } catch (reason) {
        if (controller.signal.aborted) return;
        const failure = toApiRequestError(reason);
        setError(failure);
        if (isFinalError(failure)) {
          setDeployments(undefined);
          setLoading(false);
          return;
        }
      }
      setLoading(false);
      timer = setTimeout(() => void poll(), intervalMs);
    };
    setLoading(true);
    void poll();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [namespace, intervalMs, generation]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  return { deployments, error, loading, refresh };
}
