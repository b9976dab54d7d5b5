import { GetIdentityDkimAttributesCommand, GetIdentityVerificationAttributesCommand, type SESClient, VerifyDomainDkimCommand } from '@aws-sdk/client-ses';
import { SesVerificationStatus } from '@touchpoints/contracts';
import { optionalEnv } from '../config.js';
import type { SesDomainIdentity } from '../domain/sender-domain.js';
import { sesClientFor } from './send.js';

/** What the app asks SES about a sender domain (SES v1 identity calls): start Easy DKIM, and read where it stands. */
export interface SenderIdentities {
  /** VerifyDomainDkim: adds the domain to the account's identities (if new) and answers its DKIM tokens. */
  startDkimVerification(domain: string): Promise<string[]>;
  /** The domain's verification and DKIM attributes; undefined when SES does not know the domain. */
  domainIdentity(domain: string): Promise<SesDomainIdentity | undefined>;
}

/** The SES v1 API through `@aws-sdk/client-ses`; locally its endpoint is the local SES. */
export class SesSenderIdentities implements SenderIdentities {
  constructor(private readonly ses: SESClient) {}

  async startDkimVerification(domain: string): Promise<string[]> {
    const { DkimTokens } = await this.ses.send(new VerifyDomainDkimCommand({ Domain: domain }));
    return DkimTokens ?? [];
  }

  async domainIdentity(domain: string): Promise<SesDomainIdentity | undefined> {
    const [verification, dkim] = await Promise.all([
      this.ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [domain] })),
      this.ses.send(new GetIdentityDkimAttributesCommand({ Identities: [domain] })),
    ]);
    const verified = verification.VerificationAttributes?.[domain];
    const signed = dkim.DkimAttributes?.[domain];
    // SES leaves an identity it does not know out of both maps.
    if (!verified && !signed) return undefined;
    return {
      verificationStatus: SesVerificationStatus.parse(verified?.VerificationStatus ?? 'NotStarted'),
      dkimStatus: SesVerificationStatus.parse(signed?.DkimVerificationStatus ?? 'NotStarted'),
      dkimTokens: signed?.DkimTokens ?? [],
    };
  }
}

/** The function's SES identity client from its environment (locally SES_ENDPOINT). */
export function senderIdentitiesFromEnvironment(): SenderIdentities {
  return new SesSenderIdentities(sesClientFor(optionalEnv('SES_ENDPOINT')));
}
