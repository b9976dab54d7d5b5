import { beforeEach, describe, expect, it } from 'vitest';
import type { SesVerificationStatus } from '@touchpoints/contracts';
import type { Timer } from '../../../lambdas/domain/journey.js';
import type { SenderDomainCheck, SesDomainIdentity } from '../../../lambdas/domain/sender-domain.js';
import { pauseMailOfUnverifiedSenders, pausedMailDelayMs, SenderVerification, type SenderPausePorts } from '../../../lambdas/journeys/sender-verification.js';
import type { SenderIdentities } from '../../../lambdas/mail/sender-identities.js';
import { settingsOf, versioned } from '../../support/in-memory-store.js';

const portalId = 24681357;
const otherPortalId = 13572468;
const start = new Date('2026-12-01T10:00:00.000Z');
const tokens = ['t1', 't2', 't3'];

/** SES's identities as the fake holds them, with a log of the calls it answered. */
class FakeSes implements SenderIdentities {
  readonly domains = new Map<string, SesDomainIdentity>();
  readonly calls: string[] = [];
  unreachable = false;

  async startDkimVerification(domain: string): Promise<string[]> {
    this.calls.push(`VerifyDomainDkim ${domain}`);
    const known = this.domains.get(domain);
    this.domains.set(domain, { verificationStatus: 'Pending', dkimStatus: 'Pending', dkimTokens: known?.dkimTokens ?? tokens });
    return [...(known?.dkimTokens ?? tokens)];
  }

  async domainIdentity(domain: string): Promise<SesDomainIdentity | undefined> {
    this.calls.push(`GetIdentity ${domain}`);
    if (this.unreachable) throw new Error('connect ECONNREFUSED');
    return this.domains.get(domain);
  }

  set(domain: string, status: SesVerificationStatus, dkimTokens = tokens) {
    this.domains.set(domain, { verificationStatus: status, dkimStatus: status, dkimTokens });
  }
}

let ses: FakeSes;
let clock: Date;
let checks: Map<number, SenderDomainCheck>;
let settings: Map<number, ReturnType<typeof settingsOf>>;
let timers: Map<string, Timer & { portalId: number }>;
let ports: SenderPausePorts;

beforeEach(() => {
  ses = new FakeSes();
  clock = start;
  checks = new Map();
  settings = new Map([[portalId, settingsOf({ sender: { name: 'Bilhuset', email: 'kunde@bilhuset.example' } })]]);
  timers = new Map();
  ports = {
    identities: ses,
    now: () => clock,
    store: {
      async getSenderDomain(id) {
        return checks.get(id);
      },
      async saveSenderDomain(id, check) {
        checks.set(id, check);
      },
      async getSettings(id) {
        const stored = settings.get(id);
        return stored && versioned(stored);
      },
      async postponeTimer(id, timer, dueAt) {
        if (!timers.has(timer.id)) return false;
        timers.set(timer.id, { ...timer, portalId: id, dueAt });
        return true;
      },
    },
  };
});

