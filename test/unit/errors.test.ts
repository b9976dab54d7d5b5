import { describe, expect, it } from 'vitest';
import * as errors from '../../lambdas/errors.js';
import { errorResponse } from '../../lambdas/http/responses.js';

/** One instance of every typed error, with the status it must answer. */
const examples: Record<string, [Error, number]> = {
  InvalidInputError: [new errors.InvalidInputError('touchpoint', ['name: must not be empty']), 400],
  UnmappedStepError: [new errors.UnmappedStepError('offersent'), 400],
  InstallRefusedError: [new errors.InstallRefusedError('This install link is not ours or has expired'), 400],
  UnauthenticatedError: [new errors.UnauthenticatedError('HubSpot signature missing'), 401],
  ForbiddenError: [new errors.ForbiddenError('the request names a portal HubSpot did not vouch for'), 403],
  PortalNotInstalledError: [new errors.PortalNotInstalledError(4711), 404],
  NotFoundError: [new errors.NotFoundError('touchpoint offer'), 404],
  EffectInFlightError: [new errors.EffectInFlightError('interview-303-offer-103'), 409],
  InterviewRefusedError: [new errors.InterviewRefusedError('The answer is 9/10, green: interviews are for red and yellow answers'), 409],
  VersionConflictError: [new errors.VersionConflictError('touchpoint offer', 3), 409],
  PortalNotConfiguredError: [new errors.PortalNotConfiguredError(4711), 409],
  SenderDomainNotVerifiedError: [new errors.SenderDomainNotVerifiedError('nordiccars.example', 'pending'), 409],
  SenderDomainTakenError: [new errors.SenderDomainTakenError('nordiccars.example'), 409],
  ServiceUnavailableError: [new errors.ServiceUnavailableError('events could not be queued; retry'), 503],
  EventsNotQueuedError: [new errors.EventsNotQueuedError(2), 503],
  JournalOffsetGoneError: [new errors.JournalOffsetGoneError('no offset 42'), 503],
};

const errorClasses = Object.entries(errors).filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error);

describe('the one error map', () => {
  it('has an example here for every typed error the back end defines', () => {
    expect(errorClasses.map(([name]) => name).sort()).toEqual(Object.keys(examples).sort());
  });

  it.each(Object.entries(examples))('answers %s with its status and a message, never a 500', (name, [error, status]) => {
    expect(error.constructor.name).toBe(name);
    const response = errorResponse(error);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body!)).toMatchObject({ message: expect.stringMatching(/\S/) });
    if (status === 503) expect(response.headers?.['retry-after']).toMatch(/^\d+$/);
  });

  it('answers anything untyped with a 500 that says nothing about why', () => {
    const response = errorResponse(new TypeError('cannot read properties of undefined (reading "secret")'));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body!)).toEqual({ message: 'Internal error' });
  });
});
