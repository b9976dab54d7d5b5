import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestStack } from '../support/local-stack.js';
import {
  cardRefusesJunkRecords,
  configSchemasExplainEveryRefusal,
  fuzzRunsFromEnvironment,
  oauthCallbackRefusesJunk,
  portalSettingsWritesRefuseJunk,
  signedWebhookJunkIsRefused,
  surveyFormsRefuseJunk,
  surveyLinksRefuseJunk,
  touchpointWritesRefuseJunk,
  unsignedCardRequestsAreRefused,
  unsignedWebhooksAreRefused,
  unsubscribeLinksRefuseJunk,
  validSurveyToken,
  type FuzzStack,
} from './properties.js';

const numRuns = fuzzRunsFromEnvironment();
let stack: FuzzStack;

beforeAll(async () => {
  stack = await startTestStack();
  await validSurveyToken(stack); // the one setup that stores something, before any property's snapshot
});
afterAll(() => stack.close());

describe('the webhook under generated input', () => {
  it('refuses every signed body that is not a valid batch with 400 and stores nothing', () => signedWebhookJunkIsRefused(stack, numRuns));
  it('refuses every unsigned, garbage-signed or stale body with 401, even a valid batch', () => unsignedWebhooksAreRefused(stack, numRuns));
});

describe('the survey pages under generated input', () => {
  it('answers garbage tokens with 404 and a live token with a bad score with 400, recording nothing', () => surveyLinksRefuseJunk(stack, numRuns));
  it('refuses every form that is not a real score for a live token with a 4xx page', () => surveyFormsRefuseJunk(stack, numRuns));
  it('unsubscribes nobody for a garbage token, with 404', () => unsubscribeLinksRefuseJunk(stack, numRuns));
});

describe('the card under generated input', () => {
  it('answers a signed request for a junk record with 400 naming the field (200 when the record is valid)', () => cardRefusesJunkRecords(stack, numRuns));
  it('refuses every unsigned or garbage-signed request with 401', () => unsignedCardRequestsAreRefused(stack, numRuns));
});

describe('the settings back end under generated input', () => {
  it('refuses every touchpoint write that cannot be valid with 400 and stores nothing', () => touchpointWritesRefuseJunk(stack, numRuns));
  it('refuses every portal settings write that cannot be valid with 400 and stores nothing', () => portalSettingsWritesRefuseJunk(stack, numRuns));
});

describe('the OAuth callback under generated input', () => {
  it('refuses any code and unsigned state with a 400 page and installs nothing', () => oauthCallbackRefusesJunk(stack, numRuns));
});

describe('the configuration schemas under generated input', () => {
  it('never throw, and name a problem for every refusal', () => configSchemasExplainEveryRefusal(numRuns * 5));
});
