import { describe, expect, it } from 'vitest';
import { customerNameFor, describeIssues, durationMs, languagesCovered, surveyQuestionFor, TouchpointDefinition, type TouchpointDefinitionInput } from '@touchpoints/contracts';

const offerSent: TouchpointDefinitionInput = {
  id: 'offer',
  name: 'The offer',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { en: 'How did you find our offer?', da: 'Hvordan oplevede du vores tilbud?' },
  sendDelay: { amount: 1, unit: 'hours' },
  followUp: { expect: 'stage', stageId: 'contractsigned', within: { amount: 7, unit: 'days' } },
};

function withChange(change: Record<string, unknown>): unknown {
  return { ...offerSent, ...change };
}

function problemsOf(input: unknown): string[] {
  const result = TouchpointDefinition.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
}

describe('TouchpointDefinition', () => {
  it('accepts a complete touchpoint and enables it by default', () => {
    const touchpoint = TouchpointDefinition.parse(offerSent);
    expect(touchpoint.enabled).toBe(true);
    expect(touchpoint.followUp).toEqual(offerSent.followUp);
  });

  it('treats a missing follow-up promise as none', () => {
    expect(TouchpointDefinition.parse(withChange({ followUp: undefined })).followUp).toBeNull();
  });

  it('accepts a promise of any logged sales activity', () => {
    const touchpoint = TouchpointDefinition.parse(withChange({ followUp: { expect: 'engagement', within: { amount: 2, unit: 'days' } } }));
    expect(touchpoint.followUp?.expect).toBe('engagement');
  });

  it('trims names and questions', () => {
    const touchpoint = TouchpointDefinition.parse(withChange({ name: '  The offer ', question: { nb: ' Hvordan opplevde du tilbudet? ' } }));
    expect([touchpoint.name, touchpoint.question.nb]).toEqual(['The offer', 'Hvordan opplevde du tilbudet?']);
  });

  it.each([
    [{ id: 'Offer Sent' }, 'id: must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit'],
    [{ id: '-offer' }, 'id: must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit'],
    [{ id: 'o'.repeat(64) }, 'id: must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit'],
    [{ name: '   ' }, 'name: must not be empty'],
    [{ name: 'x'.repeat(81) }, 'name: must be at most 80 characters'],
    [{ phase: 'after_sale' }, 'phase: must be one of influence, pre_purchase, purchase, post_purchase'],
    [{ trigger: { type: 'form', pipelineId: 'car-sales', stageId: 'offersent' } }, 'trigger.type: must be deal_stage'],
    [{ trigger: { type: 'deal_stage', pipelineId: '', stageId: 'offersent' } }, 'trigger.pipelineId: must not be empty'],
    [{ trigger: { type: 'deal_stage', pipelineId: 'car-sales' } }, 'trigger.stageId: must be a text id'],
    [{ question: {} }, 'question: needs a question in at least one of en, da, nb'],
    [{ question: { en: 'Hm?' } }, 'question.en: must be at least 5 characters'],
    [{ question: { en: 'x'.repeat(301) } }, 'question.en: must be at most 300 characters'],
    [{ question: { sv: 'Hur var vårt erbjudande?' } }, 'question: Unrecognized key: "sv"'],
    [{ sendDelay: { amount: -1, unit: 'hours' } }, 'sendDelay.amount: must not be negative'],
    [{ sendDelay: { amount: 1.5, unit: 'hours' } }, 'sendDelay.amount: must be a whole number'],
    [{ sendDelay: { amount: 2, unit: 'weeks' } }, 'sendDelay.unit: must be minutes, hours or days'],
    [{ sendDelay: { amount: 366, unit: 'days' } }, 'sendDelay.amount: must not be longer than 365 days'],
    [{ sendDelay: { amount: 91, unit: 'days' } }, 'sendDelay.amount: must not be longer than 90 days'],
    [{ sendDelay: { amount: 2161, unit: 'hours' } }, 'sendDelay.amount: must not be longer than 90 days'],
    [{ followUp: { expect: 'call', within: { amount: 2, unit: 'days' } } }, 'followUp.expect: expect must be stage or engagement'],
    [{ followUp: { expect: 'engagement', within: { amount: 0, unit: 'days' } } }, 'followUp.within.amount: must be at least 1'],
    [{ followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 2, unit: 'days' } } }, 'followUp.stageId: must differ from the stage that triggers the touchpoint'],
    [{ enabled: 'yes' }, 'enabled: must be true or false'],
  ])('rejects %o naming the field', (change, message) => {
    expect(problemsOf(withChange(change))).toContain(message);
  });

  it('accepts the boundary values of every field', () => {
    const edges = withChange({
      id: 'a',
      name: 'x'.repeat(80),
      question: { en: 'x'.repeat(300), nb: 'Hvor?' },
      sendDelay: { amount: 0, unit: 'minutes' },
      followUp: { expect: 'engagement', within: { amount: 365, unit: 'days' } },
      position: 999,
    });
    expect(problemsOf(edges)).toEqual([]);
  });

  it('accepts a send delay of exactly 90 days', () => {
    expect(problemsOf(withChange({ sendDelay: { amount: 90, unit: 'days' } }))).toEqual([]);
  });

  it('names every bad field at once', () => {
    expect(problemsOf({ id: 'offer' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^name:/), expect.stringMatching(/^phase:/), expect.stringMatching(/^trigger:/), expect.stringMatching(/^question:/), expect.stringMatching(/^sendDelay:/)]),
    );
  });
});

