import {
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';

import { DashboardError } from '../errors.js';

/** The API groups the backend calls, bound to one identity. */
export interface KubeClients {
  core: CoreV1Api;
  custom: CustomObjectsApi;
  authentication: AuthenticationV1Api;
  storage: StorageV1Api;
}

/** Creates the clients of one KubeConfig. */
export function makeKubeClients(kubeConfig: KubeConfig): KubeClients {
  return {
    core: kubeConfig.makeApiClient(CoreV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    authentication: kubeConfig.makeApiClient(AuthenticationV1Api),
    storage: kubeConfig.makeApiClient(StorageV1Api),
  };
}

/**
 * A KubeConfig for the caller: the cluster (server, CA, TLS settings) of the backend's own
 * kubeconfig with the caller's bearer token, so the apiserver's RBAC decides what they may do.
 */
export function buildUserKubeConfig(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (!cluster) {
    throw new DashboardError('internal', 'The backend kubeconfig has no current cluster.', {
      status: 500,
    });
  }
  const user = new KubeConfig();
  user.loadFromClusterAndUser(cluster, { name: 'request-user', token });
  return user;
}
