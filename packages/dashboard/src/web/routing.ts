import { useCallback, useEffect, useState } from 'react';

import { validateDns1123Label } from '@odh-nim/contract';

/** The pages of the app, addressed by the URL hash so links and reloads keep the place. */
export type Route =
  { page: 'deployments'; namespace?: string } | { page: 'deploy'; namespace: string };

/**
 * Reads a hash such as `#/projects/demo/deployments` or `#/projects/demo/deploy`. Anything else,
 * including an invalid project name, is the deployments page without a project.
 */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#?\/?/, '')
    .split('/')
    .filter((part) => part.length > 0)
    .map(safeDecode);
  if (parts[0] !== 'projects' || parts[1] === undefined) return { page: 'deployments' };
  const namespace = parts[1];
  if (validateDns1123Label(namespace) !== undefined) return { page: 'deployments' };
  if (parts[2] === 'deploy') return { page: 'deploy', namespace };
  return { page: 'deployments', namespace };
}

/** The hash of a route (the inverse of {@link parseRoute}). */
export function formatRoute(route: Route): string {
  if (route.namespace === undefined) return '#/';
  const project = `#/projects/${encodeURIComponent(route.namespace)}`;
  return route.page === 'deploy' ? `${project}/deploy` : `${project}/deployments`;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The current route and a function to go to another one (a new history entry). */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    const hash = formatRoute(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(next);
  }, []);
  return [route, navigate];
}
