import { Client, Signature } from '@hubspot/api-client';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { carDealerPortal, demoAccessToken, demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/model.js';
import { type HubSpotSandbox, startHubSpotSandbox, webhookSubscriptionIds } from '../../local/hubspot-sandbox/server.js';

/** A second portal, so isolation has something to be isolated from. */
const otherPortal: PortalSeed = {
  portalId: 99887766,
  owners: [{ id: '62001', userId: 72001, email: 'ola@other.example', firstName: 'Ola', lastName: 'Berg' }],
  dealPipelines: [{ id: 'default', label: 'Sales pipeline', stages: [{ id: 'appointmentscheduled', label: 'Appointment scheduled', probability: 0.2, isClosed: false }] }],
  deals: [{ id: '777', properties: { dealname: 'Someone else’s deal', dealstage: 'appointmentscheduled' } }],
};

/** A portal whose deal has a past: created in test drive 10 days before the seed, then the sales meeting, then the offer. */
const portalWithHistory: PortalSeed = {
  portalId: 99887755,
  owners: carDealerPortal.owners,
  dealPipelines: carDealerPortal.dealPipelines,
  deals: [
    {
      id: '901',
      properties: { dealname: 'A deal with a past', pipeline: 'car-sales', dealstage: 'offersent' },
      stageHistory: [
        { stageId: 'testdrive', daysBeforeSeed: 10 },
        { stageId: 'salesmeeting', daysBeforeSeed: 8 },
        { stageId: 'offersent', daysBeforeSeed: 3 },
      ],
    },
  ],
};

const clock = { offsetMs: 0 };
let sandbox: HubSpotSandbox;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startHubSpotSandbox({
    ...demoApp,
    portals: [carDealerPortal, otherPortal, portalWithHistory],
    webhookUrl: receiver.url,
    now: () => Date.now() + clock.offsetMs,
    webhookRetryDelaysMs: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    webhookBatchWindowMs: 5,
  });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

beforeEach(async () => {
  await sandbox.webhooks.idle(); // nothing a previous test set off may land in this one
  sandbox.reset();
  sandbox.webhookUrl = receiver.url;
  receiver.reset();
});

function crmClient(portalId = demoPortalId): Client {
  return new Client({ accessToken: sandbox.accessTokenFor(portalId), basePath: sandbox.url });
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: response.status === 204 ? undefined : await response.json() };
}

describe('CRM objects', () => {
  it('reads a deal by id with the properties asked for and HubSpot’s own', async () => {
    const deal = await crmClient().crm.deals.basicApi.getById('301', ['dealname', 'dealstage', 'amount']);

    expect(deal.id).toBe('301');
    expect(deal.properties).toMatchObject({ dealname: 'Skoda Octavia Combi – Anders Jensen', dealstage: 'testdrive', amount: '289000', hs_object_id: '301' });
    expect(deal.properties.createdate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(deal.properties.hs_lastmodifieddate).toBeDefined();
    expect(deal.createdAt).toBeInstanceOf(Date);
    expect(deal.archived).toBe(false);
  });

  it('returns null for a requested property that has no value', async () => {
    const contact = await crmClient().crm.contacts.basicApi.getById('108', ['email', 'firstname']);

    expect(contact.properties).toMatchObject({ firstname: 'Jonas', email: null, lastmodifieddate: expect.any(String) });
  });

  it('pages through deals with HubSpot’s after cursor', async () => {
    const deals = crmClient().crm.deals.basicApi;

    const first = await deals.getPage(4);
    const last = await deals.getPage(4, '8');

    expect(first.results.map((deal) => deal.id)).toEqual(['301', '302', '303', '304']);
    expect(first.paging?.next?.after).toBe('4');
    expect(last.results.map((deal) => deal.id)).toEqual(['309', '310']);
    expect(last.paging).toBeUndefined();
  });

  it('batch-reads contacts with the properties asked for', async () => {
    const batch = await crmClient().crm.contacts.batchApi.read({
      inputs: [{ id: '101' }, { id: '103' }],
      properties: ['email', 'hs_language'],
      propertiesWithHistory: [],
    });

    expect(batch.status).toBe('COMPLETE');
    expect(batch.results.map((contact) => [contact.id, contact.properties.email, contact.properties.hs_language])).toEqual([
      ['101', 'anders.jensen@example.dk', 'da'],
      ['103', 'ingrid.haugen@example.no', 'nb'],
    ]);
  });

  it('answers a batch read naming an unknown id with 207, the known records and an OBJECT_NOT_FOUND error', async () => {
    const batch = await crmClient().crm.companies.batchApi.read({ inputs: [{ id: '201' }, { id: '999999' }], properties: ['name'], propertiesWithHistory: [] });

    expect(batch.results.map((company) => company.properties.name)).toEqual(['Fjordvej Tømrer ApS']);
    expect('errors' in batch && batch.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } });
  });

  it('updates a company’s properties and its modified date', async () => {
    const client = crmClient();
    const before = await client.crm.companies.basicApi.getById('202', ['city']);
    clock.offsetMs = 1_000;
    try {
      await client.crm.companies.basicApi.update('202', { properties: { city: 'Randers' } });
    } finally {
      clock.offsetMs = 0;
    }

    const after = await client.crm.companies.basicApi.getById('202', ['city']);
    expect(after.properties.city).toBe('Randers');
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  it('refuses to write a property the portal does not have with 400 VALIDATION_ERROR', async () => {
    const update = crmClient().crm.contacts.basicApi.update('101', { properties: { favourite_colour: 'blue' } });

    await expect(update).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', message: expect.stringContaining('PROPERTY_DOESNT_EXIST') } });
  });

  it('answers a missing deal with 404 in HubSpot’s error shape', async () => {
    const read = crmClient().crm.deals.basicApi.getById('424242');

    await expect(read).rejects.toMatchObject({ code: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND', correlationId: expect.any(String) } });
  });

  it('records a deal’s stage change through PATCH with its entry date and history', async () => {
    const client = crmClient();
    await client.crm.deals.basicApi.update('303', { properties: { dealstage: 'contractsigned' } });

    const deal = await client.crm.deals.basicApi.getById('303', ['dealstage', 'hs_date_entered_contractsigned', 'hs_date_exited_offersent'], ['dealstage']);
    expect(deal.properties.dealstage).toBe('contractsigned');
    expect(deal.properties.hs_date_entered_contractsigned).toBe(deal.properties.hs_date_exited_offersent);
    expect(deal.propertiesWithHistory?.dealstage?.map((change) => [change.value, change.sourceType])).toEqual([
      ['contractsigned', 'INTEGRATION'],
      ['offersent', 'IMPORT'],
    ]);
  });

  it('lists deals with the history of their stage as HubSpot keeps it: each value with its time, newest first', async () => {
    const page = await crmClient(portalWithHistory.portalId).crm.deals.basicApi.getPage(50, undefined, ['dealstage', 'hs_date_entered_offersent'], ['dealstage']);

    expect(page.results.map(({ id }) => id)).toEqual(['901']);
    const history = page.results[0]!.propertiesWithHistory!.dealstage!;
    expect(history.map(({ value, sourceType }) => [value, sourceType])).toEqual([
      ['offersent', 'IMPORT'],
      ['salesmeeting', 'IMPORT'],
      ['testdrive', 'IMPORT'],
    ]);
    const [offer, meeting, testDrive] = history.map(({ timestamp }) => new Date(timestamp).getTime());
    expect([testDrive! - meeting!, meeting! - offer!].map((ms) => ms / 86_400_000)).toEqual([-2, -5]);
    expect(page.results[0]!.properties.hs_date_entered_offersent).toBe(new Date(offer!).toISOString());
  });

  it('refuses more than 50 deals a page when their history is asked for, as HubSpot does, and lists 100 without it', async () => {
    const deals = crmClient(portalWithHistory.portalId).crm.deals.basicApi;

    await expect(deals.getPage(51, undefined, ['dealstage'], ['dealstage'])).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    expect((await deals.getPage(100, undefined, ['dealstage'])).results).toHaveLength(1);
  });

  it('refuses a stage outside the deal’s pipeline with 400 and leaves the deal as it was', async () => {
    const client = crmClient();
    const update = client.crm.deals.basicApi.update('301', { properties: { dealstage: 'appointmentscheduled' } });

    await expect(update).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    expect((await client.crm.deals.basicApi.getById('301', ['dealstage'])).properties.dealstage).toBe('testdrive');
  });

  it('archives a deleted deal and sends an object.deletion webhook', async () => {
    const client = crmClient();
    await client.crm.deals.basicApi.archive('308');
    await sandbox.webhooks.idle();

    await expect(client.crm.deals.basicApi.getById('308')).rejects.toMatchObject({ code: 404 });
    expect(JSON.parse(receiver.requests[0]?.body ?? '[]')).toEqual([expect.objectContaining({
      subscriptionType: 'object.deletion', objectId: 308, objectTypeId: '0-3', changeFlag: 'DELETED', portalId: demoPortalId,
    })]);
  });
});

describe('associations v4', () => {
  it('lists a deal’s contacts with HubSpot’s default deal-to-contact type', async () => {
    const page = await crmClient().crm.associations.v4.basicApi.getPage('deals', '302', 'contacts');

    expect(page.results.map((association) => String(association.toObjectId))).toEqual(['102', '104']);
    expect(page.results[0]?.associationTypes).toEqual([{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }]);
  });

  it('reports a deal’s company as its primary company', async () => {
    const page = await crmClient().crm.associations.v4.basicApi.getPage('deals', '302', 'companies');

    expect(page.results[0]?.associationTypes.map((type) => [type.typeId, type.label])).toEqual([[5, 'Primary'], [341, null]]);
  });

  it('reads associations in both directions', async () => {
    const page = await crmClient().crm.associations.v4.basicApi.getPage('contacts', '104', 'deals');

    expect(page.results).toEqual([{ toObjectId: 302, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }] }]);
  });

  it('batch-reads deals’ contacts and reports a deal without contacts as an error of the batch', async () => {
    const batch = await crmClient().crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: '301' }, { id: '309' }] });

    expect(batch.results.map((result) => [result._from.id, result.to.map((to) => String(to.toObjectId))])).toEqual([['301', ['101']]]);
    expect('errors' in batch && batch.errors?.map((error) => error.context)).toEqual([{ fromObjectId: ['309'] }]);
  });
});

