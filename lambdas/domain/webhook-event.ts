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
  propertyName: z.literal('dealstage', { error: 'must be dealstage: the app subscribes to no other property' }),
  propertyValue: z.string({ error: 'must be the stage id' }).min(1, { error: 'must be the stage id' }),
});

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

export const HubSpotWebhookEvent = z.discriminatedUnion('subscriptionType', [DealStageChanged, DealDeleted, ContactPrivacyDeletion], {
  error: 'subscriptionType must be object.propertyChange, object.deletion or contact.privacyDeletion',
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEvent>;
export type DealStageChanged = z.infer<typeof DealStageChanged>;

/** What HubSpot POSTs: a JSON array of 1–100 events. */
export const HubSpotWebhookBatch = z
  .array(HubSpotWebhookEvent, { error: 'must be a JSON array of webhook events' })
  .min(1, { error: 'must hold at least one event' })
  .max(maxEventsPerWebhook, { error: `must hold at most ${maxEventsPerWebhook} events` });
