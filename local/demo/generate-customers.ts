import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { mulberry32 } from '../../lambdas/domain/analysis.js';
import type { TouchpointsStore } from '../../lambdas/store/store.js';
import { demoComment } from './customer-comments.js';
import { dayMs, TouchpointDefinition } from '@touchpoints/contracts';

/** The car dealer's journey, each touchpoint's typical score: the seed's slow offer is the weak one. */
const typicalScore: Record<string, number> = { 'test-drive': 8.4, 'sales-meeting': 7.6, offer: 4.2, contract: 7.9, delivery: 6.8 };
/** How much each touchpoint weighs in whether the customer would recommend the dealer: the offer most (the seed's finding). */
const weightInOverall: Record<string, number> = { 'test-drive': 0.1, 'sales-meeting': 0.15, offer: 0.45, contract: 0.05, delivery: 0.25 };

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
const ownerIds = ['61001', '61002', '61003'];

/** What one run added: the sandbox's new records and the answers written for them. */
export interface GeneratedCustomers {
  contactIds: string[];
  dealIds: string[];
  answers: number;
}

/** A delivered car's deal and its buyer, created in the sandbox through HubSpot's CRM API, as a salesperson's records would be. */
async function createCustomer(hubspot: Client, random: () => number, ownerId: string): Promise<{ contactId: string; dealId: string }> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const [firstname, lastname] = [pick(firstNames), pick(lastNames)];
  const contact = await hubspot.crm.contacts.basicApi.create({
    properties: { firstname, lastname, email: `${firstname}.${lastname}.${Math.floor(random() * 1e9)}@customers.example`.toLowerCase(), hs_language: 'da' },
    associations: [],
  });
  const deal = await hubspot.crm.deals.basicApi.create({
    properties: { dealname: `${pick(cars)} – ${firstname} ${lastname}`, pipeline: 'car-sales', dealstage: 'cardelivered', amount: String(250_000 + Math.round(random() * 300) * 1_000), deal_currency_code: 'DKK', hubspot_owner_id: ownerId },
    associations: [{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: AssociationTypes.dealToContact }] }],
  });
  return { contactId: contact.id, dealId: deal.id };
}

/**
 * More customers for the demo report: each a new contact and a delivered
 * deal in the sandbox (so their cards can be opened), who answered some of
 * the touchpoints (a fifth of the answers are missing), spread over the last
 * six months. The answers are written through the store, as real answers are.
 * Every run adds new customers; `seed` varies their scores.
 */
export async function generateDemoCustomers(store: TouchpointsStore, hubspot: Client, portalId: number, customers: number, now: Date, seed = 2026): Promise<GeneratedCustomers> {
  const random = mulberry32(seed);
  const wording = mulberry32(seed + 1);
  const added: GeneratedCustomers = { contactIds: [], dealIds: [], answers: 0 };
  if (!(await store.getTouchpoint(portalId, recommend.id))) await store.saveTouchpoint(portalId, recommend, { expectedVersion: undefined, changedBy: 'demo-generator' });
  for (let customer = 0; customer < customers; customer += 1) {
    const ownerId = ownerIds[customer % ownerIds.length]!;
    const { contactId, dealId } = await createCustomer(hubspot, random, ownerId);
    added.contactIds.push(contactId);
    added.dealIds.push(dealId);
    const start = now.getTime() - (10 + random() * 170) * dayMs;
    // How this customer feels overall moves every answer a little: answers of one customer go together.
    const mood = (random() - 0.5) * 1;
    let offset = 0;
    let overall = 0;
    for (const [touchpointId, typical] of Object.entries(typicalScore)) {
      offset += (2 + random() * 6) * dayMs;
      const answeredAt = new Date(start + offset);
      const invitation = { dealId, touchpointId, contactId, language: 'da' as const, createdAt: answeredAt, sendAt: answeredAt, ownerId };
      if (random() < 0.2) {
        await store.createInvitation(portalId, { ...invitation, status: 'sent' });
        continue;
      }
      const score = Math.max(1, Math.min(10, Math.round(typical + mood + (random() - 0.5) * 5)));
      overall += weightInOverall[touchpointId]! * score;
      await store.createInvitation(portalId, { ...invitation, status: 'sent' });
      await store.saveResponse(portalId, { dealId, touchpointId, contactId, score, ...demoComment(touchpointId, score, wording), firstAnsweredAt: answeredAt, answeredAt });
      added.answers += 1;
    }
    const answeredAt = new Date(start + offset + 2 * dayMs);
    const score = Math.max(1, Math.min(10, Math.round(overall + 1.5 + (random() - 0.5) * 2)));
    await store.createInvitation(portalId, { dealId, touchpointId: recommend.id, contactId, language: 'da', createdAt: answeredAt, sendAt: answeredAt, status: 'sent', ownerId });
    await store.saveResponse(portalId, { dealId, touchpointId: recommend.id, contactId, score, firstAnsweredAt: answeredAt, answeredAt });
    added.answers += 1;
  }
  return added;
}
