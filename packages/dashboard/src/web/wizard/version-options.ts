import { describeTags, type ModelEntry, type TagKind } from '@odh-nim/contract';

/** One row of the version step. */
export interface VersionOption {
  tag: string;
  kind: TagKind;
  /** The catalog's `latestTag`: preselected and marked Recommended. */
  recommended: boolean;
  /** Short kind shown as a label: Floating, Version, Variant, Tag. */
  kindLabel: string;
  /** One sentence for people, e.g. "Currently 1.10.1; follows new 1.x releases …". */
  description: string;
}

const KIND_LABELS: Record<TagKind, string> = {
  latest: 'Floating',
  alias: 'Floating',
  version: 'Version',
  variant: 'Variant',
  other: 'Tag',
};

function describeOption(tag: string, kind: TagKind, resolvesTo: string | undefined): string {
  switch (kind) {
    case 'latest':
      return resolvesTo
        ? `Currently ${resolvesTo}; moves to each new release when the pod restarts.`
        : 'The newest release NVIDIA publishes.';
    case 'alias':
      return resolvesTo
        ? `Currently ${resolvesTo}; follows new ${tag}.x releases when the pod restarts.`
        : `Follows new ${tag}.x releases.`;
    case 'version':
      return 'Fixed release: the image never changes.';
    case 'variant': {
      const suffix = tag.replace(/^v?[\d.]+-/, '');
      return `Build variant (${suffix}) of release ${tag.slice(0, tag.length - suffix.length - 1)}.`;
    }
    case 'other':
      return 'Tag published by NVIDIA.';
  }
}

/**
 * The model's tags for the version step: newest first (contract's `describeTags`), floating
 * aliases explained, the catalog's `latestTag` marked recommended (added if the tag list lacks it).
 */
export function buildVersionOptions(
  model: Pick<ModelEntry, 'tags' | 'latestTag'>,
): VersionOption[] {
  const tags = model.tags.includes(model.latestTag) ? model.tags : [...model.tags, model.latestTag];
  return describeTags(tags).map((info) => ({
    tag: info.tag,
    kind: info.kind,
    recommended: info.tag === model.latestTag,
    kindLabel: KIND_LABELS[info.kind],
    description: describeOption(info.tag, info.kind, info.resolvesTo),
  }));
}

/** The tag preselected for a model: its `latestTag`. */
export function defaultTag(model: Pick<ModelEntry, 'latestTag'>): string {
  return model.latestTag;
}
