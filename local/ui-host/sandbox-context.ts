import { z } from 'zod';
import type { HubSpotSandbox } from '../hubspot-sandbox/server.js';

/** The CRM objects the card is on (its hsmeta `objectTypes`), by the names the URLs use. */
export const recordTypes = {
  contact: { objectTypeId: '0-1', path: 'contacts', label: 'Contact', properties: ['firstname', 'lastname', 'email', 'phone'] },
  company: { objectTypeId: '0-2', path: 'companies', label: 'Company', properties: ['name', 'domain', 'city', 'country'] },
  deal: { objectTypeId: '0-3', path: 'deals', label: 'Deal', properties: ['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline'] },
} as const;
export type RecordType = keyof typeof recordTypes;

const Owners = z.object({ results: z.array(z.object({ userId: z.number(), email: z.string(), firstName: z.string(), lastName: z.string() })) });
const CrmObject = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) });
const Pipelines = z.object({ results: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(z.object({ id: z.string(), label: z.string() })) })) });

/** HubSpot's `UserContext`: who is looking. */
export interface ViewingUser {
  id: number;
  email: string;
  emails: string[];
  firstName: string;
  lastName: string;
  roles: string[];
  teams: { id: number; name: string; teammates: number[] }[];
  locale: string;
  language: string;
  permissions: 'integrations-management-write'[];
}

/** A record as its HubSpot page shows it: the name above, a few properties in the sidebar. */
export interface RecordSummary {
  name: string;
  properties: { label: string; value: string }[];
}

export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
}

/** What the host reads from the sandbox, through HubSpot's own API paths, as HubSpot's pages read it from the CRM. */
export class SandboxPortal {
  constructor(
    private readonly sandbox: HubSpotSandbox,
    readonly portalId: number,
  ) {}

  private async get(path: string): Promise<Response> {
    return fetch(`${this.sandbox.url}${path}`, { headers: { authorization: `Bearer ${this.sandbox.accessTokenFor(this.portalId)}` } });
  }

  private async json<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await this.get(path);
    if (!response.ok) throw new Error(`The sandbox answered ${response.status} to GET ${path}`);
    return schema.parse(await response.json());
  }

  /** The portal's first owner as the signed-in user: an admin of the demo portal. */
  async viewingUser(): Promise<ViewingUser> {
    const [owner] = (await this.json('/crm/v3/owners?limit=1', Owners)).results;
    if (!owner) throw new Error(`Portal ${this.portalId} has no owners to sign in as`);
    return {
      id: owner.userId,
      email: owner.email,
      emails: [owner.email],
      firstName: owner.firstName,
      lastName: owner.lastName,
      roles: ['super-admin'],
      teams: [],
      locale: 'en-US',
      language: 'en',
      permissions: ['integrations-management-write'],
    };
  }

  async record(type: RecordType, objectId: string): Promise<RecordSummary> {
    const { path, properties } = recordTypes[type];
    const response = await this.get(`/crm/v3/objects/${path}/${encodeURIComponent(objectId)}?properties=${properties.join(',')}`);
    if (response.status === 404) throw new RecordNotFoundError(`${recordTypes[type].label} ${objectId} does not exist in portal ${this.portalId}`);
    if (!response.ok) throw new Error(`The sandbox answered ${response.status} for ${type} ${objectId}`);
    const record = CrmObject.parse(await response.json());
    const value = (name: string) => record.properties[name] ?? '';
    switch (type) {
      case 'contact':
        return {
          name: `${value('firstname')} ${value('lastname')}`.trim() || value('email'),
          properties: [{ label: 'Email', value: value('email') }, { label: 'Phone number', value: value('phone') }].filter(({ value }) => value),
        };
      case 'company':
        return {
          name: value('name'),
          properties: [{ label: 'Company domain name', value: value('domain') }, { label: 'City', value: [value('city'), value('country')].filter(Boolean).join(', ') }].filter(({ value }) => value),
        };
      case 'deal': {
        const pipeline = (await this.json('/crm/v3/pipelines/deals', Pipelines)).results.find(({ id }) => id === value('pipeline'));
        const stage = pipeline?.stages.find(({ id }) => id === value('dealstage'));
        const amount = value('amount') ? `${Number(value('amount')).toLocaleString('en-US')} ${value('deal_currency_code')}`.trim() : '';
        return {
          name: value('dealname'),
          properties: [
            { label: 'Amount', value: amount },
            { label: 'Pipeline', value: pipeline?.label ?? value('pipeline') },
            { label: 'Deal stage', value: stage?.label ?? value('dealstage') },
          ].filter(({ value }) => value),
        };
      }
    }
  }
}
