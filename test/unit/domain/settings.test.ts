import { describe, expect, it } from 'vitest';
import { describeIssues, InvalidInputError, parseOrThrow, PortalSettings, surveyLanguageOf } from '@touchpoints/contracts';

const sender = { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' };

function problemsOf(input: unknown): string[] {
  const result = PortalSettings.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
}

describe('PortalSettings', () => {
  it('fills the defaults a new portal starts with', () => {
    expect(PortalSettings.parse({ sender })).toEqual({
      lightThresholds: { redMax: 5, yellowMax: 7 },
      defaultLanguage: 'en',
      sender,
      fatigue: { atMostOneSurveyPerDays: 30 },
      reminderAfterDays: 3,
      closedLoop: { taskOnYellow: false, emailOwnerOnRed: false, replyToUnhappyCustomer: true, completeTaskWhenGreen: false },
      confirmScoreOnPage: false,
    });
  });

  it('reads settings stored before a setting existed with that setting’s default', () => {
    const stored = { sender, closedLoop: { taskOnYellow: true, emailOwnerOnRed: false, replyToUnhappyCustomer: true } };
    expect(PortalSettings.parse(stored)).toMatchObject({ closedLoop: { taskOnYellow: true, completeTaskWhenGreen: false }, confirmScoreOnPage: false });
  });

  it.each([
    [{ fatigue: { atMostOneSurveyPerDays: 0 }, reminderAfterDays: 0 }],
    [{ fatigue: { atMostOneSurveyPerDays: 365 }, reminderAfterDays: 30 }],
    [{ defaultLanguage: 'nb', lightThresholds: { redMax: 6, yellowMax: 8 } }],
  ])('accepts %o', (change) => {
    expect(problemsOf({ sender, ...change })).toEqual([]);
  });

  it.each([
    [{ sender: undefined }, 'sender: is required: a name and an email address'],
    [{ sender: { name: '', email: 'a@b.example' } }, 'sender.name: must not be empty'],
    [{ sender: { name: 'Bilhuset', email: 'not-an-address' } }, 'sender.email: must be an email address'],
    [{ defaultLanguage: 'sv' }, 'defaultLanguage: must be one of en, da, nb'],
    [{ fatigue: { atMostOneSurveyPerDays: -1 } }, 'fatigue.atMostOneSurveyPerDays: must not be negative'],
    [{ fatigue: { atMostOneSurveyPerDays: 366 } }, 'fatigue.atMostOneSurveyPerDays: must be at most 365'],
    [{ reminderAfterDays: 31 }, 'reminderAfterDays: must be at most 30'],
    [{ reminderAfterDays: 1.5 }, 'reminderAfterDays: must be a whole number'],
    [{ lightThresholds: { redMax: 7, yellowMax: 7 } }, 'lightThresholds.yellowMax: must be greater than redMax so yellow keeps a score'],
  ])('rejects %o naming the field', (change, message) => {
    expect(problemsOf({ sender, ...change })).toContain(message);
  });

  it('throws one error naming every bad field through parseOrThrow', () => {
    const attempt = () => parseOrThrow(PortalSettings, { sender, defaultLanguage: 'sv', reminderAfterDays: -2 }, 'portal settings');
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow('Invalid portal settings: defaultLanguage: must be one of en, da, nb; reminderAfterDays: must not be negative');
  });
});

describe('surveyLanguageOf', () => {
  it.each([
    ['da', 'da'],
    ['nb', 'nb'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['en-us', 'en'],
    ['DA', 'da'],
    ['de', 'nb'],
    ['', 'nb'],
    [undefined, 'nb'],
    [null, 'nb'],
  ] as const)('maps hs_language %s to %s when the portal default is nb', (hsLanguage, language) => {
    expect(surveyLanguageOf(hsLanguage, 'nb')).toBe(language);
  });
});
