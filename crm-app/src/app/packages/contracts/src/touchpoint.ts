import { z } from 'zod';
import { dayMs, Duration, durationMs } from './duration.js';

/** A survey later than this is about something the customer no longer remembers. */
export const maxSendDelayDays = 90;
import { SurveyLanguage, surveyLanguages } from './language.js';

/** The four chronological phases of the customer journey (the seed's "påvirkende", "før-køb", "køb", "efter-køb"). */
export const phases = ['influence', 'pre_purchase', 'purchase', 'post_purchase'] as const;
export const Phase = z.enum(phases, { error: 'must be one of influence, pre_purchase, purchase, post_purchase' });
export type Phase = z.infer<typeof Phase>;

const hubSpotId = z
  .string({ error: 'must be a text id' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' });

export const TouchpointId = z
  .string({ error: 'must be a text id' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit' });
export type TouchpointId = z.infer<typeof TouchpointId>;

/** A deal entering one stage of one pipeline starts the touchpoint. */
export const DealStageTrigger = z.object({
  type: z.literal('deal_stage', { error: 'must be deal_stage' }),
  pipelineId: hubSpotId,
  stageId: hubSpotId,
});
export type DealStageTrigger = z.infer<typeof DealStageTrigger>;

const surveyQuestion = z
  .string({ error: 'must be text' })
  .trim()
  .min(5, { error: 'must be at least 5 characters' })
  .max(300, { error: 'must be at most 300 characters' });

/** The same question in each language the portal surveys in; at least one. */
export const SurveyQuestion = z
  .object({ en: surveyQuestion.optional(), da: surveyQuestion.optional(), nb: surveyQuestion.optional() })
  .strict()
  .refine((question) => surveyLanguages.some((language) => question[language] !== undefined), {
    error: 'needs a question in at least one of en, da, nb',
  });
export type SurveyQuestion = z.infer<typeof SurveyQuestion>;

/**
 * What the company promises after the touchpoint: the deal reaches a given
 * stage, or anyone logs a sales activity, within the given time.
 */
export const FollowUpPromise = z.discriminatedUnion(
  'expect',
  [
    z.object({ expect: z.literal('stage'), stageId: hubSpotId, within: Duration }),
    z.object({ expect: z.literal('engagement'), within: Duration }),
  ],
  { error: 'expect must be stage or engagement' },
);
export type FollowUpPromise = z.infer<typeof FollowUpPromise>;

const customerNameText = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(80, { error: 'must be at most 80 characters' });

/** What customers call the touchpoint in each language ("the sales meeting", "salgsmødet"); any may be missing. */
export const CustomerName = z
  .object({ en: customerNameText.optional(), da: customerNameText.optional(), nb: customerNameText.optional() }, { error: 'must name the touchpoint per language' })
  .strict();
export type CustomerName = z.infer<typeof CustomerName>;

export const TouchpointDefinition = z
  .object({
    id: TouchpointId,
    name: z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(80, { error: 'must be at most 80 characters' }),
    phase: Phase,
    trigger: DealStageTrigger,
    question: SurveyQuestion,
    sendDelay: Duration.refine((delay) => durationMs(delay) <= maxSendDelayDays * dayMs, {
      error: `must not be longer than ${maxSendDelayDays} days`,
      path: ['amount'],
    }),
    followUp: FollowUpPromise.nullable().default(null),
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    /** Where it sits in the journey among the touchpoints of its phase (the admin orders them). */
    position: z.int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).max(999, { error: 'must be at most 999' }).default(0),
    /**
     * Its question asks about the whole experience ("Would you recommend us?"):
     * the report explains this score by the other touchpoints' scores.
     */
    measuresOverall: z.boolean({ error: 'must be true or false' }).default(false),
    /** The touchpoint's name in the texts customers read (the reply mail); `name`, the admin's label, where a language has none. */
    customerName: CustomerName.default({}),
    /**
     * It asks customers who chose someone else (its stage is where lost deals go): the report
     * shows its answers apart, as lost deals, and leaves them out of the journey's ranking, the
     * impact regression and the customer count. The settings λ turns it on for a stage HubSpot
     * marks closed lost (probability 0); the admin may turn it on for another stage.
     */
    afterLostDeal: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict()
  .superRefine((touchpoint, context) => {
    const { followUp, trigger } = touchpoint;
    if (followUp?.within.amount === 0) {
      context.addIssue({ code: 'custom', path: ['followUp', 'within', 'amount'], message: 'must be at least 1' });
    }
    if (followUp?.expect === 'stage' && followUp.stageId === trigger.stageId) {
      context.addIssue({ code: 'custom', path: ['followUp', 'stageId'], message: 'must differ from the stage that triggers the touchpoint' });
    }
  });
export type TouchpointDefinition = z.infer<typeof TouchpointDefinition>;
export type TouchpointDefinitionInput = z.input<typeof TouchpointDefinition>;

/** Journey order: by phase, then the admin's position, then name. */
export function inJourneyOrder<Touchpoint extends Pick<TouchpointDefinition, 'phase' | 'position' | 'name'>>(touchpoints: readonly Touchpoint[]): Touchpoint[] {
  return [...touchpoints].sort(
    (a, b) => phases.indexOf(a.phase) - phases.indexOf(b.phase) || a.position - b.position || a.name.localeCompare(b.name),
  );
}

/** Languages the touchpoint's survey is written in, in the order we offer them. */
export function languagesCovered(touchpoint: TouchpointDefinition): SurveyLanguage[] {
  return surveyLanguages.filter((language) => touchpoint.question[language] !== undefined);
}

/** What the customer reads for the touchpoint in `language`: its name in that language, else the admin's `name`. */
export function customerNameFor(touchpoint: Pick<TouchpointDefinition, 'name' | 'customerName'>, language: SurveyLanguage): string {
  return touchpoint.customerName[language] ?? touchpoint.name;
}

/**
 * The question to ask in `language`; when the admin has not translated it,
 * the portal default, then any language written.
 */
export function surveyQuestionFor(
  touchpoint: TouchpointDefinition,
  language: SurveyLanguage,
  portalDefault: SurveyLanguage,
): { language: SurveyLanguage; text: string } {
  for (const candidate of [language, portalDefault, ...surveyLanguages]) {
    const text = touchpoint.question[candidate];
    if (text !== undefined) return { language: candidate, text };
  }
  throw new Error(`touchpoint ${touchpoint.id} has no survey question`); // the schema makes this unreachable
}
