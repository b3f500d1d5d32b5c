import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { DashboardError, DeployError, RequestValidationError } from './errors.js';
import { fromKubernetesError } from './k8s/errors.js';
import { toErrorResponse } from './server.js';

const apiError = (code: number, message: string) =>
  new ApiException(code, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', message }), {
    'audit-id': 'x',
  });

describe('fromKubernetesError', () => {
  it.each([
    [403, 403, 'forbidden'],
    [404, 404, 'not-found'],
    [409, 409, 'object-exists'],
    [422, 422, 'kubernetes-error'],
    [500, 502, 'kubernetes-error'],
  ] as const)('maps HTTP %i to %i %s with the Status message only', (from, status, code) => {
    const error = fromKubernetesError(apiError(from, 'denied by policy'), 'creating X');
    expect(error).toMatchObject({ status, code, kubernetesStatus: from });
    expect(error.message).toBe('creating X: denied by policy');
  });

  it('tells an update conflict from an object that already exists (both 409)', () => {
    const status = (reason: string) =>
      new ApiException(
        409,
        'Conflict',
        JSON.stringify({ kind: 'Status', reason, message: 'm' }),
        {},
      );
    expect(fromKubernetesError(status('Conflict'), 'updating')).toMatchObject({ code: 'conflict' });
    // `already-exists` is only for a taken deployment name, which deploy names itself.
    expect(fromKubernetesError(status('AlreadyExists'), 'creating')).toMatchObject({
      code: 'object-exists',
    });
  });

  it('treats a network failure as 502', () => {
    expect(fromKubernetesError(new TypeError('fetch failed'), 'listing')).toMatchObject({
      status: 502,
    });
  });
});

describe('DeployError', () => {
  it('carries the step and what was rolled back', () => {
    const error = new DeployError(
      'inference-service',
      fromKubernetesError(apiError(403, 'no'), 'creating the InferenceService'),
      { removed: [{ kind: 'ServingRuntime', name: 'x' }], restored: [], failed: [] },
    );
    expect(error.toBody()).toEqual({
      code: 'forbidden',
      message: 'Deploy failed at step "inference-service": creating the InferenceService: no',
      kubernetesStatus: 403,
      failedStep: 'inference-service',
      rolledBack: { removed: [{ kind: 'ServingRuntime', name: 'x' }], restored: [], failed: [] },
    });
  });
});

describe('toErrorResponse', () => {
  it('answers dashboard errors as they are', () => {
    const error = new RequestValidationError([{ field: 'name', message: 'bad' }]);
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      body: {
        code: 'invalid-request',
        message: 'name: bad',
        field: 'name',
        issues: [{ field: 'name', message: 'bad' }],
      },
    });
  });

  it('never echoes a body parser message (it may quote a key)', () => {
    const parserError = Object.assign(new SyntaxError('Unexpected token n in "nvapi-test-x"'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    const { status, body } = toErrorResponse(parserError);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).not.toContain('nvapi');
  });

  it('hides internal errors', () => {
    expect(toErrorResponse(new Error('secret detail'))).toEqual({
      status: 500,
      body: { code: 'internal', message: 'Internal error; see the server log.' },
    });
    expect(toErrorResponse(new DashboardError('nim-disabled', 'off', { status: 403 })).status).toBe(
      403,
    );
  });
});
