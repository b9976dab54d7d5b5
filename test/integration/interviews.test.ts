import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, type InterviewTask, type PortalReport } from '@touchpoints/contracts';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { hubspotFetchAs, startTestStack } from '../support/local-stack.js';

/**
 * Interviews through the real stack: the report λ lists the customers worth interviewing, the
 * settings λ makes the deal owner's task through @hubspot/api-client in the sandbox, and the
 * owner's notes in that task raise the touchpoint's coverage.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let hubspot: Client;

const offer = 'offer';
/** Ingrid Haugen on deal 303 (Sofie Lund's), who rated the offer 3/10: "Tilbudet kom først etter en uke." (the demo's seed). */
const ingrid = { touchpointId: offer, dealId: '303', contactId: '103' };

async function report(): Promise<PortalReport> {
  const response = await hubspotFetchAs(stack, demoPortalId, 'GET', '/report');
  expect(response.status).toBe(200);
  return (await response.json()) as PortalReport;
}

const offerOf = (portalReport: PortalReport) => portalReport.touchpoints.find(({ touchpointId }) => touchpointId === offer)!;
const offerCandidates = (portalReport: PortalReport) => portalReport.interviews.find(({ touchpointId }) => touchpointId === offer)?.candidates.map(({ contactId }) => contactId);

function askForInterview(body: unknown) {
  return hubspotFetchAs(stack, demoPortalId, 'POST', '/settings/interviews', body);
}

async function interviewTasks(): Promise<{ id: string; subject: string; ownerId: string | null; dealIds: string[] }[]> {
  const { tasks } = (await (await fetch(`${stack.info.sandboxUrl}/_sandbox/portals/${demoPortalId}/tasks`)).json()) as { tasks: { id: string; subject: string; ownerId: string | null; dealIds: string[] }[] };
  return tasks.filter(({ subject }) => subject.startsWith('Interview '));
}

beforeAll(async () => {
  stack = await startTestStack();
  hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
  // More customers who rated the offer, on deals of all three owners, and one who has not answered.
  const now = stack.clock.now();
  const answers = [
    { dealId: '302', contactId: '102', ownerId: '61002', score: 2, comment: 'Two weeks for an offer.', daysAgo: 8 },
    { dealId: '304', contactId: '105', ownerId: '61001', score: 4, comment: 'Nobody explained the price.', daysAgo: 9 },
    { dealId: '307', contactId: '110', ownerId: '61001', score: 5, comment: 'I had to call them.', daysAgo: 10 },
    { dealId: '304', contactId: '111', ownerId: '61001', score: 9, comment: 'Clear and quick.', daysAgo: 4 },
    { dealId: '310', contactId: '112', ownerId: '61001', daysAgo: 3 },
  ];
  for (const { dealId, contactId, ownerId, score, comment, daysAgo } of answers) {
    const at = new Date(now.getTime() - daysAgo * dayMs);
    await stack.store.createInvitation(demoPortalId, { dealId, touchpointId: offer, contactId, language: 'en', createdAt: at, sendAt: at, ownerId, status: 'sent' });
    if (score) await stack.store.saveResponse(demoPortalId, { dealId, touchpointId: offer, contactId, score, comment, firstAnsweredAt: at, answeredAt: at });
  }
});
afterAll(() => stack.close());

