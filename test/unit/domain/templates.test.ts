import { describe, expect, it } from 'vitest';
import { applyTemplate, b2bSoftwareTemplate, blankTemplate, carDealerTemplate, journeyTemplates } from '../../../lambdas/domain/templates.js';
import { UnmappedStepError } from '../../../lambdas/errors.js';
import { languagesCovered } from '@touchpoints/contracts';

const stageOfStep = { testdrive: '101', salesmeeting: '102', offersent: '103', contractsigned: '104', cardelivered: '105' };

describe('the car dealer template', () => {
  const touchpoints = applyTemplate(carDealerTemplate, 'cars', stageOfStep);

  it('maps every touchpoint onto the portal’s own stages', () => {
    expect(touchpoints.map(({ id, trigger }) => `${id}@${trigger.stageId}`)).toEqual([
      'test-drive@101',
      'sales-meeting@102',
      'offer@103',
      'contract@104',
      'delivery@105',
    ]);
  });

  it('promises the offer within two days of the sales meeting', () => {
    expect(touchpoints.find(({ id }) => id === 'sales-meeting')?.followUp).toEqual({
      expect: 'stage',
      stageId: '103',
      within: { amount: 2, unit: 'days' },
    });
  });

  it('promises contact during the delivery wait', () => {
    expect(touchpoints.find(({ id }) => id === 'contract')?.followUp).toEqual({ expect: 'engagement', within: { amount: 7, unit: 'days' } });
  });

  it('asks every question in English, Danish and Norwegian', () => {
    expect(touchpoints.every((touchpoint) => languagesCovered(touchpoint).join() === 'en,da,nb')).toBe(true);
  });

  it('refuses a mapping that leaves a step without a stage', () => {
    const { offersent: _, ...withoutOffer } = stageOfStep;
    expect(() => applyTemplate(carDealerTemplate, 'cars', withoutOffer)).toThrow(new UnmappedStepError('offersent'));
  });
});

describe('the blank template', () => {
  it('starts with no touchpoints', () => {
    expect(applyTemplate(blankTemplate, 'cars', {})).toEqual([]);
  });
});

describe('the B2B software template', () => {
  it('makes the consultants and the software a touchpoint of their own after go-live', () => {
    const stages = Object.fromEntries(b2bSoftwareTemplate.steps.map(({ id }, index) => [id, String(200 + index)]));
    const touchpoints = applyTemplate(b2bSoftwareTemplate, 'sales', stages);
    expect(touchpoints.map(({ id, phase }) => `${id}:${phase}`)).toEqual([
      'demo:pre_purchase',
      'proposal:purchase',
      'onboarding:post_purchase',
      'consultants-and-software:post_purchase',
      'renewal:post_purchase',
      'lost-deal:pre_purchase',
    ]);
  });
});

describe('the lost-deal touchpoint (seed 001’s win/loss follow-up)', () => {
  it('asks customers on the closed-lost stage what made them choose someone else, reported apart', () => {
    const touchpoints = applyTemplate(carDealerTemplate, 'cars', { ...stageOfStep, closedlost: '106' });
    expect(touchpoints.find(({ id }) => id === 'lost-deal')).toMatchObject({
      trigger: { stageId: '106' },
      afterLostDeal: true,
      question: { en: expect.stringContaining('What made you choose someone else?'), da: expect.stringContaining('Hvad fik dig til at vælge en anden?') },
    });
  });

  it('is left out where the portal maps no lost stage, since that step is optional', () => {
    expect(applyTemplate(carDealerTemplate, 'cars', stageOfStep).map(({ id }) => id)).not.toContain('lost-deal');
  });
});

describe('the template catalogue', () => {
  it('offers car dealer, B2B software and blank, each valid on any pipeline', () => {
    expect(journeyTemplates.map(({ name }) => name)).toEqual(['Car dealer', 'B2B software', 'Blank']);
    for (const template of journeyTemplates) {
      const stages = Object.fromEntries(template.steps.map(({ id }) => [id, `stage-${id}`]));
      expect(applyTemplate(template, 'p', stages)).toHaveLength(template.touchpoints.length);
    }
  });
});
