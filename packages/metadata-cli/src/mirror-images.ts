import YAML from 'yaml';
import { z } from 'zod';

import {
  buildImageReference,
  DEFAULT_REGISTRY,
  normalizeRegistry,
  sortTags,
  type ModelEntry,
} from '@odh-nim/contract';

/** Which tags of a model to mirror: its `latestTag`, or every tag. */
export type MirrorTags = 'latest' | 'all';

/** Name of the ImageTagMirrorSet `mirror-list --registry` prints. */
export const NIM_MIRROR_SET_NAME = 'nvidia-nim';

/** The NGC repository prefix every NIM image sits under (`nvcr.io/nim/<team>/<name>`). */
export const NIM_IMAGE_SOURCE = `${DEFAULT_REGISTRY}/nim`;

/** What to mirror from a catalog. */
export interface MirrorSelection {
  models: readonly ModelEntry[];
  /** Exact model names or `*` globs; empty or absent: every model. */
  names?: readonly string[];
  /** `latest`: each model's `latestTag`; `all`: every tag. */
  tags: MirrorTags;
}

/** The images a selection names, and the patterns that matched nothing. */
export interface MirrorImages {
  models: ModelEntry[];
  images: string[];
  unmatched: string[];
}

/**
 * The `nvcr.io` images of the selected models, one per tag: models by name, tags newest first
 * (contract's `sortTags`), so the same catalog always gives the same list.
 */
export function selectMirrorImages(selection: MirrorSelection): MirrorImages {
  const patterns = (selection.names ?? []).map((name) => ({ name, test: globMatcher(name) }));
  const matched = new Set<string>();
  const models = [...selection.models]
    .filter((model) => {
      if (patterns.length === 0) return true;
      const hits = patterns.filter((pattern) => pattern.test(model.name));
      for (const hit of hits) matched.add(hit.name);
      return hits.length > 0;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const images = models.flatMap((model) =>
    (selection.tags === 'latest' ? [model.latestTag] : sortTags(model.tags)).map((tag) =>
      buildImageReference(model, tag),
    ),
  );
  return {
    models,
    images: [...new Set(images)],
    unmatched: patterns.map((pattern) => pattern.name).filter((name) => !matched.has(name)),
  };
}

/** `*` matches any run of characters; everything else is literal. */
function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (name) => regex.test(name);
}

/** An oc-mirror v2 ImageSetConfiguration listing `images` under `mirror.additionalImages`. */
export function buildImageSetConfiguration(images: readonly string[]): Record<string, unknown> {
  return {
    kind: 'ImageSetConfiguration',
    apiVersion: 'mirror.openshift.io/v2alpha1',
    mirror: { additionalImages: images.map((name) => ({ name })) },
  };
}

/**
 * The ImageTagMirrorSet that sends the cluster's pulls of `nvcr.io/nim/…` tags to `registry`,
 * where oc-mirror v2 puts them (the source path kept under the target). Never the source: a
 * disconnected cluster cannot reach nvcr.io, and trying only delays the pull.
 */
export function buildImageTagMirrorSet(registry: string): Record<string, unknown> {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageTagMirrorSet',
    metadata: { name: NIM_MIRROR_SET_NAME },
    spec: {
      imageTagMirrors: [
        {
          source: NIM_IMAGE_SOURCE,
          mirrors: [`${normalizeRegistry(registry)}/nim`],
          mirrorSourcePolicy: 'NeverContactSource',
        },
      ],
    },
  };
}

/** One YAML document. */
export function toYamlDocument(object: Record<string, unknown>): string {
  return YAML.stringify(object, { lineWidth: 0 });
}

const kserveConfigSchema = z.object({
  data: z.object({ agent: z.string() }, { error: 'no data.agent entry' }),
});
const agentSchema = z.object({ image: z.string().min(1) }, { error: 'no "image" in data.agent' });

/**
 * The model-agent image from KServe's `inferenceservice-config` ConfigMap (YAML or JSON, as
 * `oc get configmap -o yaml` prints it): `data.agent` is a JSON object with an `image`.
 * Returns the reason instead when the text is not such a ConfigMap.
 */
export function parseKserveAgentImage(text: string): { image: string } | { error: string } {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    return { error: `not YAML (${error instanceof Error ? error.message : String(error)})` };
  }
  const config = kserveConfigSchema.safeParse(parsed);
  if (!config.success) return { error: z.prettifyError(config.error) };
  let agent: unknown;
  try {
    agent = JSON.parse(config.data.data.agent);
  } catch {
    return { error: 'data.agent is not JSON' };
  }
  const image = agentSchema.safeParse(agent);
  return image.success ? { image: image.data.image } : { error: z.prettifyError(image.error) };
}
