/**
 * Fixtures and a fake settings API for the settings page's tests: a car dealer with a sales
 * pipeline and a journey from the showroom visit to the delivery. Every fixture goes through the
 * contract's own schemas, so a test cannot pass on data the λ could never send.
 */
import { vi, type Mock } from 'vitest';
import { InterviewTask, PipelineView, PortalReport, PortalSettings, type Problems, SenderDomainView, type SenderDomainState, SettingsView, TemplateView, TouchpointDefinition, type TouchpointDefinitionInput, TouchpointView } from '@touchpoints/contracts';
import type { SettingsApi, WriteResult } from '../hooks/settings-api-client.js';

export const carSales = PipelineView.parse({
  id: 'car-sales',
  label: 'Car sales',
  stages: [
    { id: 'lead', label: 'Lead' },
    { id: 'showroom', label: 'Showroom visit' },
    { id: 'test-drive-booked', label: 'Test drive booked' },
    { id: 'meeting-held', label: 'Sales meeting held' },
    { id: 'offer-sent', label: 'Offer sent' },
    { id: 'contract-signed', label: 'Contract signed' },
    { id: 'delivered', label: 'Delivered' },
  ],
});

export const fleetSales = PipelineView.parse({
  id: 'fleet-sales',
  label: 'Fleet sales',
  stages: [
    { id: 'fleet-enquiry', label: 'Enquiry' },
    { id: 'fleet-test-drive', label: 'Test drive booked' },
    { id: 'fleet-offer', label: 'Offer sent' },
    { id: 'fleet-delivered', label: 'Delivered' },
  ],
});

/** A touchpoint on the car sales pipeline, asked in English a day after its stage; override what the test is about. */
export function touchpointFixture(
  overrides: Partial<TouchpointDefinitionInput> & Pick<TouchpointDefinitionInput, 'id' | 'name'>,
): TouchpointDefinition {
  return TouchpointDefinition.parse({
    phase: 'pre_purchase',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'lead' },
    question: { en: 'How was it?' },
    sendDelay: { amount: 1, unit: 'days' },
    followUp: null,
    enabled: true,
    position: 0,
    ...overrides,
  });
}

export function rowFixture(touchpoint: TouchpointDefinition, overrides: Partial<Omit<TouchpointView, 'touchpoint'>> = {}) {
  return TouchpointView.parse({
    touchpoint,
    version: 3,
    changedAt: '2025-05-02T08:00:00.000Z',
    changedBy: 'mette@nordiccars.example',
    problems: [],
    ...overrides,
  });
}

export const showroomVisit = rowFixture(
  touchpointFixture({
    id: 'showroom-visit',
    name: 'Showroom visit',
    phase: 'influence',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'showroom' },
    question: { en: 'How welcome did you feel in our showroom?' },
  }),
);

export const testDrive = rowFixture(
  touchpointFixture({
    id: 'test-drive',
    name: 'Test drive',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'test-drive-booked' },
    question: {
      en: 'How was your test drive?',
      da: 'Hvordan var din prøvetur?',
      nb: 'Hvordan var prøvekjøringen din?',
    },
    sendDelay: { amount: 2, unit: 'hours' },
    position: 1,
  }),
  { version: 7 },
);

export const salesMeeting = rowFixture(
  touchpointFixture({
    id: 'sales-meeting',
    name: 'Sales meeting',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'meeting-held' },
    question: { en: 'How useful was the meeting with your salesperson?', da: 'Hvor nyttigt var mødet med din sælger?' },
    followUp: { expect: 'stage', stageId: 'offer-sent', within: { amount: 2, unit: 'days' } },
    position: 2,
  }),
);

/** Its stage was deleted in HubSpot after the touchpoint was set up. */
export const theOffer = rowFixture(
  touchpointFixture({
    id: 'the-offer',
    name: 'The offer',
    phase: 'purchase',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'offer-drafted' },
    question: { en: 'How clear was our offer?' },
  }),
  { problems: ['trigger.stageId: no stage offer-drafted in pipeline Car sales'] },
);

