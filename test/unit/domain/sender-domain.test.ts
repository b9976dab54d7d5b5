import { describe, expect, it } from 'vitest';
import { SenderDomainView, type SesVerificationStatus } from '@touchpoints/contracts';
import { dkimRecords, isSharedSenderDomain, pausedMailDelay, pausedTimerFate, senderCheckIsStale, senderDomainOf, senderDomainState, senderDomainView, senderIdentitiesOf, type SenderDomainCheck } from '../../../lambdas/domain/sender-domain.js';
import { invitationOnDeal } from '../../support/in-memory-store.js';

const checkedAt = new Date('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(checkedAt.getTime() + ms);
const tokens = ['abc123', 'def456', 'ghi789'];

const check = (change: Partial<SenderDomainCheck> = {}): SenderDomainCheck => ({
  domain: 'bilhuset.example',
  state: 'pending',
  dkimStatus: 'Pending',
  dkimTokens: tokens,
  checkedAt,
  ...change,
});

describe('senderDomainOf', () => {
  it('is the part after the @, in lower case', () => {
    expect(senderDomainOf('Kundeservice@Bilhuset.Example')).toBe('bilhuset.example');
  });

  it('refuses a value that is no address', () => {
    expect(() => senderDomainOf('bilhuset.example')).toThrow(RangeError);
    expect(() => senderDomainOf('someone@')).toThrow(RangeError);
  });
});

describe('senderIdentitiesOf', () => {
  it('is the address, its domain and each parent domain, closest first, without the top-level domain', () => {
    expect(senderIdentitiesOf('surveys@mail.eu.acme.example')).toEqual(['surveys@mail.eu.acme.example', 'mail.eu.acme.example', 'eu.acme.example', 'acme.example']);
  });

  it('is the address and its domain for a domain with no parent but the top level', () => {
    expect(senderIdentitiesOf('kunde@Bilhuset.Example')).toEqual(['kunde@bilhuset.example', 'bilhuset.example']);
  });
});

describe('isSharedSenderDomain', () => {
  it('shares a shared domain and its subdomains, and nothing that only ends in the same letters', () => {
    expect(isSharedSenderDomain('touchpoints.example', ['touchpoints.example'])).toBe(true);
    expect(isSharedSenderDomain('eu.touchpoints.example', ['touchpoints.example'])).toBe(true);
    expect(isSharedSenderDomain('eviltouchpoints.example', ['touchpoints.example'])).toBe(false);
    expect(isSharedSenderDomain('touchpoints.example', [])).toBe(false);
  });
});

describe('pausedMailDelay', () => {
  it('is five minutes for a domain that just began waiting, as long as it has waited after that, and an hour at most', () => {
    expect(pausedMailDelay(check({ pendingSince: checkedAt }), at(60_000))).toBe(5 * 60_000);
    expect(pausedMailDelay(check({ pendingSince: checkedAt }), at(25 * 60_000))).toBe(25 * 60_000);
    expect(pausedMailDelay(check({ pendingSince: checkedAt }), at(5 * 3_600_000))).toBe(3_600_000);
  });

  it('counts from the check for one stored before the wait was kept', () => {
    expect(pausedMailDelay(check(), at(30 * 60_000))).toBe(30 * 60_000);
  });
});

describe('pausedTimerFate', () => {
  const invitation = (status: Parameters<typeof invitationOnDeal>[2], reminderSentAt?: Date) => ({ ...invitationOnDeal('offer', '101', status), ...(reminderSentAt ? { reminderSentAt } : {}) });
  it.each([
    ['survey', invitation('scheduled'), 'postpone'],
    ['survey', invitation('sent'), 'go'],
    ['survey', invitation('cancelled'), 'clear'],
    ['survey', invitation('skipped'), 'clear'],
    ['survey', undefined, 'clear'],
    ['reminder', invitation('sent'), 'postpone'],
    ['reminder', invitation('sent', checkedAt), 'clear'],
    ['reminder', invitation('answered'), 'clear'],
    ['reminder', invitation('opted_out'), 'clear'],
  ] as const)('a %s timer of %o is to %s', (kind, pausedInvitation, fate) => {
    expect(pausedTimerFate(kind, pausedInvitation)).toBe(fate);
  });
});

describe('senderDomainState', () => {
  const cases: [SesVerificationStatus, SesVerificationStatus, string][] = [
    ['Success', 'Pending', 'verified'],
    ['Pending', 'Success', 'verified'],
    ['Failed', 'Success', 'verified'],
    ['Pending', 'Pending', 'pending'],
    ['TemporaryFailure', 'Pending', 'pending'],
    ['NotStarted', 'NotStarted', 'pending'],
    ['Pending', 'TemporaryFailure', 'pending'],
    ['Failed', 'Pending', 'failed'],
    ['Pending', 'Failed', 'failed'],
  ];
  it.each(cases)('verification %s with DKIM %s is %s', (verificationStatus, dkimStatus, state) => {
    expect(senderDomainState({ verificationStatus, dkimStatus })).toBe(state);
  });
});

describe('dkimRecords', () => {
  it('gives one CNAME per token, from {token}._domainkey.{domain} to {token}.dkim.amazonses.com', () => {
    expect(dkimRecords('bilhuset.example', tokens, 'Pending')).toEqual([
      { name: 'abc123._domainkey.bilhuset.example', type: 'CNAME', value: 'abc123.dkim.amazonses.com', status: 'Pending' },
      { name: 'def456._domainkey.bilhuset.example', type: 'CNAME', value: 'def456.dkim.amazonses.com', status: 'Pending' },
      { name: 'ghi789._domainkey.bilhuset.example', type: 'CNAME', value: 'ghi789.dkim.amazonses.com', status: 'Pending' },
    ]);
  });
});

describe('senderCheckIsStale', () => {
  it('asks SES when nothing was checked yet', () => {
    expect(senderCheckIsStale(undefined, 'bilhuset.example', checkedAt)).toBe(true);
  });

  it('asks SES when the sender moved to another domain, however fresh the check', () => {
    expect(senderCheckIsStale(check(), 'fjordbilen.example', checkedAt)).toBe(true);
  });

  it('trusts a pending check for under a minute', () => {
    expect(senderCheckIsStale(check(), 'bilhuset.example', at(59_999))).toBe(false);
    expect(senderCheckIsStale(check(), 'bilhuset.example', at(60_000))).toBe(true);
  });

  it('trusts a verified check for under an hour', () => {
    const verified = check({ state: 'verified', dkimStatus: 'Success' });
    expect(senderCheckIsStale(verified, 'bilhuset.example', at(3_599_999))).toBe(false);
    expect(senderCheckIsStale(verified, 'bilhuset.example', at(3_600_000))).toBe(true);
  });
});

describe('senderDomainView', () => {
  it('shows the state, the records with their DKIM status and when SES was asked, as the contract has it', () => {
    const view = senderDomainView(check({ state: 'failed', dkimStatus: 'Failed' }));
    expect(SenderDomainView.parse(view)).toEqual(view);
    expect(view).toMatchObject({ domain: 'bilhuset.example', state: 'failed', checkedAt: '2026-12-01T10:00:00.000Z' });
    expect(view.records).toHaveLength(3);
    expect(view.records.map(({ status }) => status)).toEqual(['Failed', 'Failed', 'Failed']);
  });
});
