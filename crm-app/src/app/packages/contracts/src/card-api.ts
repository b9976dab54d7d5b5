import { z } from 'zod';
import { highestScore, lowestScore, TrafficLight } from './light.js';
import { Phase } from './touchpoint.js';

/**
 * What the card λ answers and the card shows: one schema, imported by both
 * (the λ validates what it sends, the card what it receives).
 */

export const cardObjectTypes = ['contact', 'company', 'deal'] as const;

/** What the card asks for; HubSpot adds the portal and user to the signed URL itself. */
export const CardRequest = z.object({
  objectType: z.enum(cardObjectTypes, { error: 'must be contact, company or deal' }),
  objectId: z.string({ error: 'must be a record id' }).regex(/^\d{1,30}$/, { error: 'must be a record id' }),
});
export type CardRequest = z.infer<typeof CardRequest>;

/**
 * Where one touchpoint stands for this record: `answered` (a light), `waiting`
 * (sent, no answer yet), `scheduled` (goes out later), `not_asked` (nobody on
 * this record was invited, or every invitation was skipped).
 */
export const TouchpointState = z.enum(['answered', 'waiting', 'scheduled', 'not_asked']);

export const CardTouchpoint = z.object({
  touchpointId: z.string(),
  name: z.string(),
  phase: Phase,
  state: TouchpointState,
  light: TrafficLight.nullable(),
  lastScore: z.int().min(lowestScore).max(highestScore).nullable(),
  meanScore: z.number().min(lowestScore).max(highestScore).nullable(),
  responses: z.int().nonnegative(),
  lastComment: z.string().nullable(),
  lastAnsweredAt: z.iso.datetime().nullable(),
  /** When the next survey of this touchpoint goes out, for `scheduled`. */
  nextSendAt: z.iso.datetime().nullable(),
});
export type CardTouchpoint = z.infer<typeof CardTouchpoint>;

export const MissedFollowUp = z.object({
  touchpointId: z.string(),
  touchpointName: z.string(),
  dealId: z.string(),
  /** What was promised, in words: "Deal reaches Offer sent within 2 days". */
  promise: z.string(),
  dueAt: z.iso.datetime(),
  daysOverdue: z.int().nonnegative(),
  ownerId: z.string().nullable(),
  /** The owner's name as HubSpot had it when the promise started. */
  ownerName: z.string().nullable(),
});
export type MissedFollowUp = z.infer<typeof MissedFollowUp>;

/**
 * A promise not (or not yet) missed: `pending` with the time left until it is due, `kept` in
 * time, or `kept_late` (kept after it was due, so it counts as missed in the report).
 */
export const CardFollowUp = z.object({
  touchpointId: z.string(),
  touchpointName: z.string(),
  dealId: z.string(),
  promise: z.string(),
  status: z.enum(['pending', 'kept', 'kept_late']),
  dueAt: z.iso.datetime(),
  /** Pending: whole minutes until it is due (0 once due, until the next due run records the miss). */
  minutesLeft: z.int().nonnegative().nullable(),
  keptAt: z.iso.datetime().nullable(),
  /** Kept late: by how many days, started days counted (1 for an hour late). */
  daysLate: z.int().nonnegative().nullable(),
});
export type CardFollowUp = z.infer<typeof CardFollowUp>;

/**
 * Why Touchpoints no longer mails a contact (their card only): the address bounced for good, or
 * they marked a mail of ours as spam. No surveys or reminders go to them.
 */
export const MailSuppressionNotice = z.object({
  reason: z.enum(['bounced', 'complained']),
  /** The address that bounced, or whose owner complained. */
  address: z.string(),
  since: z.iso.datetime(),
});
export type MailSuppressionNotice = z.infer<typeof MailSuppressionNotice>;

export const CardData = z.object({
  record: CardRequest,
  /** False when the portal has no touchpoints yet: the card points to the settings page. */
  configured: z.boolean(),
  touchpoints: z.array(CardTouchpoint),
  missedFollowUps: z.array(MissedFollowUp),
  /** The other promises on this record, pending first (soonest due), then kept and kept late (latest first). */
  pendingAndKeptFollowUps: z.array(CardFollowUp),
  /** "3 of 5 surveys answered": surveys sent to this record's people, and those answered. */
  responseRate: z.object({ answered: z.int().nonnegative(), sent: z.int().nonnegative() }),
  /** Set while the portal's sender domain is not verified in SES: its surveys and reminders wait. */
  surveysPaused: z.object({ senderDomain: z.string() }).nullable(),
  /** On a contact's card when the contact is no longer mailed; null otherwise. */
  mailSuppression: MailSuppressionNotice.nullable(),
});
export type CardData = z.infer<typeof CardData>;
