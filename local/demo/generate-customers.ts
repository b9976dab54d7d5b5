import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { mulberry32 } from '../../lambdas/domain/analysis.js';
import type { TouchpointsStore } from '../../lambdas/store/store.js';
import { carSalesStages, demoOwnerIds } from './car-dealer.js';
import { demoComment } from './customer-comments.js';
import { dayMs, Score, TouchpointDefinition } from '@touchpoints/contracts';

/** The car dealer's journey, each touchpoint's typical score: the seed's slow offer is the weak one. */
const typicalScore: Record<string, number> = { 'test-drive': 8.4, 'sales-meeting': 7.6, offer: 4.2, contract: 7.9, delivery: 6.8 };
/** How much each touchpoint weighs in whether the customer would recommend the dealer: the offer most (the seed's finding). */
const weightInOverall: Record<string, number> = { 'test-drive': 0.1, 'sales-meeting': 0.15, offer: 0.45, contract: 0.05, delivery: 0.25 };

/**
 * For every four delivered customers, one more chose another dealer after the offer (seed 001's
 * lost sales): their offer is rated lower still, and they say why on the lost-deal touchpoint. So
 * the report's won and lost deals show what a red offer costs.
 */
const lostPerDelivered = 0.25;
const lostOfferScore = 3;
const whyLost = [
  'Vi fik et bedre tilbud et andet sted.',
  'Tilbuddet kom for sent, så vi købte bilen et andet sted.',
  'Prisen var for høj i forhold til de andre forhandlere.',
  'Ingen ringede tilbage efter prøveturen.',
  'En anden forhandler kunne levere bilen hurtigere.',
];

/** The closing question about the whole experience, asked two days after delivery. */
const recommend = TouchpointDefinition.parse({
  id: 'recommend',
  name: 'Would you recommend us?',
  phase: 'post_purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'cardelivered' },
  question: { en: 'How likely are you to recommend us to a friend?', da: 'Hvor sandsynligt er det, at du vil anbefale os til en ven?', nb: 'Hvor sannsynlig er det at du vil anbefale oss til en venn?' },
  sendDelay: { amount: 2, unit: 'days' },
  position: 99,
  measuresOverall: true,
});

const firstNames = ['Mads', 'Sofie', 'Lars', 'Ida', 'Rasmus', 'Freja', 'Henrik', 'Maja', 'Søren', 'Nanna', 'Thomas', 'Line'];
const lastNames = ['Nielsen', 'Hansen', 'Pedersen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Kristensen', 'Olsen'];
const cars = ['Skoda Octavia', 'VW ID.4', 'Kia Niro', 'Toyota Corolla', 'Volvo EX30', 'Ford Puma', 'Peugeot 2008', 'Hyundai Kona'];

/** What one run added: the sandbox's new records (delivered deals first, then lost ones) and the answers written for them. */
export interface GeneratedCustomers {
  contactIds: string[];
  dealIds: string[];
  /** Of `dealIds`, those closed lost. */
  lost: number;
  answers: number;
}

/** A customer's deal and its buyer, created in the sandbox through HubSpot's CRM API, as a salesperson's records would be; delivered, or lost. */
async function createCustomer(hubspot: Client, random: () => number, ownerId: string, dealstage: typeof carSalesStages.carDelivered | typeof carSalesStages.closedLost): Promise<{ contactId: string; dealId: string; amount: number }> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const [firstname, lastname] = [pick(firstNames), pick(lastNames)];
  const contact = await hubspot.crm.contacts.basicApi.create({
    properties: { firstname, lastname, email: `${firstname}.${lastname}.${Math.floor(random() * 1e9)}@customers.example`.toLowerCase(), hs_language: 'da' },
    associations: [],
  });
  const amount = 250_000 + Math.round(random() * 300) * 1_000;
  const deal = await hubspot.crm.deals.basicApi.create({
    properties: { dealname: `${pick(cars)} – ${firstname} ${lastname}`, pipeline: 'car-sales', dealstage, amount: String(amount), deal_currency_code: 'DKK', hubspot_owner_id: ownerId },
    associations: [{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: AssociationTypes.dealToContact }] }],
  });
  return { contactId: contact.id, dealId: deal.id, amount };
}

const scoreOf = (value: number) => Score.parse(Math.max(1, Math.min(10, Math.round(value))));

/**
 * More customers for the demo report: each a new contact and a delivered
 * deal in the sandbox (so their cards can be opened), who answered some of
 * the touchpoints (a fifth of the answers are missing), spread over the last
 * six months; and, for every four of them, one whose deal was lost after the
 * offer. The answers and the deals' outcomes are written through the store, as
 * the events λ writes them when a deal closes. Every run adds new customers;
 * `seed` varies their scores.
 */
