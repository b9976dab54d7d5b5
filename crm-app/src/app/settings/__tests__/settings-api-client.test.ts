import { describe, expect, it, vi } from 'vitest';
import {
  fetchJsonOver,
  fetchTextOver,
  NotConnectedError,
  SettingsApiError,
  settingsApiOver,
  type FetchJson,
  type HubSpotFetch,
  type JsonAnswer,
} from '../hooks/settings-api-client.js';
import { API_BASE_URL, notConnectedMessage } from '@touchpoints/contracts';
import { interviewTaskFixture, portalFixture, settingsViewFixture, testDrive } from '../test-utils/mocks.js';

/** Stands in for the settings λ: answers every request with `answer`. */
function lambdaAnswering(answer: JsonAnswer) {
  return vi.fn<FetchJson>(async () => answer);
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the settings API client', () => {
  it('loads the settings with a GET and checks them against the contract', async () => {
    const view = settingsViewFixture();
    const fetchJson = lambdaAnswering({ status: 200, body: view });
    await expect(settingsApiOver(fetchJson).loadSettings()).resolves.toEqual(view);
    expect(fetchJson).toHaveBeenCalledExactlyOnceWith('GET', '/settings');
  });

  it('refuses settings that break the contract, in words the admin can read', async () => {
    const fetchJson = lambdaAnswering({ status: 200, body: { ...settingsViewFixture(), pipelines: 'none' } });
    await expect(settingsApiOver(fetchJson).loadSettings()).rejects.toThrow(
      new SettingsApiError('Touchpoints sent an answer this page cannot read.'),
    );
  });

  it('puts a touchpoint under its id with the version it was based on', async () => {
    const fetchJson = lambdaAnswering({ status: 200, body: { version: 8 } });
    const result = await settingsApiOver(fetchJson).saveTouchpoint(testDrive.touchpoint, 7);
    expect(result).toEqual({ outcome: 'accepted', answer: { version: 8 } });
    expect(fetchJson).toHaveBeenCalledExactlyOnceWith('PUT', '/settings/touchpoints/test-drive', {
      touchpoint: testDrive.touchpoint,
      expectedVersion: 7,
    });
  });

  it('hands back the problems of a 400 for the form to show', async () => {
    const problems = { message: 'Invalid touchpoint', problems: ['trigger.stageId: must not be empty'] };
    const fetchJson = lambdaAnswering({ status: 400, body: problems });
    await expect(settingsApiOver(fetchJson).saveTouchpoint(testDrive.touchpoint, 7)).resolves.toEqual({
      outcome: 'invalid',
      problems,
    });
  });

  it('reports a 409 as a conflict with a newer version', async () => {
    const fetchJson = lambdaAnswering({ status: 409, body: { message: 'version 8 is newer than 7' } });
    await expect(settingsApiOver(fetchJson).savePortalSettings(portalFixture.settings, 4)).resolves.toEqual({
      outcome: 'conflict',
      problems: { message: 'version 8 is newer than 7' },
    });
  });

  it('deletes with the expected version in the query', async () => {
    const fetchJson = lambdaAnswering({ status: 204, body: null });
    await expect(settingsApiOver(fetchJson).deleteTouchpoint('test-drive', 7)).resolves.toEqual({
      outcome: 'accepted',
      answer: null,
    });
    expect(fetchJson).toHaveBeenCalledExactlyOnceWith('DELETE', '/settings/touchpoints/test-drive?expectedVersion=7');
  });

  it('tells apart a portal Touchpoints is not connected to, on a read and on a write', async () => {
    const fetchJson = lambdaAnswering({ status: 404, body: { message: notConnectedMessage } });
    await expect(settingsApiOver(fetchJson).loadSettings()).rejects.toThrow(NotConnectedError);
    await expect(settingsApiOver(fetchJson).savePortalSettings(portalFixture.settings, 3)).rejects.toThrow(NotConnectedError);
  });

  it('does not take any 404 for "not connected"', async () => {
    const fetchJson = lambdaAnswering({ status: 404, body: { message: 'No such settings route: GET /settings' } });
    const failure = await settingsApiOver(fetchJson).loadSettings().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SettingsApiError);
    expect(failure).not.toBeInstanceOf(NotConnectedError);
  });

  it('asks for an interview with a POST and hands back the owner’s task, made now or earlier', async () => {
    const fetchJson = lambdaAnswering({ status: 201, body: interviewTaskFixture });
    const request = { touchpointId: 'sales-meeting', dealId: '302', contactId: '102' };
    await expect(settingsApiOver(fetchJson).requestInterview(request)).resolves.toEqual({ outcome: 'accepted', task: interviewTaskFixture });
    expect(fetchJson).toHaveBeenCalledExactlyOnceWith('POST', '/settings/interviews', request);
    const again = lambdaAnswering({ status: 200, body: { ...interviewTaskFixture, created: false } });
    await expect(settingsApiOver(again).requestInterview(request)).resolves.toEqual({ outcome: 'accepted', task: { ...interviewTaskFixture, created: false } });
  });

  it('hands back why no interview task was made, for a 400, a 404 or a 409', async () => {
    const request = { touchpointId: 'sales-meeting', dealId: '302', contactId: '102' };
    const refusals: [JsonAnswer, string][] = [
      [{ status: 400, body: { message: 'Invalid interview request', problems: ['contactId: must be a HubSpot record id'] } }, 'Invalid interview request — contactId: must be a HubSpot record id'],
      [{ status: 404, body: { message: 'No answer of contact 102 on deal 302 about Sales meeting' } }, 'No answer of contact 102 on deal 302 about Sales meeting'],
      [{ status: 409, body: { message: 'The answer is 9/10, green: interviews are for red and yellow answers' } }, 'The answer is 9/10, green: interviews are for red and yellow answers'],
    ];
    const results = await Promise.all(refusals.map(([answer]) => settingsApiOver(lambdaAnswering(answer)).requestInterview(request)));
    expect(results).toEqual(refusals.map(([, message]) => ({ outcome: 'refused', message })));
  });

  it('asks for the listed customers’ names with one POST and hands back the names found', async () => {
    const fetchJson = lambdaAnswering({ status: 200, body: { names: { '102': 'Anders Berg' } } });
    await expect(settingsApiOver(fetchJson).customerNames(['102', '105'])).resolves.toEqual({ '102': 'Anders Berg' });
    expect(fetchJson).toHaveBeenCalledExactlyOnceWith('POST', '/settings/interviews/names', { contactIds: ['102', '105'] });
    await expect(settingsApiOver(lambdaAnswering({ status: 429, body: {} })).customerNames(['102'])).rejects.toThrow(SettingsApiError);
  });

  it('tells a portal that is not connected apart from an interview refused', async () => {
    const fetchJson = lambdaAnswering({ status: 404, body: { message: notConnectedMessage } });
    await expect(settingsApiOver(fetchJson).requestInterview({ touchpointId: 'sales-meeting', dealId: '302', contactId: '102' })).rejects.toThrow(NotConnectedError);
  });

  it('throws what the admin should know when the λ fails', async () => {
    const fetchJson = lambdaAnswering({ status: 503, body: null });
    await expect(settingsApiOver(fetchJson).sendTestSurvey('test-drive')).rejects.toThrow(
      new SettingsApiError('Touchpoints could not handle this right now. Try again in a moment.'),
    );
  });
});

