import type { Client } from '@hubspot/api-client';
import type { DealContact, DealContext } from '../domain/deal.js';
import type { PipelineStages } from '@touchpoints/contracts';
import { chunks } from '../domain/chunks.js';
import { closedOutcomeOf, dealAmountOf } from '../domain/deal-outcomes.js';
import { hasHttpStatus, withBackoff, type BackoffOptions } from './backoff.js';

const dealProperties = ['dealname', 'dealstage', 'pipeline', 'hubspot_owner_id', 'amount'];
const contactProperties = ['email', 'hs_language', 'hs_email_optout', 'firstname', 'lastname'];
/** HubSpot's "Primary" deal-to-company association type. */
const primaryCompanyTypeId = 5;
const maxBatchInputs = 100;

const inputs = (ids: readonly string[]) => ids.map((id) => ({ id }));
const present = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? undefined : value);

/** The portal's deal pipelines with their stages, in HubSpot's display order. */
export async function readDealPipelines(client: Client, backoff?: BackoffOptions): Promise<PipelineStages[]> {
  const { results } = await withBackoff(() => client.crm.pipelines.pipelinesApi.getAll('deals'), backoff);
  return [...results]
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .map(({ id, label, stages }) => ({
      id,
      label,
      stages: [...stages]
        .sort((a, b) => a.displayOrder - b.displayOrder)
        .map((stage) => {
          const closedAs = closedOutcomeOf(stage.metadata);
          return { id: stage.id, label: stage.label, ...(closedAs ? { closedAs } : {}) };
        }),
    }));
}

/** Contacts as surveys need them (email, language, opt-out, first name), in batch calls of 100. */
export async function readContacts(client: Client, contactIds: readonly string[], backoff?: BackoffOptions): Promise<Map<string, DealContact>> {
  const pages = await Promise.all(
    chunks([...new Set(contactIds)], maxBatchInputs).map((ids) =>
      withBackoff(() => client.crm.contacts.batchApi.read({ inputs: inputs(ids), properties: contactProperties, propertiesWithHistory: [] }), backoff),
    ),
  );
  const contacts = new Map<string, DealContact>();
  for (const contact of pages.flatMap((page) => page.results)) {
    contacts.set(contact.id, {
      contactId: contact.id,
      email: present(contact.properties.email),
      hsLanguage: present(contact.properties.hs_language),
      optedOutOfEmail: contact.properties.hs_email_optout === 'true',
      firstName: present(contact.properties.firstname),
      lastName: present(contact.properties.lastname),
    });
  }
  return contacts;
}

/**
 * Reads deals with their contacts and primary company in one round of batch
 * calls: deals, deal→contact and deal→company associations, then contacts.
 * Deals HubSpot no longer has are left out of the result.
 */
export async function readDealContexts(client: Client, dealIds: readonly string[], backoff?: BackoffOptions): Promise<Map<string, DealContext>> {
  const unique = [...new Set(dealIds)];
  const contexts = new Map<string, DealContext>();
  if (unique.length === 0) return contexts;

  const [deals, contactLinks, companyLinks] = await Promise.all([
    Promise.all(
      chunks(unique, maxBatchInputs).map((ids) =>
        withBackoff(() => client.crm.deals.batchApi.read({ inputs: inputs(ids), properties: dealProperties, propertiesWithHistory: [] }), backoff),
      ),
    ),
    Promise.all(chunks(unique, maxBatchInputs).map((ids) => withBackoff(() => client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: inputs(ids) }), backoff))),
    Promise.all(chunks(unique, maxBatchInputs).map((ids) => withBackoff(() => client.crm.associations.v4.batchApi.getPage('deals', 'companies', { inputs: inputs(ids) }), backoff))),
  ]);

  const contactIdsOfDeal = new Map<string, string[]>();
  for (const link of contactLinks.flatMap((page) => page.results)) {
    contactIdsOfDeal.set(String(link._from.id), link.to.map(({ toObjectId }) => String(toObjectId)));
  }
  const companyOfDeal = new Map<string, string>();
  for (const link of companyLinks.flatMap((page) => page.results)) {
    const primary = link.to.find(({ associationTypes }) => associationTypes.some(({ typeId }) => typeId === primaryCompanyTypeId)) ?? link.to[0];
    if (primary) companyOfDeal.set(String(link._from.id), String(primary.toObjectId));
  }

  const contacts = await readContacts(client, [...new Set([...contactIdsOfDeal.values()].flat())], backoff);

  for (const deal of deals.flatMap((page) => page.results)) {
    const { dealstage, pipeline } = deal.properties;
    if (!dealstage || !pipeline) continue;
    contexts.set(deal.id, {
      dealId: deal.id,
      name: present(deal.properties.dealname),
      pipelineId: pipeline,
      stageId: dealstage,
      ownerId: present(deal.properties.hubspot_owner_id),
      amount: dealAmountOf(deal.properties.amount),
      // A contact deleted between the two reads is simply not there.
      contacts: (contactIdsOfDeal.get(deal.id) ?? []).flatMap((id) => contacts.get(id) ?? []),
      companyId: companyOfDeal.get(deal.id),
    });
  }
  return contexts;
}

export interface Owner {
  name: string;
  email: string | undefined;
}

/** Every owner of the portal (id and name), for pickers; HubSpot pages them by 100. */
export async function readOwners(client: Client, backoff?: BackoffOptions): Promise<{ id: string; name: string }[]> {
  const owners: { id: string; name: string }[] = [];
  let after: string | undefined;
  do {
    const page = await withBackoff(() => client.crm.owners.ownersApi.getPage(undefined, after, 100, false), backoff);
    owners.push(...page.results.map((owner) => ({ id: owner.id, name: [owner.firstName, owner.lastName].filter(Boolean).join(' ') || owner.email || `owner ${owner.id}` })));
    after = page.paging?.next?.after;
  } while (after);
  return owners;
}

/** A record owner's name and email, or undefined when HubSpot no longer has them. */
export async function readOwner(client: Client, ownerId: string, backoff?: BackoffOptions): Promise<Owner | undefined> {
  try {
    const owner = await withBackoff(() => client.crm.owners.ownersApi.getById(Number(ownerId)), backoff);
    return { name: [owner.firstName, owner.lastName].filter(Boolean).join(' ') || owner.email || `owner ${ownerId}`, email: owner.email || undefined };
  } catch (error) {
    if (hasHttpStatus(error, 404)) return undefined;
    throw error;
  }
}

/** When the deal was last contacted (a logged call, email or meeting), if ever. */
export async function readDealLastContacted(client: Client, dealId: string, backoff?: BackoffOptions): Promise<Date | undefined> {
  const deal = await withBackoff(() => client.crm.deals.basicApi.getById(dealId, ['notes_last_contacted']), backoff);
  const raw = deal.properties.notes_last_contacted;
  if (!raw) return undefined;
  const at = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