export const delivery = rowFixture(
  touchpointFixture({
    id: 'delivery',
    name: 'Delivery',
    phase: 'post_purchase',
    trigger: { type: 'deal_stage', pipelineId: carSales.id, stageId: 'delivered' },
    question: { en: 'How was the handover of your new car?', nb: 'Hvordan var overleveringen av den nye bilen?' },
    enabled: false,
  }),
);

export const portalFixture = {
  settings: PortalSettings.parse({ sender: { name: 'Nordic Cars', email: 'hello@nordiccars.example' } }),
  version: 4,
  changedAt: '2025-04-30T12:00:00.000Z',
  changedBy: 'mette@nordiccars.example',
};

const sesStatusOf = { verified: 'Success', pending: 'Pending', failed: 'Failed' } as const;

/** The sender domain of `portalFixture` as SES last saw it, with its three DKIM records (none when another portal holds it). */
export function senderDomainFixture(state: SenderDomainState = 'verified'): SenderDomainView {
  return SenderDomainView.parse({
    domain: 'nordiccars.example',
    state,
    records: state === 'taken' ? [] : ['k7x2', 'p9q4', 'z3m8'].map((token) => ({ name: `${token}._domainkey.nordiccars.example`, type: 'CNAME', value: `${token}.dkim.amazonses.com`, status: sesStatusOf[state] })),
    checkedAt: '2025-05-02T08:05:00.000Z',
  });
}

export const carDealerTemplate = TemplateView.parse({
  id: 'car-dealer',
  name: 'Car dealer',
  steps: [
    { id: 'test-drive', label: 'Test drive booked' },
    { id: 'offer', label: 'Offer sent' },
    { id: 'handover', label: 'Car handed over' },
  ],
  touchpointNames: ['Test drive', 'The offer', 'Delivery'],
});

export const b2bSoftwareTemplate = TemplateView.parse({
  id: 'b2b-software',
  name: 'B2B software',
  steps: [
    { id: 'demo', label: 'Demo held' },
    { id: 'proposal', label: 'Proposal sent' },
  ],
  touchpointNames: ['Demo', 'Proposal'],
});

export const blankTemplate = TemplateView.parse({ id: 'blank', name: 'Blank', steps: [], touchpointNames: [] });

/** The dealer midway through setting up: five touchpoints, one of them on a deleted stage. */
export function settingsViewFixture(overrides: Partial<SettingsView> = {}): SettingsView {
  return SettingsView.parse({
    portal: portalFixture,
    // Deliberately out of journey order: the page must sort them.
    touchpoints: [delivery, theOffer, salesMeeting, testDrive, showroomVisit],
    pipelines: [carSales, fleetSales],
    templates: [carDealerTemplate, b2bSoftwareTemplate, blankTemplate],
    recentChanges: [
      { changedAt: '2025-05-02T08:00:00.000Z', changedBy: 'mette@nordiccars.example', change: 'Changed “Test drive”' },
      { changedAt: '2025-04-30T12:00:00.000Z', changedBy: 'jonas@nordiccars.example', change: 'Saved the portal settings' },
    ],
    owners: [
      { id: '61001', name: 'Mette Kjær' },
      { id: '61002', name: 'Jonas Holm' },
    ],
    senderDomain: senderDomainFixture(),
    ...overrides,
  });
}

/** A portal that has installed Touchpoints and set up nothing yet. */
export function emptySettingsViewFixture(): SettingsView {
  return settingsViewFixture({ portal: null, touchpoints: [], recentChanges: [], senderDomain: null });
}

function statsFixture(touchpointId: string, stats: Partial<PortalReport['touchpoints'][number]['stats']>) {
  return {
    touchpointId,
    answers: 0,
    mean: null,
    light: null,
    distribution: { red: 0, yellow: 0, green: 0 },
    responseRate: null,
    coverage: null,
    thin: true,
    missedFollowUpRate: null,
    counts: { passed: 0, invited: 0, followUps: 0, followUpsMissed: 0 },
    trend: [],
    ...stats,
  };
}

