import { SQSClient } from '@aws-sdk/client-sqs';
import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import type { startTestStack } from './local-stack.js';

type TestStack = Awaited<ReturnType<typeof startTestStack>>;
const portal = demoPortalId;

/** A buyer and their deal at the offer, made in the sandbox through HubSpot's CRM API as a salesperson would. */
export async function dealAtTheOffer(hubspot: Client, index: number, amount: number): Promise<{ dealId: string; contactId: string }> {
  const contact = await hubspot.crm.contacts.basicApi.create({
    properties: { firstname: `Buyer${index}`, lastname: 'Test', email: `buyer${index}@outcomes.example`, hs_language: 'da' },
    associations: [],
  });
  const deal = await hubspot.crm.deals.basicApi.create({
    properties: { dealname: `Car ${index}`, pipeline: 'car-sales', dealstage: 'offersent', amount: String(amount), hubspot_owner_id: '61001' },
    associations: [{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: AssociationTypes.dealToContact }] }],
  });
  return { dealId: deal.id, contactId: contact.id };
}

/** The customer's answer, saved as settling saves it (with its invitation, if the events λ made none). */
export async function answered(stack: TestStack, dealId: string, touchpointId: string, contactId: string, score: number, comment?: string): Promise<Date> {
  const answeredAt = new Date();
  if (!(await stack.store.getInvitation(portal, dealId, touchpointId, contactId))) {
    await stack.store.createInvitation(portal, { dealId, touchpointId, contactId, language: 'da', createdAt: answeredAt, status: 'sent', ownerId: '61001' });
  }
  await stack.store.saveResponse(portal, { dealId, touchpointId, contactId, score, ...(comment ? { comment } : {}), firstAnsweredAt: answeredAt, answeredAt });
  return answeredAt;
}

/** What settling announces once an answer is saved: the events λ's closed loop and deals at risk. */
export async function announceAnswer(stack: TestStack, dealId: string, touchpointId: string, contactId: string, answeredAt: Date): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await enqueueEvents(sqs, stack.queue.queueUrl, [
    { subscriptionType: 'touchpoints.answerRecorded', eventId: `answer-${dealId}-${touchpointId}-${contactId}-${answeredAt.getTime()}`, portalId: portal, occurredAt: answeredAt.getTime(), dealId, touchpointId, contactId },
  ]);
  await stack.settled();
}

/**
 * 24 deals at the offer, closed in HubSpot: 12 whose buyer rated the offer red (4 won, 8 lost)
 * and 12 rated green (9 won, 3 lost); amounts 300,000 + 1,000 × their number.
 */
export async function closeRatedDeals(stack: TestStack, hubspot: Client): Promise<{ dealId: string; contactId: string; score: number; closesAs: string }[]> {
  const plan = [
    ...Array.from({ length: 12 }, (_, index) => ({ score: 2, closesAs: index < 4 ? 'cardelivered' : 'closedlost' })),
    ...Array.from({ length: 12 }, (_, index) => ({ score: 9, closesAs: index < 9 ? 'cardelivered' : 'closedlost' })),
  ];
  const deals = [];
  for (const [index, step] of plan.entries()) {
    const deal = await dealAtTheOffer(hubspot, index, 300_000 + index * 1_000);
    await answered(stack, deal.dealId, 'offer', deal.contactId, step.score);
    deals.push({ ...deal, ...step });
  }
  for (const { dealId, closesAs } of deals) stack.sandbox.moveDeal(portal, dealId, closesAs);
  await stack.settled();
  return deals;
}
