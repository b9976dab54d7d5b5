import { TouchpointDefinition, type TouchpointDefinitionInput } from '@touchpoints/contracts';
import { UnmappedStepError } from '../errors.js';

/**
 * A ready-made journey a new portal starts from. Each touchpoint names the
 * step of the journey (`step`) that triggers it; the admin maps steps to the
 * portal's own pipeline stages.
 */
export interface JourneyTemplate {
  id: string;
  name: string;
  /** `optional`: a step a portal may not have (a lost stage); left without a stage, its touchpoints are not made. */
  steps: readonly { id: string; label: string; optional?: boolean }[];
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
    { id: 'closedlost', label: 'Closed lost', optional: true },
  ],
  touchpoints: [
    {
      id: 'test-drive',
      name: 'Test drive',
      customerName: { en: 'the test drive', da: 'prøveturen', nb: 'prøvekjøringen' },
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
      customerName: { en: 'the sales meeting', da: 'salgsmødet', nb: 'salgsmøtet' },
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
      customerName: { en: 'the offer', da: 'tilbuddet', nb: 'tilbudet' },
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
      customerName: { en: 'the contract and purchase', da: 'kontrakten og købet', nb: 'kontrakten og kjøpet' },
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
      customerName: { en: 'the delivery of your car', da: 'leveringen af bilen', nb: 'leveringen av bilen' },
      phase: 'post_purchase',
      step: 'cardelivered',
      question: {
        en: 'How was the wait for and the delivery of your car?',
        da: 'Hvordan var ventetiden og leveringen af din bil?',
        nb: 'Hvordan var ventetiden og leveringen av bilen din?',
      },
      sendDelay: { amount: 1, unit: 'days' },
    },
    {
      // Seed 001: "don't forget to follow up lost sales – finding out why you did not win is
      // probably the best way to do better next time" (its win/loss analysis).
      id: 'lost-deal',
      name: 'Lost deal',
      customerName: { en: 'your choice of dealer', da: 'dit valg af forhandler', nb: 'ditt valg av forhandler' },
      phase: 'pre_purchase',
      step: 'closedlost',
      question: {
        en: 'What made you choose someone else? Rate how well we did and tell us why.',
        da: 'Hvad fik dig til at vælge en anden? Giv os en karakter, og fortæl os hvorfor.',
        nb: 'Hva fikk deg til å velge noen andre? Gi oss en karakter, og fortell oss hvorfor.',
      },
      sendDelay: { amount: 1, unit: 'days' },
      afterLostDeal: true,
    },
  ],
};

/**
 * B2B software, from the seed: besides demo, proposal and renewal, the
 * consultants at the customer and the software itself are daily touchpoints.
 */
export const b2bSoftwareTemplate: JourneyTemplate = {
  id: 'b2b-software',
  name: 'B2B software',
  steps: [
    { id: 'demo', label: 'Demo held' },
    { id: 'proposal', label: 'Proposal sent' },
    { id: 'won', label: 'Closed won' },
    { id: 'live', label: 'Live in production' },
    { id: 'renewal', label: 'Renewal' },
    { id: 'lost', label: 'Closed lost', optional: true },
  ],
  touchpoints: [
    {
      id: 'demo',
      name: 'Product demo',
      customerName: { en: 'the product demo', da: 'produktdemoen', nb: 'produktdemoen' },
      phase: 'pre_purchase',
      step: 'demo',
      question: { en: 'How useful was our product demo?', da: 'Hvor nyttig var vores produktdemo?', nb: 'Hvor nyttig var produktdemoen vår?' },
      sendDelay: { amount: 2, unit: 'hours' },
      followUp: { expect: 'step', step: 'proposal', within: { amount: 5, unit: 'days' } },
    },
    {
      id: 'proposal',
      name: 'Proposal',
      customerName: { en: 'our proposal', da: 'vores tilbud', nb: 'tilbudet vårt' },
      phase: 'purchase',
      step: 'proposal',
      question: { en: 'How clear was our proposal?', da: 'Hvor klart var vores tilbud?', nb: 'Hvor tydelig var tilbudet vårt?' },
      sendDelay: { amount: 1, unit: 'days' },
      followUp: { expect: 'engagement', within: { amount: 3, unit: 'days' } },
    },
    {
      id: 'onboarding',
      name: 'Onboarding',
      customerName: { en: 'the onboarding', da: 'opstarten', nb: 'oppstarten' },
      phase: 'post_purchase',
      step: 'won',
      question: { en: 'How well did our onboarding get you started?', da: 'Hvor godt kom du i gang med vores onboarding?', nb: 'Hvor godt kom du i gang med onboardingen vår?' },
      sendDelay: { amount: 14, unit: 'days' },
      followUp: { expect: 'engagement', within: { amount: 2, unit: 'days' } },
    },
    {
      id: 'consultants-and-software',
      name: 'Consultants and the software',
      customerName: { en: 'our consultants and the software', da: 'vores konsulenter og softwaren', nb: 'konsulentene våre og programvaren' },
      phase: 'post_purchase',
      step: 'live',
      question: {
        en: 'How do our consultants and the software work for you day to day?',
        da: 'Hvordan fungerer vores konsulenter og softwaren for jer i hverdagen?',
        nb: 'Hvordan fungerer konsulentene våre og programvaren for dere i hverdagen?',
      },
      sendDelay: { amount: 30, unit: 'days' },
    },
    {
      id: 'renewal',
      name: 'Renewal',
      customerName: { en: 'the renewal', da: 'fornyelsen', nb: 'fornyelsen' },
      phase: 'post_purchase',
      step: 'renewal',
      question: { en: 'How likely are you to renew with us?', da: 'Hvor sandsynligt er det, at I fornyer aftalen?', nb: 'Hvor sannsynlig er det at dere fornyer avtalen?' },
      sendDelay: { amount: 1, unit: 'days' },
    },
    {
      id: 'lost-deal',
      name: 'Lost deal',
      customerName: { en: 'your choice of supplier', da: 'jeres valg af leverandør', nb: 'deres valg av leverandør' },
      phase: 'pre_purchase',
      step: 'lost',
      question: {
        en: 'What made you choose another supplier? Rate how well we did and tell us why.',
        da: 'Hvad fik jer til at vælge en anden leverandør? Giv os en karakter, og fortæl os hvorfor.',
        nb: 'Hva fikk dere til å velge en annen leverandør? Gi oss en karakter, og fortell oss hvorfor.',
      },
      sendDelay: { amount: 1, unit: 'days' },
      afterLostDeal: true,
    },
  ],
};

export const blankTemplate: JourneyTemplate = { id: 'blank', name: 'Blank', steps: [], touchpoints: [] };

/** The template's touchpoints on the portal's own pipeline: every step must map to a stage, but an optional one left out leaves its touchpoints out. */
export function applyTemplate(template: JourneyTemplate, pipelineId: string, stageOfStep: Readonly<Record<string, string>>): TouchpointDefinition[] {
  const stageOf = (step: string) => {
    const stageId = stageOfStep[step];
    if (!stageId) throw new UnmappedStepError(step);
    return stageId;
  };
  const leftOut = new Set(template.steps.filter(({ id, optional }) => optional && !stageOfStep[id]).map(({ id }) => id));
  return template.touchpoints.flatMap(({ step, followUp, ...touchpoint }, index) =>
    leftOut.has(step)
      ? []
      : [
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
        ],
  );
}

/** The templates a new portal can start from, in the order the settings page offers them. */
export const journeyTemplates: readonly JourneyTemplate[] = [carDealerTemplate, b2bSoftwareTemplate, blankTemplate];