/** A touchpoint's waiting times; none by default (no deal has moved into its stage). */
export function timingFixture(timing: Partial<PortalReport['touchpoints'][number]['timing']> = {}) {
  return {
    waits: 0,
    medianDays: null,
    p75Days: null,
    p90Days: null,
    promiseDays: null,
    late: 0,
    lateShare: null,
    typicalLatenessDays: null,
    reachedStageBefore: 0,
    fellOut: 0,
    stalled: 0,
    stallAfterDays: 30,
    ...timing,
  };
}

/** The seed's slow offer from the deals' stage history: a median of 4.1 days against the 2 promised after the meeting, 24 of 30 late. */
export const slowOfferTiming = timingFixture({
  waits: 30,
  medianDays: 4.12,
  p75Days: 5.2,
  p90Days: 5.8,
  promiseDays: 2,
  late: 24,
  lateShare: 0.8,
  typicalLatenessDays: 2.18,
  reachedStageBefore: 36,
  fellOut: 4,
  stalled: 2,
  stallAfterDays: 6,
});

/**
 * The dealer's report: a strong showroom, a test drive with too few answers to trust, a weak
 * sales meeting that moves the overall score most, and an offer nobody has answered yet.
 */
export function reportFixture(overrides: Partial<PortalReport> = {}): PortalReport {
  return PortalReport.parse({
    touchpoints: [
      {
        touchpointId: 'showroom-visit',
        measuresOverall: false,
        name: 'Showroom visit',
        phase: 'influence',
        stats: statsFixture('showroom-visit', {
          answers: 40,
          mean: 8.6,
          light: 'green',
          distribution: { red: 2, yellow: 6, green: 32 },
          responseRate: 0.5,
          coverage: 0.4,
          counts: { passed: 100, invited: 80, followUps: 0, followUpsMissed: 0 },
          thin: false,
          trend: [
            { month: '2025-03', mean: 8.2, answers: 18 },
            { month: '2025-04', mean: 8.9, answers: 22 },
          ],
        }),
        impact: { touchpointId: 'showroom-visit', effect: 0.12, low: -0.05, high: 0.3, answers: 38 },
        comments: { red: 1, yellow: 2, green: 7 },
        themes: [],
        timing: timingFixture(),
      },
      {
        touchpointId: 'test-drive',
        measuresOverall: false,
        name: 'Test drive',
        phase: 'pre_purchase',
        stats: statsFixture('test-drive', {
          answers: 4,
          mean: 6.5,
          light: 'yellow',
          distribution: { red: 1, yellow: 2, green: 1 },
          responseRate: 0.4,
          coverage: 0.08,
          counts: { passed: 50, invited: 10, followUps: 0, followUpsMissed: 0 },
          trend: [{ month: '2025-04', mean: 6.5, answers: 4 }],
        }),
        impact: null,
        comments: { red: 0, yellow: 0, green: 0 },
        themes: [],
        timing: timingFixture(),
      },
      {
        touchpointId: 'sales-meeting',
        measuresOverall: false,
        name: 'Sales meeting',
        phase: 'pre_purchase',
        stats: statsFixture('sales-meeting', {
          answers: 30,
          mean: 4.2,
          light: 'red',
          distribution: { red: 20, yellow: 7, green: 3 },
          responseRate: 0.6,
          coverage: 0.5,
          thin: false,
          missedFollowUpRate: 0.25,
          counts: { passed: 60, invited: 50, followUps: 8, followUpsMissed: 2 },
          trend: [{ month: '2025-04', mean: 4.2, answers: 30 }],
        }),
        impact: { touchpointId: 'sales-meeting', effect: 0.45, low: 0.3, high: 0.61, answers: 28 },
        comments: { red: 18, yellow: 6, green: 6 },
        themes: [
          { light: 'red', language: 'da', label: 'for sent', comments: 9, quotes: ['Tilbuddet kom for sent', 'Svaret kom alt for sent, vi havde købt bil et andet sted'] },
          { light: 'red', language: 'da', label: 'ingen ringede', comments: 6, quotes: ['Ingen ringede tilbage'] },
        ],
        timing: timingFixture(),
      },
      {
        touchpointId: 'the-offer',
        measuresOverall: false,
        name: 'The offer',
        phase: 'purchase',
        stats: statsFixture('the-offer', {}),
        impact: null,
        comments: { red: 0, yellow: 0, green: 0 },
        themes: [],
        timing: timingFixture(),
      },
    ],
    weakestFirst: ['sales-meeting', 'showroom-visit', 'test-drive', 'the-offer'],
    ranking: { status: 'ranked', customers: 52 },
    findings: [{ touchpointId: 'sales-meeting', sentence: 'Sales meeting is where you lose customers: 67% (20 of 30) rate it red. Each point less on it takes 0.45 points off the overall score.' }],
    slowestAgainstPromise: null,
    customers: 52,
    generatedAt: '2025-05-02T08:00:00.000Z',
    readFromAnswers: [],
    interviews: interviewsFixture(),
    ...overrides,
  });
}