describe('pipelines and owners', () => {
  it('lists the car-sales pipeline with its six stages in order', async () => {
    const { results } = await crmClient().crm.pipelines.pipelinesApi.getAll('deals');

    expect(results.map((pipeline) => [pipeline.id, pipeline.label])).toEqual([['car-sales', 'Car sales']]);
    expect(results[0]?.stages.map((stage) => stage.id)).toEqual(['testdrive', 'salesmeeting', 'offersent', 'contractsigned', 'cardelivered', 'closedlost']);
  });

  it('marks car delivered as closed won in the stage metadata', async () => {
    const pipeline = await crmClient().crm.pipelines.pipelinesApi.getById('deals', 'car-sales');

    expect(pipeline.stages.find((stage) => stage.id === 'cardelivered')).toMatchObject({ label: 'Car delivered', metadata: { isClosed: 'true', probability: '1.0' } });
  });

  it('reads a pipeline’s stages on their own', async () => {
    const { results } = await crmClient().crm.pipelines.pipelineStagesApi.getAll('deals', 'car-sales');

    expect(results.map((stage) => stage.label)).toEqual(['Test drive', 'Sales meeting', 'Offer sent', 'Contract signed', 'Car delivered', 'Closed lost']);
  });

  it('lists the owners and reads one by id', async () => {
    const client = crmClient();
    const { results } = await client.crm.owners.ownersApi.getPage();
    const mette = await client.crm.owners.ownersApi.getById(61001);

    expect(results.map((owner) => owner.email)).toEqual(['mette.kjaer@bilhuset.example', 'jesper.holm@bilhuset.example', 'sofie.lund@bilhuset.example']);
    expect(mette).toMatchObject({ id: '61001', firstName: 'Mette', lastName: 'Kjær', userId: 71001, type: 'PERSON' });
  });
});

describe('properties', () => {
  it('creates a property group and a property in it, both readable back', async () => {
    const client = crmClient();
    await client.crm.properties.groupsApi.create('contacts', { name: 'touchpoints', label: 'Touchpoints' });
    await client.crm.properties.coreApi.create('contacts', {
      name: 'touchpoints_last_score', label: 'Last touchpoint score', type: 'number' as never, fieldType: 'number' as never, groupName: 'touchpoints',
    });

    const property = await client.crm.properties.coreApi.getByName('contacts', 'touchpoints_last_score');
    const groups = await client.crm.properties.groupsApi.getAll('contacts');
    expect(property).toMatchObject({ name: 'touchpoints_last_score', type: 'number', groupName: 'touchpoints' });
    expect(groups.results.map((group) => group.name)).toContain('touchpoints');
    await client.crm.contacts.basicApi.update('101', { properties: { touchpoints_last_score: '9' } });
  });

  it('answers a property whose name is taken with 409', async () => {
    const create = crmClient().crm.properties.coreApi.create('contacts', {
      name: 'email', label: 'Email again', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation',
    });

    await expect(create).rejects.toMatchObject({ code: 409, body: { category: 'OBJECT_ALREADY_EXISTS' } });
  });
});

