// Helpers for integration tests, reading what the vitest global setup provided. This module
// imports 'vitest', so it is exported as `@odh-nim/testkit/vitest`, not from the main index.
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import type { ControlPlaneInfo, TestUser } from './control-plane.js';
import { ControlPlaneError } from './errors.js';
import { buildKubeconfig, kubeConfigFromYaml } from './kubeconfig.js';
import { CONTROL_PLANE_KEY, CRD_SET_KEY, type CrdSetInfo } from './provided-context.js';
import { assertValidUser } from './tokens.js';
import { CertificateAuthority } from './x509.js';
import type { TestUserName } from './test-users.js';

export type { CrdSetInfo } from './provided-context.js';

/** The shared control plane's connection details, as provided by the global setup. */
export function controlPlaneInfo(): ControlPlaneInfo {
  const info = inject(CONTROL_PLANE_KEY);
  if (!info) {
    throw new ControlPlaneError(
      'not-provided',
      'no control plane provided: run this test in the vitest "integration" project',
    );
  }
  return info;
}

/** Which CRD set the shared control plane has, and the CRD patches applied on top. */
export function crdSetInfo(): CrdSetInfo {
  const info = inject(CRD_SET_KEY);
  if (!info) {
    throw new ControlPlaneError(
      'not-provided',
      'no CRD set provided: run this test in the vitest "integration" project',
    );
  }
  return info;
}

/** `KubeConfig` of the admin (`system:masters`). */
export function adminKubeConfig(): KubeConfig {
  return kubeConfigFromYaml(controlPlaneInfo().adminKubeconfig);
}

/** `KubeConfig` of a token user of the shared control plane (see `TEST_USERS`). */
export function userKubeConfig(name: TestUserName): KubeConfig {
  const user = controlPlaneInfo().users[name];
  if (!user) throw new ControlPlaneError('invalid-user', `no test user '${name}'`);
  return kubeConfigFromYaml(user.kubeconfig);
}

/** Bearer token of a token user, e.g. to call the dashboard backend as that user. */
export function userToken(name: TestUserName): string {
  const user = controlPlaneInfo().users[name];
  if (!user) throw new ControlPlaneError('invalid-user', `no test user '${name}'`);
  return user.token;
}

/**
 * `KubeConfig` of any user, made here with a client certificate signed by the shared control
 * plane's client CA (CN = name, O = groups). For users beyond `TEST_USERS`.
 */
export function newUserKubeConfig(user: TestUser): KubeConfig {
  const info = controlPlaneInfo();
  const groups = user.groups ?? [];
  assertValidUser(user.name, groups);
  const pair = CertificateAuthority.fromPem(info.clientCa).issue({
    subject: { commonName: user.name, organizations: groups },
    usage: 'client',
  });
  return kubeConfigFromYaml(
    buildKubeconfig({
      server: info.server,
      caPem: info.caPem,
      userName: user.name,
      credentials: { clientCertificatePem: pair.certPem, clientKeyPem: pair.keyPem },
    }),
  );
}
