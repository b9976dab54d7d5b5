import { z } from 'zod';
import { SurveyLanguage } from './language.js';
import { defaultLightThresholds, LightThresholds } from './light.js';

/** Who the survey emails come from; surveys wait until SES has verified the address's domain (DKIM). */
export const Sender = z
  .object({
    name: z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(80, { error: 'must be at most 80 characters' }),
    email: z.email({ error: 'must be an email address' }),
  }, { error: 'is required: a name and an email address' })
  .strict();
export type Sender = z.infer<typeof Sender>;

/** Survey fatigue: nobody is asked more than once per `days` across all touchpoints (0 = no cap). */
export const FatigueRule = z
  .object({
    atMostOneSurveyPerDays: z
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(365, { error: 'must be at most 365' }),
  })
  .strict();
export type FatigueRule = z.infer<typeof FatigueRule>;

/** Closing the loop on an unhappy answer: who hears about it, and whether the customer is told so. */
export const ClosedLoop = z
  .object({
    /** A yellow answer makes an owner task too (red always does). */
    taskOnYellow: z.boolean({ error: 'must be true or false' }),
    /** The deal owner also gets an email about a red answer. */
    emailOwnerOnRed: z.boolean({ error: 'must be true or false' }),
    /** The customer who answered red hears back: "thank you, {owner} will get back to you". */
    replyToUnhappyCustomer: z.boolean({ error: 'must be true or false' }),
    /** The owner's task for a red answer is completed when the customer changes it to green. */
    completeTaskWhenGreen: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();
export type ClosedLoop = z.infer<typeof ClosedLoop>;

export const PortalSettings = z
  .object({
    lightThresholds: LightThresholds.default(defaultLightThresholds),
    defaultLanguage: SurveyLanguage.default('en'),
    sender: Sender,
    fatigue: FatigueRule.default({ atMostOneSurveyPerDays: 30 }),
    /** Days after the survey email before one reminder goes out (0 = never remind). */
    reminderAfterDays: z
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(30, { error: 'must be at most 30' })
      .default(3),
    closedLoop: ClosedLoop.default({ taskOnYellow: false, emailOwnerOnRed: false, replyToUnhappyCustomer: true, completeTaskWhenGreen: false }),
    /**
     * A score link opens the survey page with that score chosen, and a tap sends it: for
     * organisations whose mail scanners click like people (the automatic rules miss them).
     */
    confirmScoreOnPage: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();
export type PortalSettings = z.infer<typeof PortalSettings>;
export type PortalSettingsInput = z.input<typeof PortalSettings>;