/**
 * Whom to interview about the weak sales meeting: Jonas's customer with a red answer, and Mette's
 * with a yellow one (the second list of a weak touchpoint can be empty).
 */
export function interviewsFixture(): PortalReport['interviews'] {
  return [
    {
      touchpointId: 'sales-meeting',
      candidates: [
        { dealId: '302', contactId: '102', ownerId: '61002', score: 2, light: 'red', answeredAt: '2025-04-28T09:00:00.000Z', comment: 'Nobody explained the financing.' },
        { dealId: '304', contactId: '105', ownerId: '61001', score: 6, light: 'yellow', answeredAt: '2025-04-25T15:30:00.000Z', comment: 'We waited twenty minutes.' },
      ],
    },
    { touchpointId: 'test-drive', candidates: [] },
  ];
}

/** The deal owner's task for the first candidate, as the λ answers a first click. */
export const interviewTaskFixture = InterviewTask.parse({
  taskId: '9001',
  subject: 'Interview Ingrid about Sales meeting',
  ownerId: '61002',
  ownerName: 'Jonas Holm',
  requestedAt: '2025-05-02T08:10:00.000Z',
  created: true,
});

/** The dealer's report as the λ's CSV. */
export const reportCsvFixture =
  'touchpointId,name,answers,mean\nshowroom-visit,Showroom visit,40,8.6\nsales-meeting,Sales meeting,30,4.2\n';

export function accepted<Answer>(answer: Answer): WriteResult<Answer> {
  return { outcome: 'accepted', answer };
}

export function refused(...problems: string[]): WriteResult<never> {
  const refusal: Problems = { message: 'The change was refused', problems };
  return { outcome: 'invalid', problems: refusal };
}

export function staleVersion(): WriteResult<never> {
  return { outcome: 'conflict', problems: { message: 'expectedVersion 3 is not the current version 4' } };
}

export type FakeSettingsApi = { [Method in keyof SettingsApi]: Mock<SettingsApi[Method]> };

/** The settings λ as a test wants it: everything succeeds unless the test says otherwise. */
export function fakeSettingsApi(view: SettingsView = settingsViewFixture()): FakeSettingsApi {
  return {
    loadSettings: vi.fn<SettingsApi['loadSettings']>(async () => view),
    saveTouchpoint: vi.fn<SettingsApi['saveTouchpoint']>(async () => accepted({ version: 8 })),
    deleteTouchpoint: vi.fn<SettingsApi['deleteTouchpoint']>(async () => accepted(null)),
    savePortalSettings: vi.fn<SettingsApi['savePortalSettings']>(async () => accepted({ version: 5 })),
    applyTemplate: vi.fn<SettingsApi['applyTemplate']>(async () =>
      accepted({ created: ['test-drive', 'the-offer', 'delivery'], skipped: [] }),
    ),
    sendTestSurvey: vi.fn<SettingsApi['sendTestSurvey']>(async () => accepted({ sentTo: 'mette@nordiccars.example' })),
    disconnect: vi.fn<SettingsApi['disconnect']>(async () => accepted(null)),
    loadReport: vi.fn<SettingsApi['loadReport']>(async () => reportFixture()),
    loadReportCsv: vi.fn<SettingsApi['loadReportCsv']>(async () => reportCsvFixture),
    requestInterview: vi.fn<SettingsApi['requestInterview']>(async () => ({ outcome: 'accepted', task: interviewTaskFixture })),
    customerNames: vi.fn<SettingsApi['customerNames']>(async () => ({})),
  };
}
