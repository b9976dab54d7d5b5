/**
 * The SES v1 identity calls the app makes (VerifyDomainDkim, GetIdentityDkimAttributes,
 * GetIdentityVerificationAttributes), answered in SES's query protocol (form-encoded
 * requests, XML answers) for the local SES, which aws-ses-v2-local does not implement.
 * A domain stays Pending until a tester verifies it (`verify`), or, when the local SES is
 * started so, a set time after its verification started; there is no DNS to look at.
 * An email-address identity is one a tester verified (as the operator clicks SES's link).
 * As SES does, the attribute calls answer each asked identity the account has, on its own:
 * a subdomain or an address of a verified domain is not an identity and is left out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const DomainIdentity = z.object({ dkimTokens: z.array(z.string()), startedAt: z.number(), verified: z.boolean() });
type DomainIdentity = z.infer<typeof DomainIdentity>;
const PersistedIdentities = z.record(z.string(), DomainIdentity);

/** What SES accepts as a domain: dot-separated labels of letters, digits and hyphens. */
const domainName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const identityActions = ['VerifyDomainDkim', 'GetIdentityDkimAttributes', 'GetIdentityVerificationAttributes'] as const;
export type IdentityAction = (typeof identityActions)[number];
export const isIdentityAction = (action: string | null): action is IdentityAction => identityActions.includes(action as IdentityAction);

export interface LocalSesIdentitiesOptions {
  /** A domain is verified this long after its verification started (0: at once); unset, only `verify` verifies it. */
  verifyDomainsAfterMs?: number;
  /** Kept across restarts in this file (npm start); in memory without it. */
  statePath?: string;
  now?: () => number;
}

export interface QueryAnswer {
  status: number;
  xml: string;
}

export class LocalSesIdentities {
  private readonly domains = new Map<string, DomainIdentity>();
  private readonly now: () => number;

  constructor(private readonly options: LocalSesIdentitiesOptions = {}) {
    this.now = options.now ?? Date.now;
    if (options.statePath && existsSync(options.statePath)) {
      for (const [domain, identity] of Object.entries(PersistedIdentities.parse(JSON.parse(readFileSync(options.statePath, 'utf8'))))) this.domains.set(domain, identity);
    }
  }

  /**
   * A tester's word that the domain's DNS records are in place (SES would now find them), or that
   * an address's owner clicked SES's verification link (the address becomes an identity). False
   * for a domain never started.
   */
  verify(domainOrAddress: string): boolean {
    const name = domainOrAddress.toLowerCase();
    if (name.includes('@') && !this.domains.has(name)) this.domains.set(name, { dkimTokens: [], startedAt: this.now(), verified: true });
    const identity = this.domains.get(name);
    if (!identity) return false;
    identity.verified = true;
    this.save();
    return true;
  }

  /** A domain whose records are in place from the start (the demo's sender). */
  addVerifiedDomain(domain: string): void {
    this.start(domain.toLowerCase());
    this.verify(domain);
  }

  /** Every identity (domain or address) and its status, for a tester. */
  list(): { domain: string; status: 'Pending' | 'Success' }[] {
    return [...this.domains.keys()].map((domain) => ({ domain, status: this.status(domain) }));
  }

  /** One identity call of SES's query protocol, from its form parameters. */
  answer(action: IdentityAction, parameters: URLSearchParams): QueryAnswer {
    switch (action) {
      case 'VerifyDomainDkim': {
        const domain = parameters.get('Domain')?.toLowerCase() ?? '';
        if (!domainName.test(domain)) return queryError('InvalidParameterValue', `Invalid domain name ${domain || '(none)'}.`);
        const tokens = this.start(domain).dkimTokens;
        return answerXml(action, `<DkimTokens>${tokens.map((token) => `<member>${token}</member>`).join('')}</DkimTokens>`);
      }
      case 'GetIdentityDkimAttributes':
        return answerXml(action, `<DkimAttributes>${this.known(parameters).map((name) => entry(name, this.dkimAttributes(name))).join('')}</DkimAttributes>`);
      case 'GetIdentityVerificationAttributes':
        return answerXml(action, `<VerificationAttributes>${this.known(parameters).map((domain) => entry(domain, `<VerificationStatus>${this.status(domain)}</VerificationStatus>`)).join('')}</VerificationAttributes>`);
    }
  }

  /** VerifyDomainDkim of a known domain answers its tokens again, as SES does. */
  private start(domain: string): DomainIdentity {
    const existing = this.domains.get(domain);
    if (existing) return existing;
    const identity = { dkimTokens: Array.from({ length: 3 }, () => randomBytes(16).toString('hex')), startedAt: this.now(), verified: false };
    this.domains.set(domain, identity);
    this.save();
    return identity;
  }

  /** An address has no Easy DKIM of its own: SES answers it as not enabled, not started. */
  private dkimAttributes(name: string): string {
    if (name.includes('@')) return '<DkimEnabled>false</DkimEnabled><DkimVerificationStatus>NotStarted</DkimVerificationStatus><DkimTokens></DkimTokens>';
    const tokens = this.domains.get(name)!.dkimTokens.map((token) => `<member>${token}</member>`).join('');
    return `<DkimEnabled>true</DkimEnabled><DkimVerificationStatus>${this.status(name)}</DkimVerificationStatus><DkimTokens>${tokens}</DkimTokens>`;
  }

  private status(domain: string): 'Pending' | 'Success' {
    const identity = this.domains.get(domain)!;
    const { verifyDomainsAfterMs } = this.options;
    const verifiedByTime = verifyDomainsAfterMs !== undefined && this.now() - identity.startedAt >= verifyDomainsAfterMs;
    return identity.verified || verifiedByTime ? 'Success' : 'Pending';
  }

  /** The asked identities SES knows (`Identities.member.N`); SES leaves the others out of its answer. */
  private known(parameters: URLSearchParams): string[] {
    const asked = [...parameters.entries()].filter(([name]) => /^Identities\.member\.\d+$/.test(name)).map(([, value]) => value.toLowerCase());
    return [...new Set(asked)].filter((domain) => this.domains.has(domain));
  }

  private save(): void {
    if (!this.options.statePath) return;
    mkdirSync(dirname(this.options.statePath), { recursive: true });
    writeFileSync(this.options.statePath, `${JSON.stringify(Object.fromEntries(this.domains), null, 2)}\n`);
  }
}

const sesNamespace = 'http://ses.amazonaws.com/doc/2010-12-01/';

const entry = (key: string, value: string) => `<entry><key>${key}</key><value>${value}</value></entry>`;

/** SES's query-protocol answer to `action`, its result's XML inside. */
export function answerXml(action: string, result: string): QueryAnswer {
  return {
    status: 200,
    xml: `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${sesNamespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** SES's query-protocol error; `code` becomes the SDK error's name. */
export function queryError(code: string, message: string): QueryAnswer {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    status: 400,
    xml: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${sesNamespace}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}
