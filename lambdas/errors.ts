import { InvalidInputError, notConnectedMessage } from '@touchpoints/contracts';

/**
 * Every typed error of the back end, and the HTTP answer each one becomes
 * (`httpAnswerFor`, used by handlers/http.ts only). Nothing here imports I/O,
 * so a domain rule can throw one and a small bundle can map one.
 */

export { InvalidInputError };

/** The request could not be proven to come from HubSpot. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** Proven caller, but not allowed this (e.g. another portal's data). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** A dependency is down for now; the caller should retry (HubSpot does, on 5xx). */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

/** The portal never installed the app, or has uninstalled it: nothing is read or written for it. */
export class PortalNotInstalledError extends Error {
  override readonly name = 'PortalNotInstalledError';
  constructor(readonly portalId: number) {
    super(`portal ${portalId} has not installed the app`);
  }
}

/** A deal event started touchpoints in a portal whose settings are missing: retried until they exist. */
export class PortalNotConfiguredError extends Error {
  override readonly name = 'PortalNotConfiguredError';
  constructor(readonly portalId: number) {
    super(`portal ${portalId} has touchpoints but no settings`);
  }
}

/** Someone else changed or created the item since the version the caller read. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly what: string,
    readonly expectedVersion: number | undefined,
  ) {
    super(
      expectedVersion === undefined
        ? `${what} already exists`
        : `${what} was changed by someone else since version ${expectedVersion}`,
    );
  }
}

/** A template step the admin did not map to one of the portal's stages. */
export class UnmappedStepError extends Error {
  override readonly name = 'UnmappedStepError';
  constructor(readonly step: string) {
    super(`step ${step} is not mapped to a pipeline stage`);
  }
}

/** The portal's sender domain is not verified in SES, which would refuse the mail. */
export class SenderDomainNotVerifiedError extends Error {
  override readonly name = 'SenderDomainNotVerifiedError';
  constructor(
    readonly domain: string,
    readonly state: 'pending' | 'failed',
  ) {
    super(
      state === 'failed'
        ? `SES could not verify the sender domain ${domain}: check its DNS records (Touchpoints settings → Portal), then save the sender again`
        : `The sender domain ${domain} is not verified yet: add its DNS records (Touchpoints settings → Portal); SES verifies it once it finds them`,
    );
  }
}

/**
 * The sender's domain is held by another portal (SES identities belong to the whole account):
 * this portal may not send from it, and may not verify it in its name.
 */
export class SenderDomainTakenError extends Error {
  override readonly name = 'SenderDomainTakenError';
  constructor(readonly domain: string) {
    super(`The sender domain ${domain} is used by another HubSpot account with Touchpoints: choose a sender address on a domain of your own`);
  }
}

/** What the request names does not exist (for this portal): "touchpoint offer", "an answer of contact 103 on deal 303 about offer". */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly what: string) {
    super(`No ${what}`);
  }
}

/** A side effect (a task, a mail) is being made by another run right now: retried later, or by the person once it is done. */
export class EffectInFlightError extends Error {
  override readonly name = 'EffectInFlightError';
  constructor(readonly key: string) {
    super(`${key} is being done by another run; retrying later`);
  }
}

/** The answer exists but gets no interview task: it is green, or the contact was interviewed lately (domain/interviews.ts). */
export class InterviewRefusedError extends Error {
  override readonly name = 'InterviewRefusedError';
}

/** The OAuth callback was not ours, expired, or HubSpot refused its code. */
export class InstallRefusedError extends Error {
  override readonly name = 'InstallRefusedError';
}

/** SQS would not take every event even after retries: the caller must not acknowledge the webhook. */
export class EventsNotQueuedError extends Error {
  override readonly name = 'EventsNotQueuedError';
  constructor(readonly failedCount: number) {
    super(`${failedCount} event(s) could not be queued`);
  }
}

/** The journal no longer has the offset we stopped at (entries are kept 3 days): start again from the earliest. */
export class JournalOffsetGoneError extends Error {
  override readonly name = 'JournalOffsetGoneError';
}

export interface HttpAnswer {
  status: number;
  body: { message: string; problems?: string[] };
  headers?: Record<string, string>;
}

const retrySoon = { 'retry-after': '5' };

/**
 * Each typed error's HTTP answer. Errors only background work throws (the
 * journal's, a missing configuration) still have one, so no typed error can
 * become a 500 if it ever reaches a handler.
 */
const answers: [new (...args: never[]) => Error, (error: never) => HttpAnswer][] = [
  [InvalidInputError, (error: InvalidInputError) => ({ status: 400, body: { message: `Invalid ${error.what}`, problems: error.problems } })],
  [UnmappedStepError, (error: UnmappedStepError) => ({ status: 400, body: { message: 'Invalid template choice', problems: [`stageOfStep.${error.step}: choose the stage for this step`] } })],
  [InstallRefusedError, (error: InstallRefusedError) => ({ status: 400, body: { message: error.message } })],
  [UnauthenticatedError, (error: UnauthenticatedError) => ({ status: 401, body: { message: error.message } })],
  [ForbiddenError, (error: ForbiddenError) => ({ status: 403, body: { message: error.message } })],
  [PortalNotInstalledError, () => ({ status: 404, body: { message: notConnectedMessage } })],
  [NotFoundError, (error: NotFoundError) => ({ status: 404, body: { message: error.message } })],
  [InterviewRefusedError, (error: InterviewRefusedError) => ({ status: 409, body: { message: error.message } })],
  [EffectInFlightError, () => ({ status: 409, body: { message: 'This is being done by another request: try again in a moment' } })],
  [VersionConflictError, (error: VersionConflictError) => ({ status: 409, body: { message: error.message } })],
  [PortalNotConfiguredError, () => ({ status: 409, body: { message: 'Save the portal settings (the sender) first' } })],
  [SenderDomainNotVerifiedError, (error: SenderDomainNotVerifiedError) => ({ status: 409, body: { message: error.message } })],
  [SenderDomainTakenError, (error: SenderDomainTakenError) => ({ status: 409, body: { message: error.message } })],
  [ServiceUnavailableError, (error: ServiceUnavailableError) => ({ status: 503, body: { message: error.message }, headers: retrySoon })],
  [EventsNotQueuedError, () => ({ status: 503, body: { message: 'events could not be queued; retry' }, headers: retrySoon })],
  [JournalOffsetGoneError, () => ({ status: 503, body: { message: 'Touchpoints is briefly unavailable; try again in a minute' }, headers: retrySoon })],
];

/** The answer for a typed error; undefined for anything else (the caller decides: an outage, or a 500). */
export function httpAnswerFor(error: unknown): HttpAnswer | undefined {
  const entry = answers.find(([type]) => error instanceof type);
  return entry ? entry[1](error as never) : undefined;
}
