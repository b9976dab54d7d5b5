import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import type { startTestStack } from '../test/support/local-stack.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** HubSpot's default deal-to-contact association type. */
const dealToContact = 3;

/** `count` new deals in the demo pipeline, each with one new Danish contact, created through the sandbox's API. */
export async function createBenchDeals(stack: Stack, count: number): Promise<{ dealId: string; contactId: string }[]> {
  const hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
  const deals: { dealId: string; contactId: string }[] = [];
  for (let index = 0; index < count; index += 1) {
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: `buyer${index}@example.com`, hs_language: 'da', firstname: `Køber ${index}` }, associations: [] });
    const deal = await hubspot.crm.deals.basicApi.create({
      properties: { dealname: `Bench deal ${index}`, pipeline: 'car-sales', dealstage: 'testdrive' },
      associations: [{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: dealToContact }] }],
    });
    deals.push({ dealId: deal.id, contactId: contact.id });
  }
  return deals;
}
