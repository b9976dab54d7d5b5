import { beforeEach, describe, expect, it } from 'vitest';
import type { SesVerificationStatus } from '@touchpoints/contracts';
import type { Invitation, Timer } from '../../../lambdas/domain/journey.js';
import { pausedMailDelayMs, type SenderDomainCheck, type SesIdentity } from '../../../lambdas/domain/sender-domain.js';
import { SenderDomainTakenError } from '../../../lambdas/errors.js';
import { MailOfUnverifiedSenders, SenderVerification, type SenderPausePorts } from '../../../lambdas/journeys/sender-verification.js';
import type { SenderIdentities } from '../../../lambdas/mail/sender-identities.js';
import { invitationOnDeal, settingsOf, versioned } from '../../support/in-memory-store.js';

const portalId = 24681357;
const otherPortalId = 13572468;
const start = new Date('2026-12-01T10:00:00.000Z');
const minute = 60_000;
const tokens = ['t1', 't2', 't3'];

/** SES's identities as the fake holds them, with a log of the calls it answered. */
class FakeSes implements SenderIdentities {
  readonly known = new Map<string, SesIdentity>();
  readonly calls: string[] = [];
  unreachable = false;

  async startDkimVerification(domain: string): Promise<string[]> {
    this.calls.push(`VerifyDomainDkim ${domain}`);
    const known = this.known.get(domain);
    this.known.set(domain, { verificationStatus: 'Pending', dkimStatus: 'Pending', dkimTokens: known?.dkimTokens ?? tokens });
    return [...(known?.dkimTokens ?? tokens)];
  }

  async identities(names: readonly string[]): Promise<Map<string, SesIdentity>> {
    this.calls.push(`GetIdentity ${names.join(' ')}`);
    if (this.unreachable) throw new Error('connect ECONNREFUSED');
    return new Map(names.flatMap((name) => (this.known.has(name) ? [[name, this.known.get(name)!] as const] : [])));
  }

  set(identity: string, status: SesVerificationStatus, dkimTokens = identity.includes('@') ? [] : tokens) {
    this.known.set(identity, { verificationStatus: status, dkimStatus: identity.includes('@') ? 'NotStarted' : status, dkimTokens });
  }
}

let ses: FakeSes;
let clock: Date;
let checks: Map<number, SenderDomainCheck>;
let claims: Map<string, number>;
let settings: Map<number, ReturnType<typeof settingsOf>>;
let invitations: Map<string, Invitation>;
let timers: Map<string, Timer & { portalId: number }>;
let ports: SenderPausePorts;

const senderOf = (email: string, portal = portalId) => settings.set(portal, settingsOf({ sender: { name: 'Bilhuset', email } }));

beforeEach(() => {
  ses = new FakeSes();
  clock = start;
  checks = new Map();
  claims = new Map();
  settings = new Map();
  senderOf('kunde@bilhuset.example');
  invitations = new Map();
  timers = new Map();
  ports = {
    identities: ses,
    sharedSenderDomains: ['touchpoints.example'],
    now: () => clock,
    store: {
      async getSenderDomain(id) {
        return checks.get(id);
      },
      async saveSenderDomain(id, check) {
        checks.set(id, check);
      },
      async claimSenderDomain(domain, id) {
        if (!claims.has(domain)) claims.set(domain, id);
        return claims.get(domain)!;
      },
      async getSettings(id) {
        const stored = settings.get(id);
        return stored && versioned(stored);
      },
      async getInvitation(id, dealId, touchpointId, contactId) {
        return invitations.get(`${id}/${dealId}/${touchpointId}/${contactId}`);
      },
      async postponeTimer(id, timer, dueAt) {
        if (!timers.has(timer.id)) return false;
        timers.set(timer.id, { ...timer, portalId: id, dueAt });
        return true;
      },
      async clearTimer(_id, timerId) {
        timers.delete(timerId);
      },
    },
  };
});