describe('tasks', () => {
  it('stores a task created with associations to a deal and a contact, readable from both ends', async () => {
    const client = crmClient();
    const task = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_task_subject: 'Call Anders about his test drive', hs_timestamp: '2026-11-26T09:00:00.000Z', hs_task_status: 'NOT_STARTED', hubspot_owner_id: '61001' },
      associations: [
        { to: { id: '301' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 216 }] },
        { to: { id: '101' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] },
      ],
    });

    const stored = await client.crm.objects.tasks.basicApi.getById(task.id, ['hs_task_subject', 'hubspot_owner_id']);
    const toDeal = await client.crm.associations.v4.basicApi.getPage('tasks', task.id, 'deals');
    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', '101', 'tasks');
    expect(stored.properties).toMatchObject({ hs_task_subject: 'Call Anders about his test drive', hubspot_owner_id: '61001' });
    expect(toDeal.results).toEqual([{ toObjectId: 301, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 216, label: null }] }]);
    expect(fromContact.results.map((association) => String(association.toObjectId))).toEqual([task.id]);
  });

  it('refuses a task without hs_timestamp, as HubSpot does', async () => {
    const create = crmClient().crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'No due date' } });

    await expect(create).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });
});

describe('notes', () => {
  it('reads a note created with associations back from the contact’s and the deal’s associations', async () => {
    const client = crmClient();
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_note_body: 'Touchpoint survey answered: 9/10 after the test drive', hs_timestamp: '2026-11-26T09:00:00.000Z' },
      associations: [
        { to: { id: '101' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 202 }] },
        { to: { id: '301' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 214 }] },
      ],
    });

    const stored = await client.crm.objects.notes.basicApi.getById(note.id, ['hs_note_body', 'hs_timestamp']);
    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', '101', 'notes');
    const fromDeal = await client.crm.associations.v4.basicApi.getPage('deals', '301', 'notes');
    expect(stored.properties).toMatchObject({ hs_note_body: 'Touchpoint survey answered: 9/10 after the test drive', hs_timestamp: '2026-11-26T09:00:00.000Z' });
    expect(fromContact.results).toEqual([{ toObjectId: Number(note.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }] }]);
    expect(fromDeal.results).toEqual([{ toObjectId: Number(note.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 213, label: null }] }]);
  });

  it('lists notes like any other object', async () => {
    const notes = crmClient().crm.objects.notes.basicApi;
    await notes.create({ properties: { hs_note_body: 'First', hs_timestamp: '2026-11-26T09:00:00.000Z' }, associations: [] });
    await notes.create({ properties: { hs_note_body: 'Second', hs_timestamp: '2026-11-26T10:00:00.000Z' }, associations: [] });

    const page = await notes.getPage(10, undefined, ['hs_note_body']);

    expect(page.results.map((note) => note.properties.hs_note_body)).toEqual(['First', 'Second']);
  });

  it('refuses a note without hs_timestamp, as HubSpot does', async () => {
    const create = crmClient().crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'When?' }, associations: [] });

    await expect(create).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', errors: [{ code: 'REQUIRED_FIELD', context: { propertyName: ['hs_timestamp'] } }] } });
  });
});

describe('tasks of a deal', () => {
  async function createTaskFor(dealId: string, subject: string) {
    return crmClient().crm.objects.tasks.basicApi.create({
      properties: { hs_task_subject: subject, hs_task_body: 'Ask how the car is', hs_timestamp: '2026-11-27T09:00:00.000Z', hubspot_owner_id: '61003' },
      associations: [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 216 }] }],
    });
  }

  it('lists a deal’s tasks through its associations, exactly one when one was created', async () => {
    const task = await createTaskFor('303', 'Follow up on the RAV4 offer');
    await createTaskFor('306', 'Someone else’s task');

    const page = await crmClient().crm.associations.v4.basicApi.getPage('deals', '303', 'tasks');

    expect(page.results).toEqual([{ toObjectId: Number(task.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 215, label: null }] }]);
  });

  it('lists tasks with the subject, body and owner asked for', async () => {
    const task = await createTaskFor('303', 'Follow up on the RAV4 offer');

    const page = await crmClient().crm.objects.tasks.basicApi.getPage(10, undefined, ['hs_task_subject', 'hs_task_body', 'hubspot_owner_id']);

    expect(page.results).toEqual([expect.objectContaining({
      id: task.id,
      properties: expect.objectContaining({ hs_task_subject: 'Follow up on the RAV4 offer', hs_task_body: 'Ask how the car is', hubspot_owner_id: '61003' }),
    })]);
  });
});

