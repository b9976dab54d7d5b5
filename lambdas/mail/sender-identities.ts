import { GetIdentityDkimAttributesCommand, GetIdentityVerificationAttributesCommand, type SESClient, VerifyDomainDkimCommand } from '@aws-sdk/client-ses';
import { SesVerificationStatus } from '@touchpoints/contracts';
import { optionalEnv } from '../config.js';
import type { SesIdentity } from '../domain/sender-domain.js';
import { sesClientFor } from './send.js';

/** What the app asks SES about senders (SES v1 identity calls): start Easy DKIM, and read where identities stand. */
export interface SenderIdentities {
  /** VerifyDomainDkim: adds the domain to the account's identities (if new) and answers its DKIM tokens. */
  startDkimVerification(domain: string): Promise<string[]>;
  /**
   * The verification and DKIM attributes of these identities (addresses or domains, at most 100:
   * one call of each kind), keyed as asked; SES leaves an identity it does not know out.
   */
  identities(names: readonly string[]): Promise<Map<string, SesIdentity>>;
}

/** The SES v1 API through `@aws-sdk/client-ses`; locally its endpoint is the local SES. */
export class SesSenderIdentities implements SenderIdentities {
  constructor(private readonly ses: SESClient) {}

  async startDkimVerification(domain: string): Promise<string[]> {
    const { DkimTokens } = await this.ses.send(new VerifyDomainDkimCommand({ Domain: domain }));
    return DkimTokens ?? [];
  }

  async identities(names: readonly string[]): Promise<Map<string, SesIdentity>> {
    const [verification, dkim] = await Promise.all([
      this.ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [...names] })),
      this.ses.send(new GetIdentityDkimAttributesCommand({ Identities: [...names] })),
    ]);
    const known = new Map<string, SesIdentity>();
    for (const name of names) {
      const verified = verification.VerificationAttributes?.[name];
      const signed = dkim.DkimAttributes?.[name];
      if (!verified && !signed) continue;
      known.set(name, {
        verificationStatus: SesVerificationStatus.parse(verified?.VerificationStatus ?? 'NotStarted'),
        dkimStatus: SesVerificationStatus.parse(signed?.DkimVerificationStatus ?? 'NotStarted'),
        dkimTokens: signed?.DkimTokens ?? [],
      });
    }
    return known;
  }
}

/** The function's SES identity client from its environment (locally SES_ENDPOINT). */
export function senderIdentitiesFromEnvironment(): SenderIdentities {
  return new SesSenderIdentities(sesClientFor(optionalEnv('SES_ENDPOINT')));
}

/**
 * The operator's own sender domains every portal may send from (`SHARED_SENDER_DOMAINS`, comma
 * separated; the CDK stack sets it from `-c senderDomain`). Any other domain is held by the
 * first portal that uses it.
 */
export function sharedSenderDomainsFromEnvironment(): string[] {
  return (optionalEnv('SHARED_SENDER_DOMAINS') ?? '').split(',').map((domain) => domain.trim().toLowerCase()).filter(Boolean);
}