describe('SenderVerification.current', () => {
  it('starts verification of a domain SES does not know, asking about the address and the domain in one call, and keeps its tokens and state', async () => {
    const check = await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example');
    expect(check).toEqual({ domain: 'bilhuset.example', state: 'pending', dkimStatus: 'Pending', dkimTokens: tokens, checkedAt: start, pendingSince: start });
    expect(ses.calls).toEqual(['GetIdentity kunde@bilhuset.example bilhuset.example', 'VerifyDomainDkim bilhuset.example', 'GetIdentity bilhuset.example']);
    expect(checks.get(portalId)).toEqual(check);
    expect(claims.get('bilhuset.example')).toBe(portalId);
  });

  it('takes a domain SES already verified as it is, starting nothing', async () => {
    ses.set('bilhuset.example', 'Success');
    const check = await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example');
    expect(check).toMatchObject({ state: 'verified', verifiedBy: 'bilhuset.example' });
    expect(ses.calls).toEqual(['GetIdentity kunde@bilhuset.example bilhuset.example']);
  });

  it('sends from a subdomain through its verified parent domain, asking SES once and starting nothing', async () => {
    ses.set('acme.example', 'Success');
    const check = await new SenderVerification(ports).current(portalId, 'surveys@mail.acme.example');
    expect(check).toMatchObject({ domain: 'mail.acme.example', state: 'verified', verifiedBy: 'acme.example' });
    expect(ses.calls).toEqual(['GetIdentity surveys@mail.acme.example mail.acme.example acme.example']);
  });

  it('sends from a verified email-address identity without verifying its domain', async () => {
    ses.set('surveys@mail.acme.example', 'Success');
    const check = await new SenderVerification(ports).current(portalId, 'surveys@mail.acme.example');
    expect(check).toMatchObject({ domain: 'mail.acme.example', state: 'verified', verifiedBy: 'surveys@mail.acme.example' });
    expect(ses.calls).not.toContain('VerifyDomainDkim mail.acme.example');
  });

  it('does not let a portal send from a domain another portal holds, nor start it, nor show its records', async () => {
    claims.set('bilhuset.example', otherPortalId);
    ses.set('bilhuset.example', 'Success');
    const check = await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example');
    expect(check).toEqual({ domain: 'bilhuset.example', state: 'taken', dkimStatus: 'NotStarted', dkimTokens: [], checkedAt: start, pendingSince: start });
    expect(ses.calls).toEqual(['GetIdentity kunde@bilhuset.example bilhuset.example']);
  });

  it('does not let a subdomain send through a parent domain another portal holds: the subdomain’s own verification starts', async () => {
    claims.set('acme.example', otherPortalId);
    ses.set('acme.example', 'Success');
    const check = await new SenderVerification(ports).current(portalId, 'surveys@mail.acme.example');
    expect(check).toMatchObject({ domain: 'mail.acme.example', state: 'pending' });
    expect(ses.calls).toContain('VerifyDomainDkim mail.acme.example');
    expect(claims.get('mail.acme.example')).toBe(portalId);
  });

  it('lets every portal send from the operator’s shared domain and its subdomains, claiming nothing', async () => {
    ses.set('touchpoints.example', 'Success');
    const verification = new SenderVerification(ports);
    expect(await verification.current(portalId, 'surveys@touchpoints.example')).toMatchObject({ state: 'verified', verifiedBy: 'touchpoints.example' });
    expect(await verification.current(otherPortalId, 'bilhuset@eu.touchpoints.example')).toMatchObject({ state: 'verified', verifiedBy: 'touchpoints.example' });
    expect(claims.size).toBe(0);
  });

  it('asks SES nothing while the stored check is fresh, and again once it is stale, keeping when the wait began', async () => {
    const verification = new SenderVerification(ports);
    await verification.current(portalId, 'kunde@bilhuset.example');
    ses.calls.length = 0;
    clock = new Date(start.getTime() + 59_000);
    expect((await verification.current(portalId, 'kunde@bilhuset.example')).state).toBe('pending');
    expect(ses.calls).toEqual([]);
    clock = new Date(start.getTime() + minute);
    expect(await verification.current(portalId, 'kunde@bilhuset.example')).toMatchObject({ state: 'pending', pendingSince: start, checkedAt: clock });
    ses.set('bilhuset.example', 'Success');
    clock = new Date(start.getTime() + 2 * minute);
    const verified = await verification.current(portalId, 'kunde@bilhuset.example');
    expect(verified.state).toBe('verified');
    expect(verified.pendingSince).toBeUndefined();
  });

  it('does not start again a domain that failed: the admin fixes the records and saves the sender', async () => {
    ses.set('bilhuset.example', 'Failed');
    expect((await new SenderVerification(ports).current(portalId, 'kunde@bilhuset.example')).state).toBe('failed');
    expect(ses.calls).not.toContain('VerifyDomainDkim bilhuset.example');
  });
});

