import { hubspot, logger } from '@hubspot/ui-extensions';
import { z } from 'zod';
import { CustomerNames, CustomerNamesRequest, InterviewRequest, InterviewTask, notConnectedMessage, PortalReport, type PortalSettings, PortalSettingsWrite, Problems, ReportFilter, Saved, API_BASE_URL, SettingsView, TemplateApplied, TemplateChoice, TestSurveyRequest, TestSurveySent, type TouchpointDefinition, TouchpointWrite } from '@touchpoints/contracts';

/**
 * HubSpot cuts every `hubspot.fetch` off at 15 s; asking for less leaves the admin a spinner of
 * at most 10 s and an error they can act on.
 */
export const SETTINGS_REQUEST_TIMEOUT_MS = 10_000;

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** What came back: the status and the JSON body (null for a 204, or an error page that is not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** One request to the settings λ; a test hands the client its own. */
export type FetchJson = (method: HttpMethod, path: string, body?: Record<string, unknown>) => Promise<JsonAnswer>;

/** What a text request (the report's CSV) came back with: the status and the body as sent. */
export interface TextAnswer {
  status: number;
  text: string;
}

/** One GET for text rather than JSON over the same signed proxy; a test hands the client its own. */
export type FetchText = (path: string) => Promise<TextAnswer>;

/** The part of `hubspot.fetch` the page uses, so a test can stand in for HubSpot's proxy. */
export type HubSpotFetch = typeof hubspot.fetch;

/** A failure the admin can act on, worded for them (error states and alerts show `message`). */
export class SettingsApiError extends Error {
  override readonly name: string = 'SettingsApiError';
}

/** The portal has not installed Touchpoints, or has uninstalled it: the admin can connect it. */
export class NotConnectedError extends SettingsApiError {
  override readonly name = 'NotConnectedError';
  constructor() {
    super(notConnectedMessage);
  }
}

export type TemplateChoice = z.infer<typeof TemplateChoice>;
export type Saved = z.infer<typeof Saved>;
export type TemplateApplied = z.infer<typeof TemplateApplied>;
export type TestSurveySent = z.infer<typeof TestSurveySent>;

/**
 * How a change went: `accepted` with the λ's answer, `invalid` (400: the problems name their
 * fields) or `conflict` (409: someone else saved a newer version first).
 */
export type WriteResult<Answer> =
  | { outcome: 'accepted'; answer: Answer }
  | { outcome: 'invalid'; problems: Problems }
  | { outcome: 'conflict'; problems: Problems };

/**
 * How asking for an interview went: the owner's task (made now, or by an earlier click), or why
 * there is none (400, 404 or 409: the λ's message says it, e.g. a contact interviewed lately).
 */
export type InterviewResult = { outcome: 'accepted'; task: InterviewTask } | { outcome: 'refused'; message: string };

/** Everything the settings page asks of the settings λ. */
export interface SettingsApi {
  loadSettings(): Promise<SettingsView>;
  saveTouchpoint(touchpoint: TouchpointDefinition, expectedVersion: number | null): Promise<WriteResult<Saved>>;
  deleteTouchpoint(touchpointId: string, expectedVersion: number): Promise<WriteResult<null>>;
  savePortalSettings(settings: PortalSettings, expectedVersion: number | null): Promise<WriteResult<Saved>>;
  applyTemplate(templateId: string, choice: TemplateChoice): Promise<WriteResult<TemplateApplied>>;
  sendTestSurvey(touchpointId: string): Promise<WriteResult<TestSurveySent>>;
  /** Uninstalls the app from the portal and deletes everything Touchpoints stored for it. */
  disconnect(): Promise<WriteResult<null>>;
  /** The portal's touchpoint analysis, narrowed to the filter's pipeline, owner and days. */
  loadReport(filter?: ReportFilter): Promise<PortalReport>;
  /** The same report as CSV (the λ's `GET /report?format=csv`), for the admin to copy into a spreadsheet. */
  loadReportCsv(filter?: ReportFilter): Promise<string>;
  /** The deal owner's "Interview {name} about {touchpoint}" task for one listed customer, made once. */
  requestInterview(request: InterviewRequest): Promise<InterviewResult>;
  /** The listed customers' names from HubSpot, by contact id (a contact without a name, or gone, is left out). */
  customerNames(contactIds: readonly string[]): Promise<Record<string, string>>;
}

const unreadableAnswer = 'Touchpoints sent an answer this page cannot read.';

/** A refusal as the error the admin sees: "not connected" when the λ says so, else by status. */
function refusal(status: number, body: unknown): SettingsApiError {
  return status === 404 && refusalOf(body, '').message === notConnectedMessage ? new NotConnectedError() : new SettingsApiError(messageForStatus(status));
}

function messageForStatus(status: number): string {
  if (status === 401 || status === 403) return 'You do not have access to the Touchpoints settings of this portal.';
  if (status === 429) return 'Touchpoints is busy right now. Try again in a moment.';
  if (status >= 500) return 'Touchpoints could not handle this right now. Try again in a moment.';
  return `Touchpoints refused the request (HTTP ${status}).`;
}

/** A `FetchJson` over HubSpot's proxy (or a test's stand-in for it). */
export function fetchJsonOver(fetch: HubSpotFetch): FetchJson {
  return async (method, path, body) => {
    const response = await fetch(`${API_BASE_URL}${path}`, {
      method,
      timeout: SETTINGS_REQUEST_TIMEOUT_MS,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status === 204) return { status: response.status, body: null };
    try {
      return { status: response.status, body: (await response.json()) as unknown };
    } catch {
      // A proxy's HTML error page says nothing the admin can use; a 2xx must be JSON.
      if (response.ok) throw new SettingsApiError(unreadableAnswer);
      return { status: response.status, body: null };
    }
  };
}

/** A `FetchText` over HubSpot's proxy (or a test's stand-in for it). */
export function fetchTextOver(fetch: HubSpotFetch): FetchText {
  return async (path) => {
    const response = await fetch(`${API_BASE_URL}${path}`, { method: 'GET', timeout: SETTINGS_REQUEST_TIMEOUT_MS });
    return { status: response.status, text: await response.text() };
  };
}

/** A client built without a way to fetch text cannot fetch the CSV, and says so. */
const noTextFetch: FetchText = async () => {
  throw new SettingsApiError('This page cannot fetch the CSV.');
};

function answerOf<Answer>(schema: z.ZodType<Answer>, body: unknown, what: string): Answer {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    // A page older or newer than the λ: the admin gets a plain message, the developer the details.
    logger.warn(`Touchpoints settings ${what} failed validation: ${z.prettifyError(parsed.error)}`);
    throw new SettingsApiError(unreadableAnswer);
  }
  return parsed.data;
}

function refusalOf(body: unknown, fallback: string): Problems {
  const parsed = Problems.safeParse(body);
  return parsed.success ? parsed.data : { message: fallback };
}

/** A write's answer as a `WriteResult`; statuses the admin cannot fix in a form throw. */
function writeResultOf<Answer>(answer: JsonAnswer, accepted: (body: unknown) => Answer): WriteResult<Answer> {
  const { status, body } = answer;
  if (status >= 200 && status < 300) return { outcome: 'accepted', answer: accepted(body) };
  if (status === 400) return { outcome: 'invalid', problems: refusalOf(body, 'Touchpoints refused the change.') };
  if (status === 409) {
    return { outcome: 'conflict', problems: refusalOf(body, 'Someone else changed this since you opened it.') };
  }
  throw refusal(status, body);
}

function touchpointPath(touchpointId: string): string {
  return `/settings/touchpoints/${encodeURIComponent(touchpointId)}`;
}

/** The filter's chosen values as query parameters, checked against the contract first. */
function reportQuery(filter: ReportFilter): [string, string][] {
  return Object.entries(ReportFilter.parse(filter)).filter((entry): entry is [string, string] => !!entry[1]);
}

/** The settings API over one way of sending requests; every answer is checked against the contract. */
export function settingsApiOver(fetchJson: FetchJson, fetchText: FetchText = noTextFetch): SettingsApi {
  return {
    async loadSettings() {
      const { status, body } = await fetchJson('GET', '/settings');
      if (status !== 200) throw refusal(status, body);
      return answerOf(SettingsView, body, 'view');
    },

    async saveTouchpoint(touchpoint, expectedVersion) {
      const write = TouchpointWrite.parse({ touchpoint, expectedVersion });
      const answer = await fetchJson('PUT', touchpointPath(touchpoint.id), write);
      return writeResultOf(answer, (body) => answerOf(Saved, body, 'save answer'));
    },

    async deleteTouchpoint(touchpointId, expectedVersion) {
      const query = new URLSearchParams({ expectedVersion: String(expectedVersion) });
      const answer = await fetchJson('DELETE', `${touchpointPath(touchpointId)}?${query.toString()}`);
      return writeResultOf(answer, () => null);
    },

    async savePortalSettings(settings, expectedVersion) {
      const write = PortalSettingsWrite.parse({ settings, expectedVersion });
      const answer = await fetchJson('PUT', '/settings/portal', write);
      return writeResultOf(answer, (body) => answerOf(Saved, body, 'save answer'));
    },

    async applyTemplate(templateId, choice) {
      const answer = await fetchJson(
        'POST',
        `/settings/templates/${encodeURIComponent(templateId)}`,
        TemplateChoice.parse(choice),
      );
      return writeResultOf(answer, (body) => answerOf(TemplateApplied, body, 'template answer'));
    },

    async sendTestSurvey(touchpointId) {
      const answer = await fetchJson('POST', '/settings/test-survey', TestSurveyRequest.parse({ touchpointId }));
      return writeResultOf(answer, (body) => answerOf(TestSurveySent, body, 'test survey answer'));
    },

    async disconnect() {
      return writeResultOf(await fetchJson('DELETE', '/settings/install'), () => null);
    },

    async loadReport(filter = {}) {
      const query = new URLSearchParams(reportQuery(filter)).toString();
      const { status, body } = await fetchJson('GET', query ? `/report?${query}` : '/report');
      if (status !== 200) throw refusal(status, body);
      return answerOf(PortalReport, body, 'report');
    },

    async loadReportCsv(filter = {}) {
      const query = new URLSearchParams([['format', 'csv'], ...reportQuery(filter)]).toString();
      const { status, text } = await fetchText(`/report?${query}`);
      if (status !== 200) throw new SettingsApiError(messageForStatus(status));
      return text;
    },

    async requestInterview(request) {
      const { status, body } = await fetchJson('POST', '/settings/interviews', InterviewRequest.parse(request));
      if (status === 200 || status === 201) return { outcome: 'accepted', task: answerOf(InterviewTask, body, 'interview task') };
      const notConnected = status === 404 && refusalOf(body, '').message === notConnectedMessage;
      if (notConnected || ![400, 404, 409].includes(status)) throw refusal(status, body);
      const { message, problems = [] } = refusalOf(body, 'Touchpoints made no interview task.');
      return { outcome: 'refused', message: [message, ...problems].join(' — ') };
    },

    async customerNames(contactIds) {
      const { status, body } = await fetchJson('POST', '/settings/interviews/names', CustomerNamesRequest.parse({ contactIds }));
      if (status !== 200) throw refusal(status, body);
      return answerOf(CustomerNames, body, 'customer names').names;
    },
  };
}

/** The page's API in HubSpot. `hubspot.fetch` is looked up per call: it exists only in HubSpot's worker. */
export const settingsApiFromHubSpot: SettingsApi = settingsApiOver(
  fetchJsonOver((url, options) => hubspot.fetch(url, options)),
  fetchTextOver((url, options) => hubspot.fetch(url, options)),
);
