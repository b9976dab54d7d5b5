import { TouchpointDefinition, type TouchpointDefinitionInput } from '../../crm-app/src/app/shared/touchpoint.js';

/**
 * A ready-made journey a new portal starts from. Each touchpoint names the
 * step of the journey (`step`) that triggers it; the admin maps steps to the
 * portal's own pipeline stages.
 */
export interface JourneyTemplate {
  id: string;
  name: string;
  steps: readonly { id: string; label: string }[];
  touchpoints: readonly (Omit<TouchpointDefinitionInput, 'trigger' | 'followUp' | 'position'> & {
    step: string;
    followUp?: { expect: 'step'; step: string; within: TouchpointDefinitionInput['sendDelay'] } | { expect: 'engagement'; within: TouchpointDefinitionInput['sendDelay'] };
  })[];
}

/**
 * The car dealer of the Danish seed: the sales meeting was fine, but the offer
 * came late and nobody called during the delivery wait. The promises catch both.
 */
export const carDealerTemplate: JourneyTemplate = {
  id: 'car-dealer',
  name: 'Car dealer',
  steps: [
    { id: 'testdrive', label: 'Test drive' },
    { id: 'salesmeeting', label: 'Sales meeting' },
    { id: 'offersent', label: 'Offer sent' },
    { id: 'contractsigned', label: 'Contract signed' },
    { id: 'cardelivered', label: 'Car delivered' },
  ],
  touchpoints: [
    {
      id: 'test-drive',
      name: 'Test drive',
      phase: 'pre_purchase',
      step: 'testdrive',
      question: {
        en: 'How was your test drive with us?',
        da: 'Hvordan var din prøvetur hos os?',
        nb: 'Hvordan var prøvekjøringen hos oss?',
      },
      sendDelay: { amount: 2, unit: 'hours' },
    },
    {
      id: 'sales-meeting',
      name: 'Sales meeting',
      phase: 'purchase',
      step: 'salesmeeting',
      question: {
        en: 'How was your meeting with our salesperson?',
        da: 'Hvordan var dit møde med vores sælger?',
        nb: 'Hvordan var møtet med selgeren vår?',
      },
      sendDelay: { amount: 2, unit: 'hours' },
      followUp: { expect: 'step', step: 'offersent', within: { amount: 2, unit: 'days' } },
    },
    {
      id: 'offer',
      name: 'The offer',
      phase: 'purchase',
      step: 'offersent',
      question: {
        en: 'How clear and timely was our offer?',
        da: 'Hvor klart og hurtigt fik du vores tilbud?',
        nb: 'Hvor tydelig og rask var tilbudet vårt?',
      },
      sendDelay: { amount: 1, unit: 'days' },
    },
    {
      id: 'contract',
      name: 'Contract and purchase',
      phase: 'purchase',
      step: 'contractsigned',
      question: {
        en: 'How easy was it to sign the contract?',
        da: 'Hvor let var det at underskrive kontrakten?',
        nb: 'Hvor enkelt var det å signere kontrakten?',
      },
      sendDelay: { amount: 1, unit: 'hours' },
      // The delivery wait: the seed's customers heard nothing and felt forgotten.
      followUp: { expect: 'engagement', within: { amount: 7, unit: 'days' } },
    },
    {
      id: 'delivery',
      name: 'Delivery of the car',
      phase: 'post_purchase',
      step: 'cardelivered',
      question: {
        en: 'How was the wait for and the delivery of your car?',
        da: 'Hvordan var ventetiden og leveringen af din bil?',
        nb: 'Hvordan var ventetiden og leveringen av bilen din?',
      },
      sendDelay: { amount: 1, unit: 'days' },
    },
  ],
};

export const blankTemplate: JourneyTemplate = { id: 'blank', name: 'Blank', steps: [], touchpoints: [] };

export class UnmappedStepError extends Error {
  override readonly name = 'UnmappedStepError';
  constructor(readonly step: string) {
    super(`step ${step} is not mapped to a pipeline stage`);
  }
}

/** The template's touchpoints on the portal's own pipeline: every step must map to a stage. */
export function applyTemplate(template: JourneyTemplate, pipelineId: string, stageOfStep: Readonly<Record<string, string>>): TouchpointDefinition[] {
  const stageOf = (step: string) => {
    const stageId = stageOfStep[step];
    if (!stageId) throw new UnmappedStepError(step);
    return stageId;
  };
  return template.touchpoints.map(({ step, followUp, ...touchpoint }, index) =>
    TouchpointDefinition.parse({
      ...touchpoint,
      position: index + 1,
      trigger: { type: 'deal_stage', pipelineId, stageId: stageOf(step) },
      followUp:
        followUp === undefined
          ? null
          : followUp.expect === 'step'
            ? { expect: 'stage', stageId: stageOf(followUp.step), within: followUp.within }
            : followUp,
    }),
  );
}
