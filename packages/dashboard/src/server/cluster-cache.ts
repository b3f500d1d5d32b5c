import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { z } from 'zod';

import {
  ANNOTATIONS,
  API,
  DASHBOARD_CONFIG_NAME,
  runtimeTemplateName,
  type ApiProtocol,
  type TemplateObject,
} from '@odh-nim/contract';

import type { NimConfigCrd, RuntimeTemplateInfo } from '../api/types.js';
import {
  buildCatalogSnapshot,
  buildDisabledModelsBody,
  type CatalogSnapshot,
  type ModelsBody,
} from './k8s/catalog/snapshot.js';
import { getNimConfigCrd } from './k8s/dashboard-config/crd-support.js';
import { parseNimSettings, type NimSettings } from './k8s/dashboard-config/types.js';
import { parseRuntimeTemplate } from './k8s/templates/types.js';
import { WatchedObject } from './k8s/watched-object.js';

const PROTOCOLS: readonly ApiProtocol[] = ['http', 'grpc'];

const versionSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }).optional(),
});

/** Options of {@link ClusterCache}. */
export interface ClusterCacheOptions {
  /** The backend's own credentials: they only read these objects. */
  kubeConfig: KubeConfig;
  applicationsNamespace: string;
  logger: Logger;
  /** Retry backoff of failed lists and watches. */
  retry?: { minMs: number; maxMs: number };
  /** Whether the OdhDashboardConfig CRD can hold `spec.nimConfig`. Default: its OpenAPI schema. */
  readNimConfigCrd?: () => Promise<NimConfigCrd>;
}

interface TemplateState {
  template: TemplateObject | undefined;
  displayName: string | undefined;
}

/**
 * What the backend reads with its own identity, kept current by watches so requests never wait
 * on the apiserver: the OdhDashboardConfig, the catalog ConfigMap it points at, and the two
 * runtime Templates. Switching `customConfigMap` moves the catalog watch.
 */
export class ClusterCache {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private currentSettings: NimSettings;
  private currentCatalog: CatalogSnapshot;
  private disabledBody: ModelsBody;
  private readonly templates = new Map<ApiProtocol, TemplateState>();
  private readonly configWatch: WatchedObject;
  private readonly templateWatches: WatchedObject[];
  private catalogWatch: WatchedObject | undefined;
  private catalogGeneration = 0;
  private catalogStarting: Promise<void> = Promise.resolve();
  private started = false;
  private readonly listeners = new Set<() => void>();
  private currentNimConfigCrd: NimConfigCrd = { state: 'unknown' };
  private nimConfigCrdCheck = 0;