describe('survey languages of a touchpoint', () => {
  const touchpoint = TouchpointDefinition.parse(offerSent);

  it('lists the languages the question is written in', () => {
    expect(languagesCovered(touchpoint)).toEqual(['en', 'da']);
  });

  it('asks in the contact’s language when the question is translated', () => {
    expect(surveyQuestionFor(touchpoint, 'da', 'en')).toEqual({ language: 'da', text: 'Hvordan oplevede du vores tilbud?' });
  });

  it('falls back to the portal default when the question is not translated', () => {
    expect(surveyQuestionFor(touchpoint, 'nb', 'da')).toEqual({ language: 'da', text: 'Hvordan oplevede du vores tilbud?' });
  });

  it('falls back to any written language when the default is missing too', () => {
    const danishOnly = TouchpointDefinition.parse(withChange({ question: { da: 'Hvordan oplevede du vores tilbud?' } }));
    expect(surveyQuestionFor(danishOnly, 'nb', 'en').language).toBe('da');
  });
});

describe('durationMs', () => {
  it.each([
    [{ amount: 0, unit: 'minutes' }, 0],
    [{ amount: 90, unit: 'minutes' }, 5_400_000],
    [{ amount: 2, unit: 'days' }, 172_800_000],
  ] as const)('turns %o into %i ms', (duration, ms) => {
    expect(durationMs(duration)).toBe(ms);
  });
});

describe('what a customer reads for a touchpoint', () => {
  const base = {
    id: 'sales-meeting',
    name: 'Sales meeting',
    phase: 'pre_purchase',
    trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'salesmeeting' },
    question: { en: 'How was the meeting with our salesperson?' },
    sendDelay: { amount: 1, unit: 'days' },
  } as const;

  it('is its name in the customer’s language, else the admin’s label', () => {
    const touchpoint = TouchpointDefinition.parse({ ...base, customerName: { da: 'salgsmødet' } });
    expect(customerNameFor(touchpoint, 'da')).toBe('salgsmødet');
    expect(customerNameFor(touchpoint, 'nb')).toBe('Sales meeting');
    expect(customerNameFor(TouchpointDefinition.parse(base), 'en')).toBe('Sales meeting');
  });

  it('refuses a customer name in a language we do not survey, or an empty or overlong one', () => {
    for (const customerName of [{ de: 'Verkaufsgespräch' }, { da: '  ' }, { en: 'x'.repeat(81) }]) {
      expect(TouchpointDefinition.safeParse({ ...base, customerName }).success, JSON.stringify(customerName)).toBe(false);
    }
  });
});