describe('batch update', () => {
  it('changes both contacts of a batch update and answers with both', async () => {
    const client = crmClient();

    const batch = await client.crm.contacts.batchApi.update({
      inputs: [{ id: '101', properties: { phone: '+45 20 30 40 50' } }, { id: '103', properties: { lastname: 'Haugen-Berg' } }],
    });

    const read = await client.crm.contacts.batchApi.read({ inputs: [{ id: '101' }, { id: '103' }], properties: ['phone', 'lastname'], propertiesWithHistory: [] });
    expect(batch).toMatchObject({ status: 'COMPLETE', startedAt: expect.any(Date), completedAt: expect.any(Date) });
    expect(batch.results.map((contact) => [contact.id, contact.properties.phone ?? contact.properties.lastname])).toEqual([['101', '+45 20 30 40 50'], ['103', 'Haugen-Berg']]);
    expect(read.results.map((contact) => [contact.properties.phone, contact.properties.lastname])).toEqual([['+45 20 30 40 50', 'Jensen'], [null, 'Haugen-Berg']]);
  });

  it('refuses a whole batch update naming an unknown property with HubSpot’s error, changing nothing', async () => {
    const contacts = crmClient().crm.contacts;

    const update = contacts.batchApi.update({
      inputs: [{ id: '101', properties: { phone: '+45 20 30 40 50' } }, { id: '103', properties: { favourite_colour: 'blue' } }],
    });

    await expect(update).rejects.toMatchObject({
      code: 400,
      body: {
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: expect.stringContaining('PROPERTY_DOESNT_EXIST'),
        errors: [{ message: 'Property "favourite_colour" does not exist', code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['favourite_colour'] } }],
      },
    });
    expect((await contacts.basicApi.getById('101', ['phone'])).properties.phone).toBeNull();
  });

  it('answers a batch update naming an unknown id with 207, the updated records and an OBJECT_NOT_FOUND error', async () => {
    const batch = await crmClient().crm.companies.batchApi.update({ inputs: [{ id: '202', properties: { city: 'Randers' } }, { id: '999999', properties: { city: 'Nowhere' } }] });

    expect(batch.results.map((company) => [company.id, company.properties.city])).toEqual([['202', 'Randers']]);
    expect('errors' in batch && batch.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } });
  });

  it('refuses a batch update naming the same id twice', async () => {
    const update = crmClient().crm.contacts.batchApi.update({ inputs: [{ id: '101', properties: { phone: '1' } }, { id: '101', properties: { phone: '2' } }] });

    await expect(update).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', message: 'Duplicate IDs found in batch input: [101]. IDs must be unique', context: { ids: ['101'] } } });
  });

  it('records a batch dealstage update in the deals’ history and sends the dealstage webhooks', async () => {
    const deals = crmClient().crm.deals;

    await deals.batchApi.update({ inputs: [{ id: '301', properties: { dealstage: 'salesmeeting' } }, { id: '303', properties: { dealstage: 'contractsigned' } }] });
    await sandbox.webhooks.idle();

    const read = await deals.batchApi.read({ inputs: [{ id: '301' }, { id: '303' }], properties: ['hs_date_entered_salesmeeting', 'hs_date_entered_contractsigned'], propertiesWithHistory: ['dealstage'] });
    expect(read.results.map((deal) => deal.propertiesWithHistory?.dealstage?.map((change) => [change.value, change.sourceType]))).toEqual([
      [['salesmeeting', 'INTEGRATION'], ['testdrive', 'IMPORT']],
      [['contractsigned', 'INTEGRATION'], ['offersent', 'IMPORT']],
    ]);
    expect(read.results.map((deal) => deal.properties.hs_date_entered_salesmeeting ?? deal.properties.hs_date_entered_contractsigned)).toEqual([expect.any(String), expect.any(String)]);
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]?.body ?? '[]')).toEqual([
      expect.objectContaining({ subscriptionId: webhookSubscriptionIds.dealStageChange, objectId: 301, propertyName: 'dealstage', propertyValue: 'salesmeeting', changeSource: 'INTEGRATION', sourceId: String(demoApp.appId) }),
      expect.objectContaining({ subscriptionId: webhookSubscriptionIds.dealStageChange, objectId: 303, propertyName: 'dealstage', propertyValue: 'contractsigned', changeSource: 'INTEGRATION', sourceId: String(demoApp.appId) }),
    ]);
  });

  it('refuses a whole batch when one deal’s stage is outside its pipeline, and sends nothing', async () => {
    const deals = crmClient().crm.deals;

    const update = deals.batchApi.update({ inputs: [{ id: '301', properties: { dealstage: 'salesmeeting' } }, { id: '303', properties: { dealstage: 'teleported' } }] });

    await expect(update).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    await sandbox.webhooks.idle();
    expect((await deals.basicApi.getById('301', ['dealstage'])).properties.dealstage).toBe('testdrive');
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('sales activity', () => {
  const callAt = Date.parse('2026-11-20T10:30:00.000Z');
  const rollUps = ['notes_last_contacted', 'notes_last_updated', 'num_contacted_notes'];

  it('sets notes_last_contacted on the deal and its contacts when a call is logged, and delivers a signed notes_last_contacted webhook', async () => {
    const client = crmClient();

    sandbox.logSalesActivity(demoPortalId, '302', 'CALL', callAt);
    await sandbox.webhooks.idle();

    const deal = await client.crm.deals.basicApi.getById('302', rollUps);
    const contacts = await client.crm.contacts.batchApi.read({ inputs: [{ id: '102' }, { id: '104' }], properties: rollUps, propertiesWithHistory: [] });
    const expected = { notes_last_contacted: '2026-11-20T10:30:00.000Z', notes_last_updated: '2026-11-20T10:30:00.000Z', num_contacted_notes: '1' };
    expect(deal.properties).toMatchObject(expected);
    expect(contacts.results.map((contact) => contact.properties)).toEqual([expect.objectContaining(expected), expect.objectContaining(expected)]);
    const [request] = receiver.requests;
    expect(JSON.parse(request?.body ?? '[]')).toEqual([{
      eventId: expect.any(Number),
      subscriptionId: webhookSubscriptionIds.dealLastContactedChange,
      portalId: demoPortalId,
      appId: demoApp.appId,
      occurredAt: expect.any(Number),
      subscriptionType: 'object.propertyChange',
      attemptNumber: 0,
      objectId: 302,
      objectTypeId: '0-3',
      propertyName: 'notes_last_contacted',
      propertyValue: String(callAt),
      changeSource: 'CRM_UI',
      sourceId: 'userId:71002',
      isSensitive: false,
    }]);
    expect(signatureVerifies(request)).toBe(true);
  });

  it('logs a meeting through the admin surface and counts each contact made', async () => {
    sandbox.logSalesActivity(demoPortalId, '301', 'EMAIL', callAt);

    const { status, json } = await admin('POST', `/_sandbox/portals/${demoPortalId}/deals/301/log-activity`, { type: 'MEETING', at: callAt + 60_000 });

    expect(status).toBe(200);
    expect(json).toMatchObject({ dealId: '301', type: 'MEETING', contactIds: ['101'], lastContacted: '2026-11-20T10:31:00.000Z', timesContacted: 2 });
    expect((await crmClient().crm.contacts.basicApi.getById('101', rollUps)).properties).toMatchObject({ notes_last_contacted: '2026-11-20T10:31:00.000Z', num_contacted_notes: '2' });
  });

  it('leaves Last contacted where it is when an older activity is logged, and sends no webhook for it', async () => {
    sandbox.logSalesActivity(demoPortalId, '301', 'CALL', callAt);
    await sandbox.webhooks.idle();
    receiver.reset();

    const log = sandbox.logSalesActivity(demoPortalId, '301', 'CALL', callAt - 86_400_000);
    await sandbox.webhooks.idle();

    expect(log).toMatchObject({ lastContacted: '2026-11-20T10:30:00.000Z', timesContacted: 2 });
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses an unknown activity type or deal on the admin surface', async () => {
    const note = await admin('POST', `/_sandbox/portals/${demoPortalId}/deals/301/log-activity`, { type: 'NOTE' });
    const missing = await admin('POST', `/_sandbox/portals/${demoPortalId}/deals/424242/log-activity`, { type: 'CALL' });

    expect([note.status, note.json.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect([missing.status, missing.json.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
  });

  it('refuses to write notes_last_contacted through the API, as HubSpot keeps it read-only', async () => {
    const update = crmClient().crm.deals.basicApi.update('301', { properties: { notes_last_contacted: String(callAt) } });

    await expect(update).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR', errors: [{ code: 'READ_ONLY_VALUE' }] } });
  });

  it('sends no notes_last_contacted webhook when webhookDealProperties leaves it out', async () => {
    const own = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal], webhookUrl: receiver.url, webhookBatchWindowMs: 1, webhookDealProperties: ['dealstage'] });
    try {
      own.logSalesActivity(demoPortalId, '301', 'CALL');
      own.moveDeal(demoPortalId, '301', 'salesmeeting');
      await own.webhooks.idle();
    } finally {
      await own.close();
    }

    expect(receiver.requests.flatMap((request) => JSON.parse(request.body).map((event: { propertyName: string }) => event.propertyName))).toEqual(['dealstage']);
  });
});

describe('OAuth', () => {
  const redirectUri = 'https://touchpoints.example/oauth/callback';

  it('exchanges an install code, then a refresh token, for access tokens that call the CRM', async () => {
    const { json } = await admin('POST', `/_sandbox/portals/${demoPortalId}/install-code`, { redirectUri });
    const oauth = new Client({ basePath: sandbox.url }).oauth;

    const installed = await oauth.tokensApi.create('authorization_code', json.code, redirectUri, demoApp.clientId, demoApp.clientSecret);
    const refreshed = await oauth.tokensApi.create('refresh_token', undefined, undefined, demoApp.clientId, demoApp.clientSecret, installed.refreshToken);

    expect(installed).toMatchObject({ tokenType: 'bearer', expiresIn: 1800, refreshToken: expect.stringMatching(/^na1-/) });
    expect(refreshed.accessToken).not.toBe(installed.accessToken);
    const deal = await new Client({ accessToken: refreshed.accessToken, basePath: sandbox.url }).crm.deals.basicApi.getById('301');
    expect(deal.properties.dealname).toBe('Skoda Octavia Combi – Anders Jensen');
  });

  it('tells which portal, app and user an access token belongs to', async () => {
    const token = sandbox.accessTokenFor(demoPortalId);

    const info = await new Client({ basePath: sandbox.url }).oauth.accessTokensApi.get(token);

    expect(info).toMatchObject({ hubId: demoPortalId, appId: demoApp.appId, user: 'mette.kjaer@bilhuset.example', tokenType: 'access' });
    expect(info.scopes).toContain('crm.objects.deals.read');
  });

  it('redeems an install code only once', async () => {
    const code = sandbox.installCodeFor(demoPortalId, redirectUri);
    const oauth = new Client({ basePath: sandbox.url }).oauth;
    await oauth.tokensApi.create('authorization_code', code, redirectUri, demoApp.clientId, demoApp.clientSecret);

    const again = oauth.tokensApi.create('authorization_code', code, redirectUri, demoApp.clientId, demoApp.clientSecret);

    await expect(again).rejects.toMatchObject({ code: 400, body: { status: 'BAD_AUTH_CODE' } });
  });

  it('refuses an unknown token with 401 INVALID_AUTHENTICATION', async () => {
    const read = new Client({ accessToken: 'not-a-token', basePath: sandbox.url }).crm.deals.basicApi.getById('301');

    await expect(read).rejects.toMatchObject({ code: 401, body: { status: 'error', category: 'INVALID_AUTHENTICATION' } });
  });

  it('refuses an access token older than 30 minutes with 401 EXPIRED_AUTHENTICATION', async () => {
    const client = crmClient();
    clock.offsetMs = 31 * 60_000;
    try {
      await expect(client.crm.deals.basicApi.getById('301')).rejects.toMatchObject({ code: 401, body: { category: 'EXPIRED_AUTHENTICATION' } });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('accepts the demo portal’s long-lived local token', async () => {
    const deal = await new Client({ accessToken: demoAccessToken, basePath: sandbox.url }).crm.deals.basicApi.getById('305');

    expect(deal.properties.dealstage).toBe('cardelivered');
  });
});

describe('portal isolation', () => {
  it('does not let a token for one portal read another portal’s deal', async () => {
    const own = await crmClient(otherPortal.portalId).crm.deals.basicApi.getById('777');
    const foreign = crmClient(demoPortalId).crm.deals.basicApi.getById('777');

    expect(own.properties.dealname).toBe('Someone else’s deal');
    await expect(foreign).rejects.toMatchObject({ code: 404 });
  });
});

describe('webhooks', () => {
  it('delivers a moved demo deal as a webhook batch whose v3 signature verifies', async () => {
    sandbox.moveDeal(demoPortalId, '301', 'salesmeeting');
    await sandbox.webhooks.idle();

    const [request] = receiver.requests;
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json', 'x-hubspot-signature-version': 'v3' });
    expect(Signature.isValid({
      signatureVersion: 'v3',
      signature: String(request?.headers['x-hubspot-signature-v3']),
      clientSecret: demoApp.clientSecret,
      requestBody: request?.body ?? '',
      url: `${receiver.origin}${request?.url}`,
      method: 'POST',
      timestamp: Number(request?.headers['x-hubspot-request-timestamp']),
    })).toBe(true);
  });

  it('sends the documented fields of a dealstage property change', async () => {
    sandbox.moveDeal(demoPortalId, '301', 'salesmeeting');
    await sandbox.webhooks.idle();

    const events = JSON.parse(receiver.requests[0]?.body ?? '[]');
    expect(events).toEqual([{
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      portalId: demoPortalId,
      appId: demoApp.appId,
      occurredAt: expect.any(Number),
      subscriptionType: 'object.propertyChange',
      attemptNumber: 0,
      objectId: 301,
      objectTypeId: '0-3',
      propertyName: 'dealstage',
      propertyValue: 'salesmeeting',
      changeSource: 'CRM_UI',
      sourceId: 'userId:71001',
      isSensitive: false,
    }]);
  });

  it('sets hs_date_entered for the stage a deal was moved to', async () => {
    const move = sandbox.moveDeal(demoPortalId, '306', 'salesmeeting');

    const deal = await crmClient().crm.deals.basicApi.getById('306', ['hs_date_entered_salesmeeting']);
    expect(deal.properties.hs_date_entered_salesmeeting).toBe(move.movedAt);
  });

  it('batches stage changes made close together into one request', async () => {
    sandbox.moveDeal(demoPortalId, '301', 'salesmeeting');
    sandbox.moveDeal(demoPortalId, '302', 'offersent');
    await sandbox.webhooks.idle();

    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]?.body ?? '[]').map((event: { objectId: number }) => event.objectId)).toEqual([301, 302]);
  });

  it('retries a receiver that fails twice and signs the third attempt afresh', async () => {
    receiver.answerWith([500, 503]);
    sandbox.moveDeal(demoPortalId, '303', 'contractsigned');
    await sandbox.webhooks.idle();

    const third = receiver.requests[2];
    expect(sandbox.webhooks.deliveries()[0]?.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 204]);
    expect(JSON.parse(third?.body ?? '[]')[0]).toMatchObject({ attemptNumber: 2, objectId: 303 });
    expect(third?.headers['x-hubspot-signature-v3']).not.toBe(receiver.requests[0]?.headers['x-hubspot-signature-v3']);
    expect(Signature.isValid({
      signatureVersion: 'v3',
      signature: String(third?.headers['x-hubspot-signature-v3']),
      clientSecret: demoApp.clientSecret,
      requestBody: third?.body ?? '',
      url: `${receiver.origin}${third?.url}`,
      method: 'POST',
      timestamp: Number(third?.headers['x-hubspot-request-timestamp']),
    })).toBe(true);
  });

  it('gives a delivery up after ten attempts without a 2xx answer', async () => {
    receiver.answerWith(Array(10).fill(500));
    sandbox.moveDeal(demoPortalId, '304', 'cardelivered');
    await sandbox.webhooks.idle();

    expect(receiver.requests.map((request) => JSON.parse(request.body)[0].attemptNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sandbox.webhooks.deliveries()[0]?.outcome).toBe('failed');
  });

  it('counts an unreachable receiver as a failed attempt and retries it', async () => {
    sandbox.webhookUrl = `http://127.0.0.1:${await closedPort()}/webhooks/hubspot`;
    sandbox.moveDeal(demoPortalId, '301', 'closedlost');
    await sandbox.webhooks.idle();

    const [delivery] = sandbox.webhooks.deliveries();
    expect(delivery?.attempts).toHaveLength(10);
    expect(delivery?.attempts.every((attempt) => attempt.status === undefined && attempt.error)).toBe(true);
  });
});

describe('hubspot.fetch signing', () => {
  it('appends HubSpot’s identity parameters and signs the final URL with v3', () => {
    const signed = sandbox.signFetchRequest({ method: 'POST', url: 'https://card.touchpoints.example/api/card?objectId=301', body: { objectType: 'deal' }, portalId: demoPortalId });

    const url = new URL(signed.url);
    expect([...url.searchParams]).toEqual([
      ['objectId', '301'], ['userId', '71001'], ['userEmail', 'mette.kjaer@bilhuset.example'], ['appId', String(demoApp.appId)], ['portalId', String(demoPortalId)],
    ]);
    // HubSpot's docs: the signed URI has %40 (and a few other escapes) decoded.
    expect(Signature.isValid({
      signatureVersion: 'v3',
      signature: signed.headers['X-HubSpot-Signature-v3'] ?? '',
      clientSecret: demoApp.clientSecret,
      requestBody: '{"objectType":"deal"}',
      url: signed.url.replaceAll('%40', '@'),
      method: 'POST',
      timestamp: Number(signed.headers['X-HubSpot-Request-Timestamp']),
    })).toBe(true);
  });
});

describe('admin surface', () => {
  it('lists the demo deals with their stage labels', async () => {
    const { status, json } = await admin('GET', `/_sandbox/portals/${demoPortalId}/deals`);

    expect(status).toBe(200);
    expect(json.deals).toHaveLength(10);
    expect(json.deals[0]).toMatchObject({ id: '301', stageId: 'testdrive', stageLabel: 'Test drive', ownerId: '61001' });
  });

  it('moves a deal through the admin surface and says where it came from', async () => {
    const { status, json } = await admin('POST', `/_sandbox/portals/${demoPortalId}/deals/302/stage`, { stageId: 'offersent' });
    await sandbox.webhooks.idle();

    expect(status).toBe(200);
    expect(json).toMatchObject({ dealId: '302', fromStageId: 'salesmeeting', toStageId: 'offersent', toStageLabel: 'Offer sent', changed: true });
    expect(receiver.requests).toHaveLength(1);
  });

  it('refuses an unknown stage with 400 and sends no webhook', async () => {
    const { status, json } = await admin('POST', `/_sandbox/portals/${demoPortalId}/deals/302/stage`, { stageId: 'teleported' });
    await sandbox.webhooks.idle();

    expect(status).toBe(400);
    expect(json.category).toBe('VALIDATION_ERROR');
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('fault injection', () => {
  const deal301 = '^/crm/v3/objects/deals/301$';

  function retryingClient(numberOfApiCallRetries: number): Client {
    return new Client({ accessToken: sandbox.accessTokenFor(demoPortalId), basePath: sandbox.url, numberOfApiCallRetries });
  }

  it('answers a write with HubSpot’s DAILY rate limit, which the client does not retry, changes nothing, and lets the next call through', async () => {
    sandbox.faults.add({ method: 'PATCH', pathPattern: deal301, status: 429, policyName: 'DAILY', retryAfterSeconds: 3600, times: 1 });
    // The api-client's decorators are process-wide and taken when an API is first reached, so reach it at once.
    const deals = retryingClient(3).crm.deals.basicApi;

    const error = await deals.update('301', { properties: { dealstage: 'salesmeeting' } }).catch((caught: unknown) => caught);

    expect(error?.constructor.name).toBe('ApiException');
    expect(error).toMatchObject({
      code: 429,
      body: {
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.any(String),
        policyName: 'DAILY',
        groupName: expect.any(String),
      },
      headers: expect.objectContaining({
        'retry-after': '3600',
        'x-hubspot-ratelimit-daily': '250000',
        'x-hubspot-ratelimit-daily-remaining': '0',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
      }),
    });
    await sandbox.webhooks.idle();
    expect((await deals.getById('301', ['dealstage'])).properties.dealstage).toBe('testdrive');
    expect(receiver.requests).toHaveLength(0);

    await deals.update('301', { properties: { dealstage: 'salesmeeting' } });

    expect((await deals.getById('301', ['dealstage'])).properties.dealstage).toBe('salesmeeting');
    expect(sandbox.requests().filter((request) => request.method === 'PATCH').map((request) => request.status)).toEqual([429, 200]);
  });

  it('shapes a TEN_SECONDLY_ROLLING limit with HubSpot’s rolling-window headers', async () => {
    // Not sent through @hubspot/api-client with retries on: it waits 10 s × attempt before retrying this policy.
    sandbox.faults.add({ pathPattern: '^/crm/v3/owners$', status: 429, times: 1 });

    const response = await fetch(`${sandbox.url}/crm/v3/owners`, { headers: { Authorization: `Bearer ${demoAccessToken}` } });

    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({
      status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('x-hubspot-ratelimit-')))).toEqual({
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '110',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-secondly': '11',
      'x-hubspot-ratelimit-secondly-remaining': '10',
    });
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('lets the client’s own retry get past a 503 when numberOfApiCallRetries is set', async () => {
    sandbox.faults.add({ method: 'GET', pathPattern: deal301, status: 503, times: 1 });
    const deals = retryingClient(2).crm.deals.basicApi;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined); // the client logs each retry
    try {
      const deal = await deals.getById('301', ['dealname']);

      expect(deal.properties.dealname).toBe('Skoda Octavia Combi – Anders Jensen');
      expect(quiet).toHaveBeenCalledWith(expect.stringContaining('[503]'));
    } finally {
      quiet.mockRestore();
    }
    expect(sandbox.requests().map((request) => request.status)).toEqual([503, 200]);
  });

  it('fires a 503 fault the given number of times, then stops', async () => {
    sandbox.faults.add({ pathPattern: deal301, status: 503, times: 2 });
    const deals = crmClient().crm.deals.basicApi;

    await expect(deals.getById('301')).rejects.toMatchObject({ code: 503, body: { status: 'error', category: 'INTERNAL_ERROR', correlationId: expect.any(String) } });
    await expect(deals.getById('301')).rejects.toMatchObject({ code: 503 });
    const third = await deals.getById('301');

    expect(third.id).toBe('301');
    expect(sandbox.faults.fired()).toBe(2);
    expect((await admin('GET', '/_sandbox/faults')).json).toEqual({ fired: 2, faults: [] });
  });

  it('hits only requests whose path matches the pattern', async () => {
    sandbox.faults.add({ pathPattern: '^/crm/v3/objects/contacts/', status: 500, times: 1 });
    const client = crmClient();

    const deal = await client.crm.deals.basicApi.getById('301');
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    const contact = client.crm.contacts.basicApi.getById('101');

    expect([deal.id, pipelines.results.length]).toEqual(['301', 1]);
    await expect(contact).rejects.toMatchObject({ code: 500, body: { category: 'INTERNAL_ERROR' } });
    expect(sandbox.faults.fired()).toBe(1);
  });

  it('hits only the method and portal it names', async () => {
    sandbox.faults.add({ method: 'get', portalId: otherPortal.portalId, pathPattern: '/deals/', status: 502, times: 1 });
    const mine = crmClient(demoPortalId).crm.deals.basicApi;
    const theirs = crmClient(otherPortal.portalId).crm.deals.basicApi;

    await mine.getById('301');
    await theirs.update('777', { properties: { dealname: 'Renamed' } });
    const read = theirs.getById('777');

    await expect(read).rejects.toMatchObject({ code: 502 });
    expect(sandbox.faults.fired()).toBe(1);
  });

  it('leaves the /_sandbox admin surface alone and lists what is pending there', async () => {
    const queued = await admin('POST', '/_sandbox/faults', { pathPattern: '.*', status: 504, times: 1, retryAfterSeconds: 2 });

    const listed = await admin('GET', '/_sandbox/faults');
    const read = crmClient().crm.deals.basicApi.getById('301');

    expect(queued).toMatchObject({ status: 201, json: { id: expect.any(Number), status: 504, remaining: 1, fired: 0 } });
    expect(listed.json).toEqual({ fired: 0, faults: [queued.json] });
    await expect(read).rejects.toMatchObject({ code: 504, headers: expect.objectContaining({ 'retry-after': '2' }) });
  });

  it('clears queued faults on DELETE /_sandbox/faults', async () => {
    await admin('POST', '/_sandbox/faults', { pathPattern: deal301, status: 500, times: 5 });

    const cleared = await admin('DELETE', '/_sandbox/faults');
    const deal = await crmClient().crm.deals.basicApi.getById('301');

    expect(cleared.status).toBe(204);
    expect(deal.id).toBe('301');
    expect(sandbox.faults.pending()).toEqual([]);
  });

  it('refuses a fault with a bad pattern, status, count or option with 400 VALIDATION_ERROR', async () => {
    const bad = [
      { pathPattern: '(', status: 500, times: 1 },
      { pathPattern: '/deals', status: 418, times: 1 },
      { pathPattern: '/deals', status: 503, times: 0 },
      { pathPattern: '/deals', status: 503, times: 1, policyName: 'DAILY' },
    ];

    const answers = await Promise.all(bad.map((fault) => admin('POST', '/_sandbox/faults', fault)));

    expect(answers.map(({ status, json }) => [status, json.category])).toEqual(Array(4).fill([400, 'VALIDATION_ERROR']));
    expect(() => sandbox.faults.add({ pathPattern: '[', status: 500, times: 1 })).toThrow(/pathPattern/);
    expect(sandbox.faults.pending()).toEqual([]);
  });

  it('drops a held connection once the timeout fault’s time is up', async () => {
    sandbox.faults.add({ pathPattern: '^/crm/v3/owners$', status: 'timeout', timeoutMs: 20, times: 1 });

    const call = fetch(`${sandbox.url}/crm/v3/owners`, { headers: { Authorization: `Bearer ${demoAccessToken}` } });

    await expect(call).rejects.toThrow(TypeError);
    expect(sandbox.requests()).toEqual([{ method: 'GET', path: '/crm/v3/owners', portalId: demoPortalId, status: 'timeout' }]);
  });

  it('holds a request past a short client timeout, and close() still returns at once with another one held', async () => {
    const own = await startHubSpotSandbox({ ...demoApp, portals: [carDealerPortal] });
    own.faults.add({ pathPattern: '^/crm/v3/owners$', status: 'timeout', times: 2 }); // held 10 s by default
    const owners = (signal?: AbortSignal) => fetch(`${own.url}/crm/v3/owners`, { headers: { Authorization: `Bearer ${demoAccessToken}` }, signal });
    let held: Promise<unknown> | undefined;
    try {
      await expect(owners(AbortSignal.timeout(100))).rejects.toMatchObject({ name: 'TimeoutError' });

      held = owners().catch((error: unknown) => error);
      await vi.waitFor(() => expect(own.faults.fired()).toBe(2));
    } finally {
      const closing = performance.now();
      await own.close();
      expect(performance.now() - closing).toBeLessThan(1_000);
    }
    expect(await held).toBeInstanceOf(TypeError);
  });
});

describe('request log', () => {
  it('records each HubSpot call with its method, path, portal and status, and no /_sandbox call', async () => {
    const client = crmClient();
    await client.crm.contacts.batchApi.read({ inputs: [{ id: '101' }, { id: '102' }], properties: ['email'], propertiesWithHistory: [] });
    await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: '301' }, { id: '302' }] });
    await crmClient(otherPortal.portalId).crm.deals.basicApi.getById('777');
    await client.crm.deals.basicApi.getById('999999').catch(() => undefined);
    await admin('GET', `/_sandbox/portals/${demoPortalId}/deals`);
    await new Client({ basePath: sandbox.url }).oauth.accessTokensApi.get('not-a-token').catch(() => undefined);

    const expected = [
      { method: 'POST', path: '/crm/v3/objects/contacts/batch/read', portalId: demoPortalId, status: 200 },
      { method: 'POST', path: '/crm/v4/associations/deals/contacts/batch/read', portalId: demoPortalId, status: 200 },
      { method: 'GET', path: '/crm/v3/objects/deals/777', portalId: otherPortal.portalId, status: 200 },
      { method: 'GET', path: '/crm/v3/objects/deals/999999', portalId: demoPortalId, status: 404 },
      { method: 'GET', path: '/oauth/v1/access-tokens/not-a-token', portalId: null, status: 404 },
    ];
    expect(sandbox.requests()).toEqual(expected);
    expect((await admin('GET', '/_sandbox/requests')).json).toEqual({ requests: expected });
  });

  it('starts afresh after a reset', async () => {
    await crmClient().crm.deals.basicApi.getById('301');
    sandbox.faults.add({ pathPattern: '.*', status: 500, times: 1 });

    sandbox.reset();

    expect(sandbox.requests()).toEqual([]);
    expect(sandbox.faults.pending()).toEqual([]);
  });
});

describe('privacy deletion', () => {
  function verifies(request: ReceivedRequest | undefined): boolean {
    return Signature.isValid({
      signatureVersion: 'v3',
      signature: String(request?.headers['x-hubspot-signature-v3']),
      clientSecret: demoApp.clientSecret,
      requestBody: request?.body ?? '',
      url: `${receiver.origin}${request?.url}`,
      method: 'POST',
      timestamp: Number(request?.headers['x-hubspot-request-timestamp']),
    });
  }

  it('permanently deletes a contact through gdpr-delete, with its associations', async () => {
    const client = crmClient();

    await client.crm.contacts.basicApi.purge({ objectId: '104' });

    await expect(client.crm.contacts.basicApi.getById('104')).rejects.toMatchObject({ code: 404 });
    const dealContacts = await client.crm.associations.v4.basicApi.getPage('deals', '302', 'contacts');
    const companyContacts = await client.crm.associations.v4.basicApi.getPage('companies', '205', 'contacts');
    expect(dealContacts.results.map((association) => String(association.toObjectId))).toEqual(['102']);
    expect(companyContacts.results.map((association) => String(association.toObjectId))).toEqual(['102']);
    expect(sandbox.requests()[0]).toEqual({ method: 'POST', path: '/crm/v3/objects/contacts/gdpr-delete', portalId: demoPortalId, status: 204 });
  });

  it('sends the app a signed contact.privacyDeletion webhook with the classic event fields', async () => {
    await crmClient().crm.contacts.basicApi.purge({ objectId: '104' });
    await sandbox.webhooks.idle();

    const [request] = receiver.requests;
    expect(JSON.parse(request?.body ?? '[]')).toEqual([{
      eventId: expect.any(Number),
      subscriptionId: webhookSubscriptionIds.contactPrivacyDeletion,
      portalId: demoPortalId,
      appId: demoApp.appId,
      occurredAt: expect.any(Number),
      subscriptionType: 'contact.privacyDeletion',
      attemptNumber: 0,
      objectId: 104,
      changeSource: 'INTEGRATION',
      sourceId: String(demoApp.appId),
    }]);
    expect(verifies(request)).toBe(true);
  });

  it('finds the contact by email when idProperty is email, and answers an unknown email with 204 and no webhook', async () => {
    const contacts = crmClient().crm.contacts.basicApi;

    await contacts.purge({ objectId: 'Anders.Jensen@example.dk', idProperty: 'email' });
    await contacts.purge({ objectId: 'nobody@example.invalid', idProperty: 'email' });
    await sandbox.webhooks.idle();

    await expect(contacts.getById('101')).rejects.toMatchObject({ code: 404 });
    expect(receiver.requests.flatMap((request) => JSON.parse(request.body).map((event: { objectId: number }) => event.objectId))).toEqual([101]);
  });

  it('answers gdpr-delete of an unknown contact id with 404 and sends nothing', async () => {
    const purge = crmClient().crm.contacts.basicApi.purge({ objectId: '424242' });

    await expect(purge).rejects.toMatchObject({ code: 404, body: { category: 'OBJECT_NOT_FOUND' } });
    await sandbox.webhooks.idle();
    expect(receiver.requests).toHaveLength(0);
  });

  it('privacy-deletes a contact through the admin surface as a HubSpot user would', async () => {
    const { status, json } = await admin('POST', `/_sandbox/portals/${demoPortalId}/contacts/102/privacy-delete`);
    await sandbox.webhooks.idle();

    expect(status).toBe(200);
    expect(json).toMatchObject({ portalId: demoPortalId, contactId: '102', unlinked: [{ type: 'companies', id: '205' }, { type: 'deals', id: '302' }] });
    await expect(crmClient().crm.contacts.basicApi.getById('102')).rejects.toMatchObject({ code: 404 });
    expect(JSON.parse(receiver.requests[0]?.body ?? '[]')[0]).toMatchObject({
      subscriptionType: 'contact.privacyDeletion', objectId: 102, changeSource: 'CRM_UI', sourceId: 'userId:71001',
    });
    expect(verifies(receiver.requests[0])).toBe(true);
  });
});

describe('persistence', () => {
  it('keeps a moved deal across a restart when given a state file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'hubspot-sandbox-'));
    const options = { ...demoApp, portals: [carDealerPortal], statePath: join(directory, 'hubspot.json') };
    try {
      const first = await startHubSpotSandbox(options);
      first.moveDeal(demoPortalId, '307', 'contractsigned');
      await first.close();

      const second = await startHubSpotSandbox(options);
      const deal = await new Client({ accessToken: demoAccessToken, basePath: second.url }).crm.deals.basicApi.getById('307', ['dealstage']);
      await second.close();
      expect(deal.properties.dealstage).toBe('contractsigned');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('state file upgrade', () => {
  it('gives a state file written before notes and the sales-activity properties both', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'hubspot-sandbox-'));
    const statePath = join(directory, 'hubspot.json');
    const options = { ...demoApp, portals: [carDealerPortal], statePath };
    try {
      const first = await startHubSpotSandbox(options);
      first.accessTokenFor(demoPortalId); // a change, so the state file is written
      await first.close();
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      const portal = state.portals[String(demoPortalId)];
      for (const section of ['records', 'properties', 'propertyGroups']) delete portal[section].notes;
      portal.properties.deals = portal.properties.deals.filter((definition: { name: string }) => !definition.name.startsWith('notes_'));
      writeFileSync(statePath, JSON.stringify(state));

      const upgraded = await startHubSpotSandbox(options);
      try {
        const client = new Client({ accessToken: demoAccessToken, basePath: upgraded.url });
        const deal = await client.crm.deals.basicApi.getById('301', ['notes_last_contacted']);
        const note = await client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'Hello', hs_timestamp: '2026-11-26T09:00:00.000Z' }, associations: [] });
        expect(deal.properties.notes_last_contacted).toBeNull();
        expect(note.properties.hs_note_body).toBe('Hello');
      } finally {
        await upgraded.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

function signatureVerifies(request: ReceivedRequest | undefined): boolean {
  return Signature.isValid({
    signatureVersion: 'v3',
    signature: String(request?.headers['x-hubspot-signature-v3']),
    clientSecret: demoApp.clientSecret,
    requestBody: request?.body ?? '',
    url: `${receiver.origin}${request?.url}`,
    method: 'POST',
    timestamp: Number(request?.headers['x-hubspot-request-timestamp']),
  });
}

/** A loopback port nothing listens on: one just given up by a server of ours. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The app's webhook endpoint, played by a plain server that answers as told (204 by default). */
async function startWebhookReceiver() {
  const requests: ReceivedRequest[] = [];
  let answers: number[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(answers.shift() ?? 204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/webhooks/hubspot`,
    requests,
    answerWith: (statuses: number[]) => {
      answers = [...statuses];
    },
    reset: () => {
      requests.length = 0;
      answers = [];
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

describe('deal pipeline stages', () => {
  it('adds a stage an admin creates and deletes it again once empty, as HubSpot does', async () => {
    const hubspot = new Client({ accessToken: demoAccessToken, basePath: sandbox.url });
    const stage = await hubspot.crm.pipelines.pipelineStagesApi.create('deals', 'car-sales', { label: 'Trade-in valued', displayOrder: 2, metadata: { probability: '0.4' } });
    expect((await hubspot.crm.pipelines.pipelineStagesApi.getAll('deals', 'car-sales')).results.map(({ label }) => label)).toContain('Trade-in valued');
    await hubspot.crm.pipelines.pipelineStagesApi.archive('deals', 'car-sales', stage.id);
    expect((await hubspot.crm.pipelines.pipelineStagesApi.getAll('deals', 'car-sales')).results.map(({ id }) => id)).not.toContain(stage.id);
  });

  it('refuses to delete a stage that still holds deals', async () => {
    const hubspot = new Client({ accessToken: demoAccessToken, basePath: sandbox.url });
    await expect(hubspot.crm.pipelines.pipelineStagesApi.archive('deals', 'car-sales', 'offersent')).rejects.toMatchObject({ code: 400 });
  });
});
