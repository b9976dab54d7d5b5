import { describe, expect, it } from 'vitest';
import { touchpointsStartedBy, touchpointsWithUnknownStage } from '../../../lambdas/domain/matching.js';
import { TouchpointDefinition } from '../../../crm-app/src/app/shared/touchpoint.js';

function touchpoint(id: string, stageId: string, extra: Record<string, unknown> = {}): TouchpointDefinition {
  return TouchpointDefinition.parse({
    id,
    name: id,
    phase: 'purchase',
    trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId },
    question: { en: `How was the ${id}?` },
    sendDelay: { amount: 0, unit: 'minutes' },
    ...extra,
  });
}

const testDrive = touchpoint('test-drive', 'testdrive');
const salesMeeting = touchpoint('sales-meeting', 'salesmeeting', {
  followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 2, unit: 'days' } },
});
const offer = touchpoint('offer', 'offersent');
const meetingFeeling = touchpoint('meeting-feeling', 'salesmeeting');
const all = [testDrive, salesMeeting, offer, meetingFeeling];

describe('touchpointsStartedBy', () => {
  it('starts every touchpoint tied to the stage the deal enters', () => {
    expect(touchpointsStartedBy({ pipelineId: 'car-sales', stageId: 'salesmeeting' }, all)).toEqual([salesMeeting, meetingFeeling]);
  });

  it('starts nothing for a stage no touchpoint is tied to', () => {
    expect(touchpointsStartedBy({ pipelineId: 'car-sales', stageId: 'closedlost' }, all)).toEqual([]);
  });

  it('starts only the entered stage’s touchpoints when the deal skips stages', () => {
    // testdrive -> offersent skips the sales meeting: no meeting survey.
    expect(touchpointsStartedBy({ pipelineId: 'car-sales', stageId: 'offersent' }, all)).toEqual([offer]);
  });

  it('starts the earlier stage’s touchpoints when the deal moves back into it', () => {
    expect(touchpointsStartedBy({ pipelineId: 'car-sales', stageId: 'testdrive' }, all)).toEqual([testDrive]);
  });

  it('ignores a stage with the same id in another pipeline', () => {
    expect(touchpointsStartedBy({ pipelineId: 'vans', stageId: 'offersent' }, all)).toEqual([]);
  });

  it('skips disabled touchpoints', () => {
    const disabledOffer = { ...offer, enabled: false };
    expect(touchpointsStartedBy({ pipelineId: 'car-sales', stageId: 'offersent' }, [disabledOffer])).toEqual([]);
  });
});

describe('touchpointsWithUnknownStage', () => {
  const pipelines = new Map([['car-sales', new Set(['testdrive', 'salesmeeting', 'offersent'])]]);

  it('flags nothing when every trigger and promised stage exists', () => {
    expect(touchpointsWithUnknownStage(all, pipelines)).toEqual([]);
  });

  it('flags a trigger stage that was deleted', () => {
    const orphan = touchpoint('delivery', 'cardelivered');
    expect(touchpointsWithUnknownStage([...all, orphan], pipelines)).toEqual([orphan]);
  });

  it('flags a promised stage that was deleted', () => {
    const withMissingPromise = touchpoint('drive', 'testdrive', {
      followUp: { expect: 'stage', stageId: 'gone', within: { amount: 1, unit: 'days' } },
    });
    expect(touchpointsWithUnknownStage([withMissingPromise], pipelines)).toEqual([withMissingPromise]);
  });

  it('flags a touchpoint whose pipeline was deleted', () => {
    expect(touchpointsWithUnknownStage([testDrive], new Map())).toEqual([testDrive]);
  });
});
