import { z } from 'zod';

/** HubSpot's object type id for deals ("0-3"); contacts are "0-1", companies "0-2". */
export const dealObjectTypeId = '0-3';
export const maxEventsPerWebhook = 100;

const eventIdentity = {
  eventId: z.union([z.int().nonnegative(), z.string().regex(/^\d{1,30}$/)], { error: 'must be a number' }).transform(String),
  subscriptionId: z.int({ error: 'must be a whole number' }),
  portalId: z.int({ error: 'must be a whole number' }).positive({ error: 'must be positive' }),
  appId: z.int({ error: 'must be a whole number' }),
  occurredAt: z.int({ error: 'must be a time in milliseconds' }).positive({ error: 'must be a time in milliseconds' }),
  attemptNumber: z.int().nonnegative().optional(),
  objectId: z.union([z.int().positive(), z.string().regex(/^\d{1,30}$/)], { error: 'must be a record id' }).transform(String),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
};

/** A deal entering a stage: `object.propertyChange` on `dealstage`. */
export const DealStageChanged = z.looseObject({
  ...eventIdentity,
  subscriptionType: z.literal('object.propertyChange'),
  objectTypeId: z.literal(dealObjectTypeId, { error: 'must be 0-3 (deal): the app subscribes to deal stage changes only' }),
  propertyName: z.literal('dealstage'),
  propertyValue: z.string({ error: 'must be the stage id' }).min(1, { error: 'must be the stage id' }),
});

/**
 * Someone logged a call, email or meeting on the deal: HubSpot moves the
 * deal's "Last contacted" (`notes_last_contacted`, ms as text) and tells us.
 */
export const DealContacted = z.looseObject({
  ...eventIdentity,
  subscriptionType: z.literal('object.propertyChange'),
  objectTypeId: z.literal(dealObjectTypeId, { error: 'must be 0-3 (deal)' }),
  propertyName: z.literal('notes_last_contacted'),
  propertyValue: z.string().regex(/^\d{1,15}$/, { error: 'must be a time in milliseconds' }).optional(),
});
export type DealContacted = z.infer<typeof DealContacted>;

export const DealDeleted = z.looseObject({
  ...eventIdentity,
  subscriptionType: z.literal('object.deletion'),
  objectTypeId: z.literal(dealObjectTypeId, { error: 'must be 0-3 (deal): the app subscribes to deal deletions only' }),
});

/** GDPR deletion of a contact: everything we hold about the person goes. */
export const ContactPrivacyDeletion = z.looseObject({
  ...eventIdentity,
  subscriptionType: z.literal('contact.privacyDeletion'),
});

/** The two deal properties the app subscribes to, told apart by `propertyName`. */
const DealPropertyChanged = z.discriminatedUnion('propertyName', [DealStageChanged, DealContacted], {
  error: 'must be dealstage or notes_last_contacted: the app subscribes to no other property',
});

export const HubSpotWebhookEvent = z.discriminatedUnion('subscriptionType', [DealPropertyChanged, DealDeleted, ContactPrivacyDeletion], {
  error: 'subscriptionType must be object.propertyChange, object.deletion or contact.privacyDeletion',
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEvent>;
export type DealStageChanged = z.infer<typeof DealStageChanged>;

/** What HubSpot POSTs: a JSON array of 1–100 events. */
export const HubSpotWebhookBatch = z
  .array(HubSpotWebhookEvent, { error: 'must be a JSON array of webhook events' })
  .min(1, { error: 'must hold at least one event' })
  .max(maxEventsPerWebhook, { error: `must hold at most ${maxEventsPerWebhook} events` });

/**
 * Our own event on the events queue: a customer answered (or changed an
 * answer). The survey page puts it there so the page stays fast and the
 * owner task, reply mail and HubSpot write-back happen in the events λ.
 * Never accepted from the webhook: only HubSpot's kinds are.
 */
export const AnswerRecorded = z.object({
  subscriptionType: z.literal('touchpoints.answerRecorded'),
  eventId: z.string().min(1),
  portalId: z.int().positive(),
  occurredAt: z.int().positive(),
  dealId: z.string().regex(/^\d{1,30}$/),
  touchpointId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  contactId: z.string().regex(/^\d{1,30}$/),
});
export type AnswerRecorded = z.infer<typeof AnswerRecorded>;

/**
 * Our own event on the events queue: one page of a portal's deal stage history to read from
 * HubSpot (lambdas/journeys/stage-visits.ts). The install asks for the first page and each page
 * for the next, so a portal with years of deals is read a page per event, never in one long run.
 * Never accepted from the webhook.
 */
export const StageHistoryRequested = z.object({
  subscriptionType: z.literal('touchpoints.stageHistoryRequested'),
  eventId: z.string().min(1),
  portalId: z.int().positive(),
  /** When the install asked: the history is read from two years before it. */
  occurredAt: z.int().positive(),
  /** 0 for the first page: with `occurredAt`, each page's event id, so a page asked for twice is read once. */
  page: z.int().nonnegative(),
  /** HubSpot's paging cursor of this page; none for the first. */
  after: z.string().min(1).max(1000).optional(),
});
export type StageHistoryRequested = z.infer<typeof StageHistoryRequested>;

/** What the events queue carries: HubSpot's events and our own. */
export const QueuedEvent = z.union([HubSpotWebhookEvent, AnswerRecorded, StageHistoryRequested]);
export type QueuedEvent = z.infer<typeof QueuedEvent>;

/** The event an SQS message body carries, or none when it is not one (that record then fails on its own). */
export function queuedEventsIn(body: string): QueuedEvent[] {
  try {
    const parsed = QueuedEvent.safeParse(JSON.parse(body));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}