describe('SenderVerification.current', () => {
  it('starts verification of a domain SES does not know, and keeps its tokens and state', async () => {
    const check = await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example');
    expect(check).toEqual({ domain: 'bilhuset.example', state: 'pending', dkimStatus: 'Pending', dkimTokens: tokens, checkedAt: start });
    expect(ses.calls).toEqual(['GetIdentity bilhuset.example', 'VerifyDomainDkim bilhuset.example', 'GetIdentity bilhuset.example']);
    expect(checks.get(portalId)).toEqual(check);
  });

  it('takes a domain SES already verified as it is, starting nothing', async () => {
    ses.set('bilhuset.example', 'Success');
    expect((await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example')).state).toBe('verified');
    expect(ses.calls).toEqual(['GetIdentity bilhuset.example']);
  });

  it('asks SES nothing while the stored check is fresh, and again once it is stale', async () => {
    const verification = new SenderVerification(ports);
    await verification.current(portalId, 'kunde@bilhuset.example');
    ses.calls.length = 0;
    ses.set('bilhuset.example', 'Success');
    clock = new Date(start.getTime() + 59_000);
    expect((await verification.current(portalId, 'kunde@bilhuset.example')).state).toBe('pending');
    expect(ses.calls).toEqual([]);
    clock = new Date(start.getTime() + 60_000);
    expect((await verification.current(portalId, 'kunde@bilhuset.example')).state).toBe('verified');
    expect(ses.calls).toEqual(['GetIdentity bilhuset.example']);
  });

  it('does not start again a domain that failed: the admin fixes the records and saves the sender', async () => {
    ses.set('bilhuset.example', 'Failed');
    expect((await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example')).state).toBe('failed');
    expect(ses.calls).not.toContain('VerifyDomainDkim bilhuset.example');
  });
});

describe('SenderVerification.senderSaved', () => {
  it('starts verification again of a domain SES gave up on', async () => {
    ses.set('bilhuset.example', 'Failed');
    const check = await new SenderVerification(ports).senderSaved(portalId, 'kunde@bilhuset.example');
    expect(ses.calls).toContain('VerifyDomainDkim bilhuset.example');
    expect(check.state).toBe('pending');
  });

  it('checks a new sender’s domain at once, however fresh the old domain’s check', async () => {
    const verification = new SenderVerification(ports);
    await verification.current(portalId, 'kunde@bilhuset.example');
    const check = await verification.senderSaved(portalId, 'post@fjordbilen.example');
    expect(check.domain).toBe('fjordbilen.example');
    expect(ses.calls.at(-2)).toBe('VerifyDomainDkim fjordbilen.example');
  });
});

describe('pauseMailOfUnverifiedSenders', () => {
  const due = (id: string, kind: Timer['kind'], portal = portalId) => {
    const timer = { id, kind, dueAt: new Date(start.getTime() - 1_000), dealId: '301', touchpointId: 'offer', portalId: portal, ...(kind === 'follow_up' ? {} : { contactId: '101' }) };
    timers.set(id, timer);
    return timer;
  };

  it('moves the surveys and reminders of a portal with an unverified sender five minutes on, and keeps its follow-ups going', async () => {
    const due1 = [due('survey-1', 'survey'), due('reminder-1', 'reminder'), due('deadline-1', 'follow_up')];
    const pause = await pauseMailOfUnverifiedSenders(ports, due1, start);
    expect(pause).toEqual({ go: [due1[2]], paused: 2, failed: 0 });
    expect(timers.size).toBe(3);
    expect(timers.get('survey-1')?.dueAt).toEqual(new Date(start.getTime() + pausedMailDelayMs));
    expect(timers.get('reminder-1')?.dueAt).toEqual(new Date(start.getTime() + pausedMailDelayMs));
  });

  it('lets every timer of a portal with a verified sender go, untouched', async () => {
    ses.set('bilhuset.example', 'Success');
    const due1 = [due('survey-1', 'survey'), due('reminder-1', 'reminder')];
    expect(await pauseMailOfUnverifiedSenders(ports, due1, start)).toEqual({ go: due1, paused: 0, failed: 0 });
    expect(timers.get('survey-1')?.dueAt).toEqual(due1[0]!.dueAt);
  });

  it('holds only the portal whose sender is unverified', async () => {
    settings.set(otherPortalId, settingsOf({ sender: { name: 'Fjordbilen', email: 'post@fjordbilen.example' } }));
    ses.set('fjordbilen.example', 'Success');
    const held = due('survey-1', 'survey');
    const going = due('survey-2', 'survey', otherPortalId);
    expect(await pauseMailOfUnverifiedSenders(ports, [held, going], start)).toEqual({ go: [going], paused: 1, failed: 0 });
  });

  it('leaves the mail of a portal whose sender cannot be checked where it is, unsent', async () => {
    ses.unreachable = true;
    const survey = due('survey-1', 'survey');
    expect(await pauseMailOfUnverifiedSenders(ports, [survey], start)).toEqual({ go: [], paused: 0, failed: 1 });
    expect(timers.get('survey-1')).toEqual(survey);
  });

  it('asks SES nothing for a run with only follow-up deadlines', async () => {
    const deadline = due('deadline-1', 'follow_up');
    expect(await pauseMailOfUnverifiedSenders(ports, [deadline], start)).toEqual({ go: [deadline], paused: 0, failed: 0 });
    expect(ses.calls).toEqual([]);
  });
});
