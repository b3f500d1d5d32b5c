import { readFile } from 'node:fs/promises';

import {
  ContractError,
  normalizeRegistry,
  parseModelsConfigMap,
  type ModelEntry,
} from '@odh-nim/contract';

import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { describeError, EXIT_CODES, MetadataCliError } from '../errors.js';
import {
  buildImageSetConfiguration,
  buildImageTagMirrorSet,
  parseKserveAgentImage,
  selectMirrorImages,
  toYamlDocument,
  type MirrorTags,
} from '../mirror-images.js';
import { displayPath, resolveOutputPath } from '../repo-root.js';
import type { MirrorFormat } from './mirror-list-command.js';

/** Flags of `mirror-list`, as commander parses them. */
export interface MirrorListFlags {
  format: MirrorFormat;
  model: string[];
  tags: MirrorTags;
  kserveConfig?: string;
  registry?: string;
  output?: string;
  itmsOutput?: string;
}

/** `mirror-list`: writes the images (and the ImageTagMirrorSet) and returns the exit code. */
export async function runMirrorList(
  options: { catalog: string | undefined; flags: MirrorListFlags },
  ctx: CommandContext,
): Promise<number> {
  const { flags } = options;
  if (
    flags.registry !== undefined &&
    flags.output === undefined &&
    flags.itmsOutput === undefined
  ) {
    throw new MetadataCliError(
      'usage',
      'With --registry there are two outputs, the images and the ImageTagMirrorSet.',
      { suggestion: 'Pass --output FILE for the images or --itms-output FILE for the mirror set.' },
    );
  }
  const registry = flags.registry === undefined ? undefined : checkRegistry(flags.registry);
  const path = await resolveOutputPath(options.catalog, ctx.cwd);
  const shown = displayPath(path, ctx.cwd);
  const models = await readCatalog(path, shown);
  const selected = selectMirrorImages({ models, names: flags.model, tags: flags.tags });
  if (selected.unmatched.length > 0) {
    throw new MetadataCliError(
      'usage',
      `No model in ${shown} matches ${selected.unmatched.map((name) => `"${name}"`).join(', ')}.`,
      { suggestion: `Model names are the keys of the catalog, e.g. ${models[0]?.name ?? '…'}.` },
    );
  }
  const agent =
    flags.kserveConfig === undefined ? [] : [await readAgentImage(flags.kserveConfig, ctx)];
  const images = [...selected.images, ...agent];

  const content =
    flags.format === 'list'
      ? images.map((image) => `${image}\n`).join('')
      : toYamlDocument(buildImageSetConfiguration(images));
  await writeOutput(flags.output, content, ctx);
  if (registry !== undefined) {
    await writeOutput(flags.itmsOutput, toYamlDocument(buildImageTagMirrorSet(registry)), ctx);
  }
  const tags = flags.tags === 'latest' ? 'latest tag' : 'every tag';
  ctx.writeErrLine(
    `${shown}: ${selected.models.length} of ${models.length} models, ` +
      `${selected.images.length} images (${tags})` +
      `${agent.length > 0 ? ' + the KServe model agent' : ''}.`,
  );
  return EXIT_CODES.ok;
}

async function readCatalog(path: string, shown: string): Promise<ModelEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MetadataCliError('io', `Cannot read ${shown}: ${describeError(error)}`, {
      cause: error,
    });
  }
  try {
    return parseModelsConfigMap(text, { strict: true }).models;
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw new MetadataCliError(
      'invalid-input',
      `${shown} is not a valid models catalog: ${error.message}`,
      {
        cause: error,
        suggestion: `Check it with: nim-metadata validate ${shown}`,
      },
    );
  }
}

async function readAgentImage(file: string, ctx: CommandContext): Promise<string> {
  let text: string;
  try {
    text = await readFile(ctx.resolvePath(file), 'utf8');
  } catch (error) {
    throw new MetadataCliError('io', `Cannot read ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const parsed = parseKserveAgentImage(text);
  if ('error' in parsed) {
    throw new MetadataCliError(
      'invalid-input',
      `${file} is not KServe's inferenceservice-config: ${parsed.error}`,
      {
        suggestion:
          'Save it with: oc get configmap inferenceservice-config -n <kserve namespace> -o yaml',
      },
    );
  }
  return parsed.image;
}

const REGISTRY_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/i;

function checkRegistry(value: string): string {
  // As the dashboard's --registry: a scheme and trailing slashes are tolerated.
  const registry = value.trim() === '' ? '' : normalizeRegistry(value);
  if (!REGISTRY_PATTERN.test(registry)) {
    throw new MetadataCliError(
      'usage',
      `--registry "${value}" is not a registry host[:port][/path].`,
      {
        suggestion: 'For example: --registry mirror.example.com:5000/nvidia',
      },
    );
  }
  return registry;
}

async function writeOutput(
  file: string | undefined,
  content: string,
  ctx: CommandContext,
): Promise<void> {
  if (file === undefined) {
    ctx.stdout.write(content);
    return;
  }
  try {
    await writeFileAtomic(ctx.resolvePath(file), content);
  } catch (error) {
    throw new MetadataCliError('io', `Cannot write ${file}: ${describeError(error)}`, {
      cause: error,
    });
  }
}