  constructor(private readonly options: ClusterCacheOptions) {
    const { kubeConfig, applicationsNamespace: namespace } = options;
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.currentSettings = parseNimSettings(undefined, namespace);
    this.currentCatalog = buildCatalogSnapshot(undefined, this.currentSettings.catalogSource);
    this.disabledBody = buildDisabledModelsBody(this.currentSettings.catalogSource);

    const { group, version, plural } = API.dashboardConfig;
    this.configWatch = new WatchedObject({
      kubeConfig,
      path: `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      name: DASHBOARD_CONFIG_NAME,
      list: (fieldSelector) =>
        this.custom.listNamespacedCustomObject({
          ...API.dashboardConfig,
          namespace,
          fieldSelector,
        }),
      onChange: (object) => this.onConfigChange(object),
      logger: options.logger,
      ...(options.retry ? { retry: options.retry } : {}),
    });
    this.templateWatches = PROTOCOLS.map((protocol) => {
      this.templates.set(protocol, { template: undefined, displayName: undefined });
      const t = API.template;
      return new WatchedObject({
        kubeConfig,
        path: `/apis/${t.group}/${t.version}/namespaces/${namespace}/${t.plural}`,
        name: runtimeTemplateName(protocol),
        list: (fieldSelector) =>
          this.custom.listNamespacedCustomObject({ ...API.template, namespace, fieldSelector }),
        onChange: (object) => this.onTemplateChange(protocol, object),
        logger: options.logger,
        ...(options.retry ? { retry: options.retry } : {}),
      });
    });
  }

  /** Lists everything once and starts the watches; resolves when the first answers are in. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all([
      this.configWatch.start(),
      ...this.templateWatches.map((watch) => watch.start()),
    ]);
    // The config's first answer may already have started the catalog watch; otherwise start it.
    if (!this.catalogWatch) await this.watchCatalog();
    else await this.catalogStarting;
    await this.checkNimConfigCrd();
  }

  /** Stops every watch. */
  stop(): void {
    this.started = false;
    this.configWatch.stop();
    for (const watch of this.templateWatches) watch.stop();
    this.catalogWatch?.stop();
    this.catalogWatch = undefined;
  }

  /** The NIM settings of the OdhDashboardConfig (defaults when it is absent). */
  get settings(): NimSettings {
    return this.currentSettings;
  }

  /** Whether the installed OdhDashboardConfig CRD can hold `spec.nimConfig`, as last read. */
  get nimConfigCrd(): NimConfigCrd {
    return this.currentNimConfigCrd;
  }

  /** The catalog as last read. */
  get catalog(): CatalogSnapshot {
    return this.currentCatalog;
  }

  /** The serialized `GET /api/nim/models` body and its ETag, honouring `disableNIMModelServing`. */
  modelsBody(): ModelsBody {
    return this.currentSettings.enabled ? this.currentCatalog : this.disabledBody;
  }

  /** The runtime Template of a protocol, when installed and usable. */
  getTemplate(protocol: ApiProtocol): TemplateObject | undefined {
    return this.templates.get(protocol)?.template;
  }

  /** Both runtime Templates and whether each is installed. */
  templateInfos(): RuntimeTemplateInfo[] {
    return PROTOCOLS.map((protocol) => {
      const state = this.templates.get(protocol);
      return {
        protocol,
        name: runtimeTemplateName(protocol),
        installed: state?.template !== undefined,
        ...(state?.displayName ? { displayName: state.displayName } : {}),
      };
    });
  }

  /**
   * Resolves once `predicate` holds for this cache (checked after every change), or rejects after
   * `timeoutMs`. For tests and the local launcher, which change the cluster and then read.
   */
  waitFor(predicate: (cache: ClusterCache) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (!predicate(this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`cluster cache condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  private onConfigChange(object: unknown): void {
    const previous = this.currentSettings;
    this.currentSettings = parseNimSettings(object, this.options.applicationsNamespace);
    this.disabledBody = buildDisabledModelsBody(this.currentSettings.catalogSource);
    const before = previous.catalogSource;
    const after = this.currentSettings.catalogSource;
    if (before.name !== after.name || before.namespace !== after.namespace || !this.catalogWatch) {
      this.catalogStarting = this.watchCatalog();
    }
    this.options.logger.info(
      {
        enabled: this.currentSettings.enabled,
        keyValidation: this.currentSettings.keyValidation,
        keyCollection: this.currentSettings.keyCollection,
        catalog: `${after.namespace}/${after.name}`,
      },
      'NIM dashboard settings loaded',
    );
    this.notify();
    // An admin who edits the config may just have patched the CRD too: look again.
    if (this.started) void this.checkNimConfigCrd();
  }

  /**
   * Reads whether the CRD can hold `spec.nimConfig`, and warns when it cannot: then the admin's
   * nimConfig settings are dropped by the apiserver and have no effect (SPEC §3.1).
   */
  private async checkNimConfigCrd(): Promise<void> {
    const check = ++this.nimConfigCrdCheck;
    const read = this.options.readNimConfigCrd ?? (() => getNimConfigCrd(this.options.kubeConfig));
    const result = await read();
    if (check !== this.nimConfigCrdCheck) return;
    const previous = this.currentNimConfigCrd;
    this.currentNimConfigCrd = result;
    if (result.state !== previous.state || result.message !== previous.message) {
      if (result.state === 'supported') {
        this.options.logger.info(
          { nimConfigCrd: result.state },
          'OdhDashboardConfig CRD holds spec.nimConfig',
        );
      } else {
        this.options.logger.warn({ nimConfigCrd: result.state }, result.message ?? result.state);
      }
      this.notify();
    }
  }

  private async watchCatalog(): Promise<void> {
    this.catalogWatch?.stop();
    const generation = ++this.catalogGeneration;
    const source = this.currentSettings.catalogSource;
    const namespace = source.namespace;
    const previous = this.currentCatalog.source;
    if (previous.name !== source.name || previous.namespace !== source.namespace) {
      // Another ConfigMap: until it is read (and forever if the read is refused), the previous
      // one's models must not be served or deployed from as if they were this one's.
      this.currentCatalog = buildCatalogSnapshot(undefined, source);
    }
    const watch = new WatchedObject({
      kubeConfig: this.options.kubeConfig,
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      name: source.name,
      list: (fieldSelector) => this.core.listNamespacedConfigMap({ namespace, fieldSelector }),
      onChange: (object) => {
        if (generation !== this.catalogGeneration) return;
        const version = versionSchema.safeParse(object);
        const resourceVersion = version.success
          ? version.data.metadata?.resourceVersion
          : undefined;
        this.currentCatalog = buildCatalogSnapshot(object, source, resourceVersion);
        const { state, models, warnings } = this.currentCatalog;
        this.options.logger.info(
          {
            catalog: `${namespace}/${source.name}`,
            state,
            models: models.length,
            warnings: warnings.length,
          },
          'NIM catalog loaded',
        );
        this.notify();
      },
      logger: this.options.logger,
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
    this.catalogWatch = watch;
    if (this.started) await watch.start();
  }

  private onTemplateChange(protocol: ApiProtocol, object: unknown): void {
    if (object === undefined) {
      this.templates.set(protocol, { template: undefined, displayName: undefined });
    } else {
      const parsed = parseRuntimeTemplate(object);
      if ('reason' in parsed) {
        this.options.logger.warn(
          { template: runtimeTemplateName(protocol) },
          `runtime Template unusable: ${parsed.reason}`,
        );
        this.templates.set(protocol, { template: undefined, displayName: undefined });
      } else {
        this.templates.set(protocol, {
          template: parsed.template,
          displayName: parsed.template.metadata.annotations?.[ANNOTATIONS.displayName],
        });
      }
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
