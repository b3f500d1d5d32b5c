import { z } from 'zod';

import { API, LABELS, resolveApplicationsNamespace } from '@odh-nim/contract';

import type { KubeClients } from './clients.js';
import { parseItems } from './object-meta.js';

const dsciSchema = z.looseObject({
  spec: z.looseObject({ applicationsNamespace: z.string().optional() }).optional(),
});

/**
 * The applications namespace in SPEC §2 order: `explicit`, the DSCInitialization's
 * `spec.applicationsNamespace`, a namespace labelled `opendatahub.io/application-namespace=true`,
 * then `opendatahub`. Lookups the backend may not make (403) or that do not exist (404) are skipped.
 */
export async function getApplicationsNamespace(
  api: KubeClients,
  explicit: string | undefined,
): Promise<ReturnType<typeof resolveApplicationsNamespace>> {
  if (explicit) return resolveApplicationsNamespace({ explicit });
  const [dscInitialization, labelledNamespaces] = await Promise.all([
    api.custom
      .listClusterCustomObject(API.dscInitialization)
      .then((list: unknown) =>
        parseItems(list, dsciSchema)
          .map((dsci) => dsci.spec?.applicationsNamespace)
          .find((ns) => ns !== undefined && ns !== ''),
      )
      .catch(() => undefined),
    api.core
      .listNamespace({ labelSelector: `${LABELS.applicationNamespace}=true` })
      .then((list) => list.items.flatMap((ns) => (ns.metadata?.name ? [ns.metadata.name] : [])))
      .catch(() => undefined),
  ]);
  return resolveApplicationsNamespace({ dscInitialization, labelledNamespaces });
}
