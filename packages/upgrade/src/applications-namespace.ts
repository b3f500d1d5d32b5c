import { LABELS, resolveApplicationsNamespace } from '@odh-nim/contract';

import { isNotFound } from './k8s/api-errors.js';
import { dscInitializationSchema } from './k8s/objects.js';
import type { ResourceClient } from './k8s/resource-client.js';

/** The applications namespace and which SPEC §2 source it came from. */
export interface ResolvedNamespace {
  namespace: string;
  source: 'explicit' | 'dsci' | 'label' | 'default';
}

/**
 * Resolves the applications namespace as SPEC §2 orders it: explicit, the DSCInitialization's
 * `spec.applicationsNamespace`, a namespace labelled `opendatahub.io/application-namespace=true`,
 * then `opendatahub`. A missing DSCInitialization CRD just skips that source.
 */
export async function getApplicationsNamespace(
  client: ResourceClient,
  explicit: string | undefined,
): Promise<ResolvedNamespace> {
  if (explicit) return resolveApplicationsNamespace({ explicit });
  let dscInitialization: string | undefined;
  try {
    const [first] = (await client.list('DSCInitialization'))
      .map((item) => dscInitializationSchema.parse(item))
      .filter((item) => item.spec?.applicationsNamespace)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    dscInitialization = first?.spec?.applicationsNamespace;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const labelled = dscInitialization
    ? []
    : (
        await client.list('Namespace', { labelSelector: `${LABELS.applicationNamespace}=true` })
      ).map((item) => item.metadata.name);
  return resolveApplicationsNamespace({ dscInitialization, labelledNamespaces: labelled });
}
