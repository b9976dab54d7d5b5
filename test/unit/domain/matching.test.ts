import { describe, expect, it } from 'vitest';
import { touchpointsStartedBy } from '../../../lambdas/domain/matching.js';
import { TouchpointDefinition, touchpointProblems } from '@touchpoints/contracts';

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

describe('touchpointProblems', () => {
  const pipelines = [{ id: 'car-sales', label: 'Car sales', stages: [{ id: 'salesmeeting', label: 'Sales meeting' }, { id: 'offersent', label: 'Offer sent' }] }];
  const portal = { pipelines, defaultLanguage: 'en' as const };

  it('finds nothing wrong with a touchpoint on live stages with a question in the default language', () => {
    expect(touchpointProblems(salesMeeting, portal)).toEqual([]);
  });

  it('names a trigger stage the pipeline does not have', () => {
    expect(touchpointProblems(touchpoint('delivery', 'cardelivered'), portal)).toEqual(['trigger.stageId: no stage cardelivered in pipeline Car sales']);
  });

  it('names a pipeline the portal does not have', () => {
    const elsewhere = { ...offer, trigger: { ...offer.trigger, pipelineId: 'vans' } };
    expect(touchpointProblems(elsewhere, portal)).toEqual(['trigger.pipelineId: no deal pipeline vans in this portal']);
  });

  it('names a promised stage the pipeline does not have', () => {
    const promise = touchpoint('meeting', 'salesmeeting', { followUp: { expect: 'stage', stageId: 'gone', within: { amount: 1, unit: 'days' } } });
    expect(touchpointProblems(promise, portal)).toEqual(['followUp.stageId: no stage gone in pipeline Car sales']);
  });

  it('asks for the question in the portal’s default language', () => {
    expect(touchpointProblems(offer, { pipelines, defaultLanguage: 'da' })).toEqual(["question.da: is required, as it is the portal's default language"]);
  });
});
