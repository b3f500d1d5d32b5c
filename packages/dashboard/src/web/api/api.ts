import {
  API_PATHS,
  apiKeyPath,
  apiKeyStatusResponseSchema,
  configResponseSchema,
  deleteResponseSchema,
  deploymentPath,
  deploymentsPath,
  deploymentsResponseSchema,
  deployResponseSchema,
  modelsResponseSchema,
  projectsResponseSchema,
  rotateKeyResponseSchema,
  validateKeyResponseSchema,
  whoamiResponseSchema,
  type ApiKeyStatusResponse,
  type ConfigResponse,
  type DeleteResponse,
  type DeploymentsResponse,
  type DeployRequest,
  type DeployResponse,
  type ModelsResponse,
  type ProjectsResponse,
  type RotateKeyResponse,
  type ValidateKeyResponse,
  type WhoamiResponse,
} from '../../api/types.js';
import { requestJson } from './client.js';

/** `GET /api/nim/config`: feature switches, key collection, templates. */
export function getConfig(signal?: AbortSignal): Promise<ConfigResponse> {
  return requestJson(API_PATHS.config, configResponseSchema, { signal });
}

/** `GET /api/nim/models`: the catalog. */
export function getModels(signal?: AbortSignal): Promise<ModelsResponse> {
  return requestJson(API_PATHS.models, modelsResponseSchema, { signal });
}

/** `GET /api/projects`: the projects the user may list. */
export function getProjects(signal?: AbortSignal): Promise<ProjectsResponse> {
  return requestJson(API_PATHS.projects, projectsResponseSchema, { signal });
}

/** `GET /api/whoami`. */
export function getWhoami(signal?: AbortSignal): Promise<WhoamiResponse> {
  return requestJson(API_PATHS.whoami, whoamiResponseSchema, { signal });
}

/** `GET` a project's NIM deployments. */
export function listDeployments(
  namespace: string,
  signal?: AbortSignal,
): Promise<DeploymentsResponse> {
  return requestJson(deploymentsPath(namespace), deploymentsResponseSchema, { signal });
}

/** `POST` a deploy: validates, creates the objects, rolls back on failure. */
export function createDeployment(
  namespace: string,
  request: DeployRequest,
  signal?: AbortSignal,
): Promise<DeployResponse> {
  return requestJson(deploymentsPath(namespace), deployResponseSchema, {
    method: 'POST',
    body: request,
    signal,
  });
}

/** `DELETE` one NIM deployment and what only it used. */
export function deleteDeployment(namespace: string, name: string): Promise<DeleteResponse> {
  return requestJson(deploymentPath(namespace, name), deleteResponseSchema, { method: 'DELETE' });
}

/** Whether the project already stores an NGC key (never its value). */
export function getApiKeyStatus(
  namespace: string,
  signal?: AbortSignal,
): Promise<ApiKeyStatusResponse> {
  return requestJson(apiKeyPath(namespace), apiKeyStatusResponseSchema, { signal });
}

/** Replaces the project's key and restarts its NIM deployments. */
export function rotateApiKey(namespace: string, apiKey: string): Promise<RotateKeyResponse> {
  return requestJson(apiKeyPath(namespace), rotateKeyResponseSchema, {
    method: 'PUT',
    body: { apiKey },
  });
}

/** Asks NGC (through the backend) whether a key is valid. */
export function validateKey(apiKey: string, signal?: AbortSignal): Promise<ValidateKeyResponse> {
  return requestJson(API_PATHS.validateKey, validateKeyResponseSchema, {
    method: 'POST',
    body: { apiKey },
    signal,
  });
}
