import { describe, expect, it } from 'vitest';

import { deriveDeploymentStatus } from './status.js';

describe('deriveDeploymentStatus', () => {
  it('is Pending without a status or conditions', () => {
    expect(deriveDeploymentStatus(undefined)).toEqual({ phase: 'Pending' });
    expect(deriveDeploymentStatus({ conditions: [] })).toEqual({ phase: 'Pending' });
  });

  it('is Ready when the Ready condition is True', () => {
    expect(
      deriveDeploymentStatus({
        conditions: [
          { type: 'PredictorReady', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
      }),
    ).toEqual({ phase: 'Ready' });
  });

  it('is Failed with the reason and message of a False condition', () => {
    expect(
      deriveDeploymentStatus({
        conditions: [
          {
            type: 'PredictorReady',
            status: 'False',
            reason: 'ImagePullBackOff',
            message: 'no auth',
          },
          { type: 'Ready', status: 'False', reason: 'ImagePullBackOff' },
        ],
      }),
    ).toEqual({ phase: 'Failed', reason: 'ImagePullBackOff', message: 'no auth' });
  });

  it('is Failed when the model failed to load, with KServe’s failure info', () => {
    expect(
      deriveDeploymentStatus({
        conditions: [{ type: 'Ready', status: 'False' }],
        modelStatus: {
          transitionStatus: 'BlockedByFailedLoad',
          states: { activeModelState: 'FailedToLoad' },
          lastFailureInfo: { reason: 'ModelLoadFailed', message: 'out of memory' },
        },
      }),
    ).toEqual({ phase: 'Failed', reason: 'ModelLoadFailed', message: 'out of memory' });
  });

  it('is Loading while the predictor progresses', () => {
    expect(
      deriveDeploymentStatus({
        conditions: [
          {
            type: 'PredictorReady',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          { type: 'Ready', status: 'False', reason: 'MinimumReplicasUnavailable' },
        ],
      }),
    ).toEqual({
      phase: 'Loading',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    expect(
      deriveDeploymentStatus({ conditions: [{ type: 'PredictorReady', status: 'Unknown' }] }),
    ).toEqual({ phase: 'Loading' });
    expect(
      deriveDeploymentStatus({ modelStatus: { states: { targetModelState: 'Loading' } } }),
    ).toEqual({ phase: 'Loading', reason: 'Loading' });
  });

  it('treats a False condition without a reason as still loading', () => {
    expect(deriveDeploymentStatus({ conditions: [{ type: 'Ready', status: 'False' }] })).toEqual({
      phase: 'Loading',
    });
  });
});
