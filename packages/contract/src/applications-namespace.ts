import { DEFAULT_APPLICATIONS_NAMESPACE } from './names.js';

/** What is known about the cluster when resolving the applications namespace. */
export interface ApplicationsNamespaceSources {
  /** An explicit flag or environment variable. */
  explicit?: string | undefined;
  /** `spec.applicationsNamespace` of the DSCInitialization, if one exists. */
  dscInitialization?: string | undefined;
  /** Namespaces labelled `opendatahub.io/application-namespace=true`. */
  labelledNamespaces?: readonly string[] | undefined;
}

/**
 * Resolves the applications namespace in SPEC §2 order: explicit, DSCInitialization, labelled
 * namespace, default. Returns where it came from too, for logs and reports.
 */
export function resolveApplicationsNamespace(sources: ApplicationsNamespaceSources): {
  namespace: string;
  source: 'explicit' | 'dsci' | 'label' | 'default';
} {
  if (sources.explicit) return { namespace: sources.explicit, source: 'explicit' };
  if (sources.dscInitialization) return { namespace: sources.dscInitialization, source: 'dsci' };
  const labelled = [...(sources.labelledNamespaces ?? [])].sort()[0];
  if (labelled) return { namespace: labelled, source: 'label' };
  return { namespace: DEFAULT_APPLICATIONS_NAMESPACE, source: 'default' };
}
