import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetIdentityDkimAttributesCommand, GetIdentityVerificationAttributesCommand, SESClient, SendEmailCommand, VerifyDomainDkimCommand, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CardData, type SettingsView } from '@touchpoints/contracts';
import { reminderTimerId, surveyTimerId } from '../../lambdas/domain/journey.js';
import { dueTimersPerPage, type DueRunReport } from '../../lambdas/journeys/due-work.js';
import { sesClientFor } from '../../lambdas/mail/send.js';
import { timerShards } from '../../lambdas/store/store.js';
import { carDealerPortal, demoPortalId } from '../../local/demo/car-dealer.js';
import type { PortalSeed } from '../../local/hubspot-sandbox/server.js';
import { startLocalSes, type RunningLocalSes } from '../../local/services/local-ses.js';
import { caughtMails, mailsTo } from '../support/local-ses.js';
import { hubspotFetchAs, installThroughOAuth, startTestStack } from '../support/local-stack.js';

const dkimStatusOf = async (ses: SESClient, domain: string) => (await ses.send(new GetIdentityDkimAttributesCommand({ Identities: [domain] }))).DkimAttributes?.[domain];
const verificationOf = async (ses: SESClient, domain: string) => (await ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [domain] }))).VerificationAttributes?.[domain];
const markVerified = (sesUrl: string, domain: string) => fetch(`${sesUrl}/identities/${encodeURIComponent(domain)}/verify`, { method: 'POST' });

