import { z } from 'zod';

import { ANNOTATIONS } from '@odh-nim/contract';

import type { Project } from '../../../api/types.js';
import type { KubeClients } from '../clients.js';
import { statusCodeOf } from '../errors.js';
import { objectMetaSchema, parseItems } from '../object-meta.js';

const OPENSHIFT_PROJECTS = { group: 'project.openshift.io', version: 'v1', plural: 'projects' };
const DESCRIPTION_ANNOTATION = 'openshift.io/description';

const namedObjectSchema = z.looseObject({ metadata: objectMetaSchema });

/**
 * The projects the caller can see: OpenShift's `projects` API when the cluster serves it (it
 * filters by access), else namespaces. Throws the apiserver's error (a 403 included).
 */
export async function listProjects(api: KubeClients): Promise<Project[]> {
  let items: z.infer<typeof namedObjectSchema>[];
  try {
    const list: unknown = await api.custom.listClusterCustomObject(OPENSHIFT_PROJECTS);
    items = parseItems(list, namedObjectSchema);
  } catch (error) {
    // NB: without the project.openshift.io group (vanilla Kubernetes) the answer is 404, or 403
    // for a user with no rights on it: authorization runs before routing. Use namespaces then.
    const status = statusCodeOf(error);
    if (status !== 404 && status !== 403) throw error;
    const list = await api.core.listNamespace();
    // NB: typed clients turn creationTimestamp into a Date: take the two fields needed as-is.
    items = list.items.flatMap((ns) =>
      ns.metadata?.name
        ? [{ metadata: { name: ns.metadata.name, annotations: ns.metadata.annotations ?? {} } }]
        : [],
    );
  }
  return items
    .map(({ metadata }) => {
      const displayName = metadata.annotations?.[ANNOTATIONS.displayName];
      const description = metadata.annotations?.[DESCRIPTION_ANNOTATION];
      return {
        name: metadata.name,
        ...(displayName ? { displayName } : {}),
        ...(description ? { description } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Who the caller is, by a SelfSubjectReview (authentication.k8s.io/v1). */
export async function getSelfSubject(
  api: KubeClients,
): Promise<{ username: string; groups: string[] }> {
  const review = await api.authentication.createSelfSubjectReview({
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return {
    username: review.status?.userInfo?.username ?? '',
    groups: review.status?.userInfo?.groups ?? [],
  };
}