describe('requests through HubSpot’s proxy', () => {
  it('sends the method and body to the settings λ’s origin, with a timeout', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => json({ sentTo: 'mette@nordiccars.example' }));
    const answer = await fetchJsonOver(fetch)('POST', '/settings/test-survey', { touchpointId: 'test-drive' });
    expect(answer).toEqual({ status: 200, body: { sentTo: 'mette@nordiccars.example' } });
    expect(fetch).toHaveBeenCalledExactlyOnceWith(`${API_BASE_URL}/settings/test-survey`, {
      method: 'POST',
      timeout: 10_000,
      body: { touchpointId: 'test-drive' },
    });
  });

  it('reads an empty answer as no body', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => new Response(null, { status: 204 }));
    await expect(fetchJsonOver(fetch)('DELETE', '/settings/touchpoints/x?expectedVersion=1')).resolves.toEqual({
      status: 204,
      body: null,
    });
  });

  it('refuses a successful answer that is not JSON', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => new Response('<html>Bad gateway</html>', { status: 200 }));
    await expect(fetchJsonOver(fetch)('GET', '/settings')).rejects.toThrow(SettingsApiError);
  });

  it('asks for the report as CSV with the filter and hands back the text as sent', async () => {
    const csv = 'touchpointId,mean\nsales-meeting,4.2\n';
    const fetch = vi.fn<HubSpotFetch>(async () => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv' } }));
    const api = settingsApiOver(fetchJsonOver(fetch), fetchTextOver(fetch));
    await expect(api.loadReportCsv({ ownerId: '61002' })).resolves.toBe(csv);
    expect(fetch).toHaveBeenCalledExactlyOnceWith(`${API_BASE_URL}/report?format=csv&ownerId=61002`, {
      method: 'GET',
      timeout: 10_000,
    });
  });
});