describe('SenderVerification.claim', () => {
  it('makes a new sender’s domain the portal’s', async () => {
    await new SenderVerification(ports).claim(portalId, 'post@fjordbilen.example');
    expect(claims.get('fjordbilen.example')).toBe(portalId);
  });

  it('refuses a sender on a domain another portal holds', async () => {
    claims.set('fjordbilen.example', otherPortalId);
    await expect(new SenderVerification(ports).claim(portalId, 'post@fjordbilen.example')).rejects.toThrow(SenderDomainTakenError);
  });

  it('accepts the operator’s shared domain for any portal', async () => {
    await new SenderVerification(ports).claim(portalId, 'surveys@touchpoints.example');
    expect(claims.size).toBe(0);
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

describe('MailOfUnverifiedSenders', () => {
  const due = (id: string, kind: Timer['kind'], { portal = portalId, status = 'scheduled' as Invitation['status'] } = {}) => {
    const timer = { id, kind, dueAt: new Date(start.getTime() - 1_000), dealId: '301', touchpointId: id, portalId: portal, ...(kind === 'follow_up' ? {} : { contactId: '101' }) };
    timers.set(id, timer);
    if (kind !== 'follow_up') invitations.set(`${portal}/301/${id}/101`, { ...invitationOnDeal(id, '101', status), dealId: '301' });
    return timer;
  };
  const pause = (dueTimers: (Timer & { portalId: number })[]) => new MailOfUnverifiedSenders(ports, clock).pause(dueTimers);

  it('moves the surveys and reminders of a portal with an unverified sender five minutes on, and keeps its follow-ups going', async () => {
    const dueNow = [due('survey-1', 'survey'), due('reminder-1', 'reminder', { status: 'sent' }), due('deadline-1', 'follow_up')];
    expect(await pause(dueNow)).toEqual({ go: [dueNow[2]], paused: 2, cleared: 0, failed: 0 });
    expect(timers.size).toBe(3);
    expect(timers.get('survey-1')?.dueAt).toEqual(new Date(start.getTime() + pausedMailDelayMs.first));
    expect(timers.get('reminder-1')?.dueAt).toEqual(new Date(start.getTime() + pausedMailDelayMs.first));
  });

  it('moves them as far on as the domain has waited, up to an hour', async () => {
    checks.set(portalId, { domain: 'bilhuset.example', state: 'pending', dkimStatus: 'Pending', dkimTokens: tokens, checkedAt: start, pendingSince: start });
    clock = new Date(start.getTime() + 20 * minute);
    await pause([due('survey-1', 'survey')]);
    expect(timers.get('survey-1')?.dueAt).toEqual(new Date(start.getTime() + 40 * minute));
    clock = new Date(start.getTime() + 5 * 60 * minute);
    await pause([due('survey-2', 'survey')]);
    expect(timers.get('survey-2')?.dueAt).toEqual(new Date(clock.getTime() + 60 * minute));
  });

  it('clears the timers of invitations with nothing left to send instead of moving them', async () => {
    const dueNow = [due('survey-1', 'survey', { status: 'cancelled' }), due('survey-2', 'survey', { status: 'skipped' }), due('reminder-1', 'reminder', { status: 'answered' }), due('survey-3', 'survey')];
    expect(await pause(dueNow)).toEqual({ go: [], paused: 1, cleared: 3, failed: 0 });
    expect([...timers.keys()]).toEqual(['survey-3']);
  });

  it('lets a sent survey’s timer go while paused: it sends nothing and sets the reminder', async () => {
    const sent = due('survey-1', 'survey', { status: 'sent' });
    expect(await pause([sent])).toEqual({ go: [sent], paused: 0, cleared: 0, failed: 0 });
  });

  it('lets every timer of a portal with a verified sender go, untouched', async () => {
    ses.set('bilhuset.example', 'Success');
    const dueNow = [due('survey-1', 'survey'), due('reminder-1', 'reminder', { status: 'sent' })];
    expect(await pause(dueNow)).toEqual({ go: dueNow, paused: 0, cleared: 0, failed: 0 });
    expect(timers.get('survey-1')?.dueAt).toEqual(dueNow[0]!.dueAt);
  });

  it('holds a portal whose sender is on a domain another portal holds, however verified', async () => {
    claims.set('bilhuset.example', otherPortalId);
    ses.set('bilhuset.example', 'Success');
    expect(await pause([due('survey-1', 'survey')])).toMatchObject({ go: [], paused: 1 });
  });

  it('holds only the portal whose sender is unverified', async () => {
    senderOf('post@fjordbilen.example', otherPortalId);
    ses.set('fjordbilen.example', 'Success');
    const held = due('survey-1', 'survey');
    const going = due('survey-2', 'survey', { portal: otherPortalId });
    expect(await pause([held, going])).toEqual({ go: [going], paused: 1, cleared: 0, failed: 0 });
  });

  it('checks each portal’s sender once however many pages of its timers a run reads', async () => {
    const unverified = new MailOfUnverifiedSenders(ports, clock);
    await unverified.pause([due('survey-1', 'survey')]);
    await unverified.pause([due('survey-2', 'survey')]);
    expect(ses.calls.filter((call) => call.startsWith('GetIdentity kunde@'))).toHaveLength(1);
  });

  it('leaves the mail of a portal whose sender cannot be checked where it is, unsent', async () => {
    ses.unreachable = true;
    const survey = due('survey-1', 'survey');
    expect(await pause([survey])).toEqual({ go: [], paused: 0, cleared: 0, failed: 1 });
    expect(timers.get('survey-1')).toEqual(survey);
  });

  it('asks SES nothing for a run with only follow-up deadlines', async () => {
    const deadline = due('deadline-1', 'follow_up');
    expect(await pause([deadline])).toEqual({ go: [deadline], paused: 0, cleared: 0, failed: 0 });
    expect(ses.calls).toEqual([]);
  });
});
