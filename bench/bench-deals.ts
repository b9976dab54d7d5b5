import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import type { LocalStackInfo } from '../local/config.js';

/** HubSpot's default deal-to-contact association type. */
const dealToContact = 3;

/** `count` new deals in the demo pipeline, each with one new Danish contact, created through the sandbox's API. */
export async function createBenchDeals(
  { accessToken, sandboxUrl }: Pick<LocalStackInfo, 'accessToken' | 'sandboxUrl'>,
  count: number,
): Promise<{ dealId: string; contactId: string }[]> {
  const hubspot = new Client({ accessToken, basePath: sandboxUrl });
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