describe('the local SES answers the SES v1 identity calls', () => {
  const running: RunningLocalSes[] = [];
  const startSes = async (options: Parameters<typeof startLocalSes>[0] = {}) => {
    const ses = await startLocalSes(options);
    running.push(ses);
    return { ses, client: sesClientFor(ses.endpoint) };
  };
  afterEach(async () => {
    for (const ses of running.splice(0)) await ses.close();
  });

  it('answers VerifyDomainDkim with three tokens, the same ones when asked again', async () => {
    const { client } = await startSes();
    const first = await client.send(new VerifyDomainDkimCommand({ Domain: 'bilhuset.example' }));
    expect(first.DkimTokens).toHaveLength(3);
    expect((await client.send(new VerifyDomainDkimCommand({ Domain: 'bilhuset.example' }))).DkimTokens).toEqual(first.DkimTokens);
  });

  it('keeps a started domain pending until a tester verifies it', async () => {
    const { ses, client } = await startSes();
    const { DkimTokens } = await client.send(new VerifyDomainDkimCommand({ Domain: 'bilhuset.example' }));
    expect(await dkimStatusOf(client, 'bilhuset.example')).toEqual({ DkimEnabled: true, DkimVerificationStatus: 'Pending', DkimTokens });
    expect(await verificationOf(client, 'bilhuset.example')).toEqual({ VerificationStatus: 'Pending' });

    const verified = await markVerified(ses.endpoint, 'bilhuset.example');
    expect(verified.status).toBe(200);
    expect((await dkimStatusOf(client, 'bilhuset.example'))?.DkimVerificationStatus).toBe('Success');
    expect(await verificationOf(client, 'bilhuset.example')).toEqual({ VerificationStatus: 'Success' });
  });

  it('verifies a domain as soon as it starts when told to (the test stack)', async () => {
    const { client } = await startSes({ verifyDomainsAfterMs: 0 });
    await client.send(new VerifyDomainDkimCommand({ Domain: 'fjordbilen.example' }));
    expect((await dkimStatusOf(client, 'fjordbilen.example'))?.DkimVerificationStatus).toBe('Success');
  });

  it('answers an address, its domain and its parent in one call, each identity on its own as SES does', async () => {
    const { ses, client } = await startSes();
    await client.send(new VerifyDomainDkimCommand({ Domain: 'acme.example' }));
    await markVerified(ses.endpoint, 'acme.example');
    expect((await markVerified(ses.endpoint, 'surveys@mail.acme.example')).status).toBe(200);
    const asked = ['surveys@mail.acme.example', 'mail.acme.example', 'acme.example'];
    const { VerificationAttributes } = await client.send(new GetIdentityVerificationAttributesCommand({ Identities: asked }));
    expect(VerificationAttributes).toEqual({ 'surveys@mail.acme.example': { VerificationStatus: 'Success' }, 'acme.example': { VerificationStatus: 'Success' } });
    const { DkimAttributes } = await client.send(new GetIdentityDkimAttributesCommand({ Identities: asked }));
    expect(Object.keys(DkimAttributes ?? {}).sort()).toEqual(['acme.example', 'surveys@mail.acme.example']);
    expect(DkimAttributes?.['surveys@mail.acme.example']).toEqual({ DkimEnabled: false, DkimVerificationStatus: 'NotStarted', DkimTokens: [] });
  });

  it('leaves a domain it was never asked about out of its answers, as SES does', async () => {
    const { client } = await startSes();
    expect(await dkimStatusOf(client, 'unknown.example')).toBeUndefined();
    expect(await verificationOf(client, 'unknown.example')).toBeUndefined();
  });

  it('refuses a domain name SES would refuse, and a tester’s verify of a domain never started', async () => {
    const { ses, client } = await startSes();
    await expect(client.send(new VerifyDomainDkimCommand({ Domain: 'not a domain' }))).rejects.toMatchObject({ name: 'InvalidParameterValue', message: 'Invalid domain name not a domain.' });
    const refused = await markVerified(ses.endpoint, 'never-started.example');
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ message: 'SES was never asked to verify never-started.example' });
  });

  it('answers an SES v1 call it does not implement with an error instead of silence', async () => {
    const { client } = await startSes();
    await expect(client.send(new VerifyDomainIdentityCommand({ Domain: 'bilhuset.example' }))).rejects.toMatchObject({ name: 'InvalidAction' });
  });

  it('still takes mail, through to aws-ses-v2-local', async () => {
    const { ses, client } = await startSes();
    await client.send(new SendEmailCommand({ Source: 'kunde@bilhuset.example', Destination: { ToAddresses: ['emma@example.com'] }, Message: { Subject: { Data: 'Hej' }, Body: { Text: { Data: 'Tak' } } } }));
    expect((await caughtMails(ses.endpoint)).map(({ subject }) => subject)).toEqual(['Hej']);
  });

  it('keeps its domains across a restart when given a state file (npm start)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-ses-'));
    try {
      const statePath = join(dataDir, 'ses-identities.json');
      const first = await startSes({ statePath });
      const { DkimTokens } = await first.client.send(new VerifyDomainDkimCommand({ Domain: 'bilhuset.example' }));
      await markVerified(first.ses.endpoint, 'bilhuset.example');
      await first.ses.close();
      running.splice(0);
      const { client } = await startSes({ statePath });
      expect(await dkimStatusOf(client, 'bilhuset.example')).toEqual({ DkimEnabled: true, DkimVerificationStatus: 'Success', DkimTokens });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a portal whose sender domain is not verified', () => {
  const portal = demoPortalId;
  const domain = 'nye-bilhuset.example';
  const hour = 3_600_000;
  const start = Date.now();
  let stack: Awaited<ReturnType<typeof startTestStack>>;

  const settingsView = async (): Promise<SettingsView> => {
    const response = await hubspotFetchAs(stack, portal, 'GET', '/settings');
    expect(response.status).toBe(200);
    return (await response.json()) as SettingsView;
  };
  /** Every timer of deal 302's surveys and reminders still in the table, due whenever. */
  const surveyTimersOfDeal302 = async () => {
    const farFuture = new Date(start + 365 * 24 * hour);
    const timers = (await Promise.all(Array.from({ length: timerShards }, (_, shard) => stack.store.dueTimers(shard, farFuture, 1_000)))).flat();
    return timers.filter(({ portalId, dealId, kind }) => portalId === portal && dealId === '302' && kind !== 'follow_up');
  };

  beforeAll(async () => {
    stack = await startTestStack([], { senderDomainsVerifiedAtOnce: false });
    const { portal: saved } = await settingsView();
    const changed = await hubspotFetchAs(stack, portal, 'PUT', '/settings/portal', {
      settings: { ...saved!.settings, sender: { name: 'Nye Bilhuset', email: `kundeservice@${domain}` } },
      expectedVersion: saved!.version,
    });
    expect(changed.status).toBe(200);
    stack.sandbox.moveDeal(portal, '302', 'offersent'); // Emma and Peter: their surveys fall due after a day
    await stack.settled();
  });
  afterAll(() => stack.close());

  it('has the demo’s own sender domain verified from the start, as npm start does, while new ones wait', async () => {
    const client = sesClientFor(stack.info.sesUrl);
    expect((await dkimStatusOf(client, 'bilhuset.example'))?.DkimVerificationStatus).toBe('Success');
    expect((await dkimStatusOf(client, domain))?.DkimVerificationStatus).toBe('Pending');
  });

  it('starts verification when the sender is saved: the settings show its three DNS records, pending', async () => {
    const { senderDomain } = await settingsView();
    expect(senderDomain).toMatchObject({ domain, state: 'pending' });
    expect(senderDomain!.records).toHaveLength(3);
    for (const record of senderDomain!.records) {
      const token = record.name.split('.')[0]!;
      expect(record).toEqual({ name: `${token}._domainkey.${domain}`, type: 'CNAME', value: `${token}.dkim.amazonses.com`, status: 'Pending' });
    }
  });

  it('refuses the test survey with 409, naming the domain and what to do', async () => {
    const refused = await hubspotFetchAs(stack, portal, 'POST', '/settings/test-survey', { touchpointId: 'offer' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ message: `The sender domain ${domain} is not verified yet: add its DNS records (Touchpoints settings → Portal); SES verifies it once it finds them` });
  });

  it('keeps the surveys waiting: nothing sent, the invitations scheduled, their timers kept and moved on an hour (the domain has waited a day)', async () => {
    const report = await stack.runDueAt(new Date(start + 25 * hour));
    expect(report).toMatchObject({ surveysSent: 0, paused: 2 });
    expect(await mailsTo(stack.info.sesUrl, 'emma.wilson@example.com')).toHaveLength(0);
    expect((await stack.store.listInvitations(portal, '302')).map(({ status }) => status)).toEqual(['scheduled', 'scheduled']);
    const timers = await surveyTimersOfDeal302();
    expect(timers).toHaveLength(2);
    expect(timers.every(({ dueAt }) => dueAt.getTime() === start + 26 * hour)).toBe(true);
  });

  it('says on the card that the surveys are paused for the domain', async () => {
    const response = await hubspotFetchAs(stack, portal, 'GET', '/card?objectType=deal&objectId=302');
    expect(response.status).toBe(200);
    expect(CardData.parse(await response.json()).surveysPaused).toEqual({ senderDomain: domain });
  });

  it('sends the waiting surveys in the first run after their timers come back once the domain is verified', async () => {
    expect((await markVerified(stack.info.sesUrl, domain)).status).toBe(200);
    const report = await stack.runDueAt(new Date(start + 26 * hour));
    expect(report).toMatchObject({ surveysSent: 2, paused: 0 });
    expect(await mailsTo(stack.info.sesUrl, 'emma.wilson@example.com')).toHaveLength(1);
    expect(await mailsTo(stack.info.sesUrl, 'peter.smith@example.com')).toHaveLength(1);
    expect((await stack.store.listInvitations(portal, '302')).map(({ status }) => status)).toEqual(['sent', 'sent']);
  });

  it('shows the domain verified on the settings page', async () => {
    const { senderDomain } = await settingsView();
    expect(senderDomain).toMatchObject({ domain, state: 'verified' });
    expect(senderDomain!.records.every(({ status }) => status === 'Success')).toBe(true);
  });
});