describe('interviews', () => {
  it('lists the customers worth interviewing about the weak offer: red and yellow answers with a comment, spread across the owners', async () => {
    const portalReport = await report();
    expect(offerCandidates(portalReport)).toEqual(['102', '103', '105', '110']);
    expect(portalReport.interviews.find(({ touchpointId }) => touchpointId === offer)?.candidates[1]).toEqual({
      dealId: '303',
      contactId: '103',
      ownerId: '61003',
      score: 3,
      light: 'red',
      answeredAt: expect.any(String),
      comment: 'Tilbudet kom først etter en uke.',
    });
  });

  it('makes the deal owner one interview task, on the contact and the deal; a second click answers with the same task', async () => {
    const first = await askForInterview(ingrid);
    expect(first.status).toBe(201);
    const task = (await first.json()) as InterviewTask;
    expect(task).toMatchObject({ subject: 'Interview Ingrid about The offer', ownerId: '61003', ownerName: 'Sofie Lund', created: true });

    const made = await hubspot.crm.objects.tasks.basicApi.getById(task.taskId, ['hs_task_subject', 'hubspot_owner_id', 'hs_task_body']);
    expect(made.properties).toMatchObject({ hs_task_subject: 'Interview Ingrid about The offer', hubspot_owner_id: '61003' });
    expect(made.properties.hs_task_body).toContain('Tilbudet kom først etter en uke.');
    const associatedIds = async (toType: string) => (await hubspot.crm.associations.v4.basicApi.getPage('tasks', task.taskId, toType)).results.map(({ toObjectId }) => String(toObjectId));
    expect([await associatedIds('contacts'), await associatedIds('deals')]).toEqual([['103'], ['303']]);

    const again = await askForInterview(ingrid);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...task, created: false });
    expect((await interviewTasks()).map(({ id }) => id)).toEqual([task.taskId]);
  });

  it('lists no customer who has an interview task', async () => {
    expect(offerCandidates(await report())).toEqual(['102', '105', '110']);
  });

  it('counts the interview toward the offer’s coverage once the owner wrote notes in the task', async () => {
    const before = offerOf(await report()).stats;
    expect([before.coverage, before.interviews]).toEqual([5 / 6, 0]);
    // The settings page's load checks the tasks: no notes yet, nothing changes.
    expect((await hubspotFetchAs(stack, demoPortalId, 'GET', '/settings')).status).toBe(200);
    expect(offerOf(await report()).stats.coverage).toBe(5 / 6);

    const [task] = await interviewTasks();
    const notes = await fetch(`${stack.info.sandboxUrl}/_sandbox/portals/${demoPortalId}/tasks/${task!.id}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'She waited a week: the offer needs a manager who is away on Fridays.' }),
    });
    expect(notes.status).toBe(200);
    expect((await hubspotFetchAs(stack, demoPortalId, 'GET', '/settings')).status).toBe(200);

    const after = offerOf(await report()).stats;
    expect([after.coverage, after.interviews]).toEqual([1, 1]);
  });

  it('names the listed customers as HubSpot has them, leaving out a contact HubSpot does not have', async () => {
    const response = await hubspotFetchAs(stack, demoPortalId, 'POST', '/settings/interviews/names', { contactIds: ['103', '102', '999999'] });
    expect(response.status).toBe(200);
    const { names } = (await response.json()) as { names: Record<string, string> };
    expect(Object.keys(names).sort()).toEqual(['102', '103']);
    expect(names['103']).toBe('Ingrid Haugen');
  });

  it('refuses names asked for without ids, with ids that are not HubSpot record ids, or with more than 100, with 400', async () => {
    const ask = (body: unknown) => hubspotFetchAs(stack, demoPortalId, 'POST', '/settings/interviews/names', body);
    const problems = async (body: unknown) => {
      const response = await ask(body);
      return [response.status, ((await response.json()) as { problems: string[] }).problems];
    };
    expect(await problems({ contactIds: [] })).toEqual([400, ['contactIds: Too small: expected array to have >=1 items']]);
    expect(await problems({ contactIds: ['103; drop'] })).toEqual([400, ['contactIds.0: must be a HubSpot record id']]);
    expect((await ask({ contactIds: Array.from({ length: 101 }, (_, index) => String(index + 1)) })).status).toBe(400);
    expect((await ask({ contactIds: ['103'], dealIds: ['303'] })).status).toBe(400);
  });

  it('refuses a request without the customer with 400, naming what is missing', async () => {
    const response = await askForInterview({ touchpointId: offer, dealId: '303' });
    expect([response.status, ((await response.json()) as { problems: string[] }).problems]).toEqual([400, ['contactId: must be a HubSpot record id']]);
  });

  it('refuses a request without a body with 400', async () => {
    const response = await askForInterview(undefined);
    expect([response.status, ((await response.json()) as { problems: string[] }).problems]).toEqual([400, ['body: is required, as a JSON object']]);
  });

  it('refuses ids that are not HubSpot record ids or a touchpoint id with 400, naming each field', async () => {
    const response = await askForInterview({ touchpointId: 'The Offer', dealId: '303; drop', contactId: 103 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual([
      'touchpointId: must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit',
      'dealId: must be a HubSpot record id',
      'contactId: must be a HubSpot record id',
    ]);
  });

  it('refuses a field the request does not know with 400 rather than ignoring it', async () => {
    const response = await askForInterview({ ...ingrid, ownerId: '61001' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: string[] }).problems).toEqual(['Unrecognized key: "ownerId"']);
    expect(await interviewTasks()).toHaveLength(1);
  });

  it('answers 404 for a touchpoint the portal does not have, or a customer who did not answer it', async () => {
    const unknownTouchpoint = await askForInterview({ ...ingrid, touchpointId: 'showroom' });
    expect([unknownTouchpoint.status, await unknownTouchpoint.json()]).toEqual([404, { message: 'No touchpoint showroom' }]);
    const notAnswered = await askForInterview({ touchpointId: offer, dealId: '310', contactId: '112' });
    expect([notAnswered.status, await notAnswered.json()]).toEqual([404, { message: 'No answer of contact 112 on deal 310 about The offer' }]);
  });

  it('answers 409 for a green answer, and for a contact interviewed about something else lately', async () => {
    const green = await askForInterview({ touchpointId: offer, dealId: '304', contactId: '111' });
    expect([green.status, await green.json()]).toEqual([409, { message: 'The answer is 9/10, green: interviews are for red and yellow answers' }]);
    const again = await askForInterview({ ...ingrid, touchpointId: 'sales-meeting' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/^This contact got an interview task on \d{4}-\d{2}-\d{2}: not again within 90 days$/);
  });
});