export async function generateDemoCustomers(store: TouchpointsStore, hubspot: Client, portalId: number, customers: number, now: Date, seed = 2026): Promise<GeneratedCustomers> {
  const random = mulberry32(seed);
  const wording = mulberry32(seed + 1);
  const added: GeneratedCustomers = { contactIds: [], dealIds: [], lost: 0, answers: 0 };
  if (!(await store.getTouchpoint(portalId, recommend.id))) await store.saveTouchpoint(portalId, recommend, { expectedVersion: undefined, changedBy: 'demo-generator' });
  const answer = async (customer: { dealId: string; contactId: string; ownerId: string }, touchpointId: string, answeredAt: Date, score?: Score, comment: { comment?: string } = {}) => {
    await store.createInvitation(portalId, { ...customer, touchpointId, language: 'da', createdAt: answeredAt, sendAt: answeredAt, status: 'sent' });
    if (score === undefined) return;
    await store.saveResponse(portalId, { ...customer, touchpointId, score, ...comment, firstAnsweredAt: answeredAt, answeredAt });
    added.answers += 1;
  };
  for (let customer = 0; customer < customers; customer += 1) {
    const ownerId = demoOwnerIds[customer % demoOwnerIds.length]!;
    const { contactId, dealId, amount } = await createCustomer(hubspot, random, ownerId, carSalesStages.carDelivered);
    added.contactIds.push(contactId);
    added.dealIds.push(dealId);
    const start = now.getTime() - (10 + random() * 170) * dayMs;
    // How this customer feels overall moves every answer a little: answers of one customer go together.
    const mood = (random() - 0.5) * 1;
    let offset = 0;
    let overall = 0;
    // The scores the deal had when the car was delivered (the delivery's own touchpoint comes after).
    const scoresAtClose: Record<string, Score> = {};
    let closedAt = new Date(start);
    for (const [touchpointId, typical] of Object.entries(typicalScore)) {
      offset += (2 + random() * 6) * dayMs;
      const answeredAt = new Date(start + offset);
      if (touchpointId === 'delivery') closedAt = new Date(answeredAt.getTime() - dayMs);
      if (random() < 0.2) {
        await answer({ dealId, contactId, ownerId }, touchpointId, answeredAt);
        continue;
      }
      const score = scoreOf(typical + mood + (random() - 0.5) * 5);
      overall += weightInOverall[touchpointId]! * score;
      if (touchpointId !== 'delivery') scoresAtClose[touchpointId] = score;
      await answer({ dealId, contactId, ownerId }, touchpointId, answeredAt, score, demoComment(touchpointId, score, wording));
    }
    await store.saveDealOutcome(portalId, { dealId, outcome: 'won', closedAt, amount, ownerId, scores: scoresAtClose }, undefined);
    const answeredAt = new Date(start + offset + 2 * dayMs);
    await answer({ dealId, contactId, ownerId }, recommend.id, answeredAt, scoreOf(overall + 1.5 + (random() - 0.5) * 2));
  }
  // Their own random numbers: the delivered customers stay the same whether or not these are made.
  const lostRandom = mulberry32(seed + 2);
  const askedWhy = await store.getTouchpoint(portalId, 'lost-deal');
  for (let customer = 0; customer < Math.round(customers * lostPerDelivered); customer += 1) {
    const ownerId = demoOwnerIds[customer % demoOwnerIds.length]!;
    const { contactId, dealId, amount } = await createCustomer(hubspot, lostRandom, ownerId, carSalesStages.closedLost);
    added.contactIds.push(contactId);
    added.dealIds.push(dealId);
    added.lost += 1;
    let at = now.getTime() - (10 + lostRandom() * 170) * dayMs;
    const scores: Record<string, Score> = {};
    for (const touchpointId of ['test-drive', 'sales-meeting', 'offer']) {
      at += (2 + lostRandom() * 6) * dayMs;
      scores[touchpointId] = scoreOf((touchpointId === 'offer' ? lostOfferScore : typicalScore[touchpointId]!) + (lostRandom() - 0.5) * 4);
      await answer({ dealId, contactId, ownerId }, touchpointId, new Date(at), scores[touchpointId]);
    }
    const closedAt = new Date(at + (1 + lostRandom() * 5) * dayMs);
    await store.saveDealOutcome(portalId, { dealId, outcome: 'lost', closedAt, amount, ownerId, scores }, undefined);
    if (askedWhy && lostRandom() < 0.6) {
      await answer({ dealId, contactId, ownerId }, askedWhy.value.id, new Date(closedAt.getTime() + 2 * dayMs), scoreOf(2 + lostRandom() * 3), { comment: whyLost[Math.floor(lostRandom() * whyLost.length)]! });
    }
  }
  return added;
}