describe('sender domains across portals', () => {
  // A second dealer: its installer's default sender is on the demo's domain, which the local stack
  // shares as the operator's own, so its surveys go; the demo portal's sender waits for its domain.
  const secondPortalId = 13572468;
  const secondPortal: PortalSeed = { ...carDealerPortal, portalId: secondPortalId, hubDomain: 'fjordbilen.sandbox.hubspot.invalid', staticAccessToken: 'local-second-portal-token' };
  const pendingDomain = 'nye-bilhuset.example';
  const hour = 3_600_000;
  const start = Date.now();
  let stack: Awaited<ReturnType<typeof startTestStack>>;

  const saveSender = async (portalId: number, email: string) => {
    const { portal: saved } = (await (await hubspotFetchAs(stack, portalId, 'GET', '/settings')).json()) as SettingsView;
    return hubspotFetchAs(stack, portalId, 'PUT', '/settings/portal', { settings: { ...saved!.settings, sender: { name: 'Bilhuset', email } }, expectedVersion: saved!.version });
  };

  beforeAll(async () => {
    stack = await startTestStack([secondPortal], { senderDomainsVerifiedAtOnce: false });
    expect((await installThroughOAuth(stack, secondPortalId)).status).toBe(200);
    expect((await saveSender(demoPortalId, `kundeservice@${pendingDomain}`)).status).toBe(200);
  });
  afterAll(() => stack.close());

  it('refuses with 409 a sender on a domain another portal started verifying, and saves nothing', async () => {
    const refused = await saveSender(secondPortalId, `post@${pendingDomain}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ message: `The sender domain ${pendingDomain} is used by another HubSpot account with Touchpoints: choose a sender address on a domain of your own` });
    expect((await stack.store.getSettings(secondPortalId))?.value.sender.email).toBe('mette.kjaer@bilhuset.example');
  });

  it('lets every portal send from the shared domain', async () => {
    expect((await saveSender(secondPortalId, 'salg@bilhuset.example')).status).toBe(200);
    const response = await hubspotFetchAs(stack, secondPortalId, 'GET', '/settings');
    expect(((await response.json()) as SettingsView).senderDomain).toMatchObject({ domain: 'bilhuset.example', state: 'verified' });
  });

  it('sends another portal’s survey in the first run though a paused portal has more due timers than a run takes', { timeout: 120_000 }, async () => {
    const applied = await hubspotFetchAs(stack, secondPortalId, 'POST', '/settings/templates/car-dealer', {
      pipelineId: 'car-sales',
      stageOfStep: { testdrive: 'testdrive', salesmeeting: 'salesmeeting', offersent: 'offersent', contractsigned: 'contractsigned', cardelivered: 'cardelivered' },
    });
    expect(applied.status).toBe(200);
    stack.sandbox.moveDeal(secondPortalId, '306', 'salesmeeting');
    await stack.settled();
    const kariSurveyDue = (await stack.store.getInvitation(secondPortalId, '306', 'sales-meeting', '107'))!.sendAt!;

    // More paused surveys than one run took before (its first page of each shard), all due before Kari's.
    const pausedCount = 4 * dueTimersPerPage + 100;
    const pausedDue = new Date(kariSurveyDue.getTime() - hour);
    for (let index = 0; index < pausedCount; index += 1) {
      const contactId = `9${index}`;
      await stack.store.createInvitation(demoPortalId, { dealId: '302', touchpointId: 'offer', contactId, status: 'scheduled', language: 'da', createdAt: pausedDue, sendAt: pausedDue });
      await stack.store.setTimer(demoPortalId, { id: surveyTimerId('302', 'offer', contactId), kind: 'survey', dueAt: pausedDue, dealId: '302', touchpointId: 'offer', contactId });
    }

    const report = await stack.runDueAt(new Date(kariSurveyDue.getTime() + 60_000));
    expect(report).toMatchObject({ surveysSent: 1, paused: pausedCount, failed: 0 });
    expect(await mailsTo(stack.info.sesUrl, 'kari.nordmann@example.no')).toHaveLength(1);
    expect((await stack.store.getInvitation(secondPortalId, '306', 'sales-meeting', '107'))?.status).toBe('sent');
  });

  it('clears a paused portal’s timers that have nothing left to send instead of moving them on', async () => {
    // An answered survey's reminder timer stays until it falls due (answering does not clear it).
    const answeredAt = new Date(start);
    await stack.store.createInvitation(demoPortalId, { dealId: '302', touchpointId: 'offer', contactId: '8000', status: 'answered', language: 'da', createdAt: answeredAt });
    await stack.store.setTimer(demoPortalId, { id: reminderTimerId('302', 'offer', '8000'), kind: 'reminder', dueAt: answeredAt, dealId: '302', touchpointId: 'offer', contactId: '8000' });
    const farFuture = new Date(start + 365 * 24 * hour);
    const report = (await stack.runDueAt(farFuture)) as DueRunReport;
    expect(report).toMatchObject({ surveysSent: 0, paused: 4 * dueTimersPerPage + 100 }); // the paused surveys wait on; the answered one's reminder is not among them
    const left = (await Promise.all(Array.from({ length: timerShards }, (_, shard) => stack.store.dueTimers(shard, new Date(farFuture.getTime() + 2 * hour), 5_000)))).flat();
    expect(left.some(({ id }) => id === reminderTimerId('302', 'offer', '8000'))).toBe(false);
    expect(left.some(({ id }) => id === surveyTimerId('302', 'offer', '90'))).toBe(true);
  });
});
