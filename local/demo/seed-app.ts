import { dayMs, PortalSettings } from '@touchpoints/contracts';
import { applyTemplate, carDealerTemplate } from '../../lambdas/domain/templates.js';
import type { TouchpointsStore } from '../../lambdas/store/store.js';
import type { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { demoAccessToken } from './car-dealer.js';

const demoRefreshToken = 'local-demo-refresh-token';

const seededBy = 'demo-seed';

/**
 * The sandbox's long-lived demo token stands in for the OAuth install; `installedAt` when the demo
 * portal installs the app again (an uninstall journaled before it then no longer stands).
 */
export async function saveDemoInstall(store: TouchpointsStore, portalId: number, sealer: TokenSealer, installedAt?: Date): Promise<void> {
  await store.saveInstall(portalId, {
    accessToken: sealer.seal(demoAccessToken),
    refreshToken: sealer.seal(demoRefreshToken),
    expiresAt: new Date('2099-01-01T00:00:00Z'),
    ...(installedAt ? { installedAt } : {}),
  });
}

/** Who the demo portal's surveys come from; the local SES has its domain verified from the start. */
export const demoSender = { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' };

/**
 * The demo portal has used the app this long before the stack first starts: its seeded journey
 * and generated customers (up to half a year back) fall after its install, where the report
 * (which starts at the install) looks for them.
 */
const demoInstalledDaysAgo = 365;

/**
 * The demo portal's app configuration: the car-dealer template on the demo
 * pipeline. Written only where nothing is stored yet, so restarts keep what
 * the admin changed.
 */
export async function seedDemoConfiguration(store: TouchpointsStore, portalId: number, pipelineId: string, sealer: TokenSealer, now: Date): Promise<{ created: number }> {
  let created = 0;
  if (!(await store.getInstall(portalId))) await saveDemoInstall(store, portalId, sealer, new Date(now.getTime() - demoInstalledDaysAgo * dayMs));
  if (!(await store.getSettings(portalId))) {
    const settings = PortalSettings.parse({
      sender: demoSender,
      defaultLanguage: 'da',
      // A car purchase passes five touchpoints in a few weeks: ask at most once a day.
      fatigue: { atMostOneSurveyPerDays: 1 },
    });
    await store.saveSettings(portalId, settings, { expectedVersion: undefined, changedBy: seededBy });
    created += 1;
  }
  const existing = new Set((await store.listTouchpoints(portalId)).map(({ value }) => value.id));
  const identity = Object.fromEntries(carDealerTemplate.steps.map(({ id }) => [id, id]));
  for (const touchpoint of applyTemplate(carDealerTemplate, pipelineId, identity)) {
    if (existing.has(touchpoint.id)) continue;
    await store.saveTouchpoint(portalId, touchpoint, { expectedVersion: undefined, changedBy: seededBy });
    created += 1;
  }
  return { created };
}


/**
 * A journey already under way, so the card shows the product at once:
 * Ingrid Haugen (Norwegian) on deal 303 liked the test drive, found the
 * sales meeting fine, and rated the late offer red: the offer promised within
 * 2 days of the sales meeting went out after 7 (the deal is in "Offer sent"),
 * so the promise reads as kept, 5 days late. Written once; later starts keep
 * what is there.
 */
export async function seedDemoActivity(store: TouchpointsStore, portalId: number, now: Date): Promise<{ created: number }> {
  const deal = { dealId: '303', contactId: '103', companyId: '204' };
  if ((await store.listInvitations(portalId, deal.dealId)).length > 0) return { created: 0 };
  const answers = [
    { touchpointId: 'test-drive', score: 9, daysAgo: 20, comment: 'Fin prøvetur, god tid til spørsmål.' },
    { touchpointId: 'sales-meeting', score: 7, daysAgo: 14, comment: undefined },
    { touchpointId: 'offer', score: 3, daysAgo: 6, comment: 'Tilbudet kom først etter en uke.' },
  ];
  for (const { touchpointId, score, daysAgo, comment } of answers) {
    const answeredAt = new Date(now.getTime() - daysAgo * dayMs);
    const invitation = { ...deal, touchpointId, language: 'nb' as const, createdAt: answeredAt, sendAt: answeredAt, ownerId: '61003' };
    await store.createInvitation(portalId, { ...invitation, status: 'sent' });
    await store.saveResponse(portalId, { ...deal, touchpointId, score, ...(comment ? { comment } : {}), firstAnsweredAt: answeredAt, answeredAt });
  }
  const meetingAt = new Date(now.getTime() - 14 * dayMs);
  const offerSentAt = new Date(now.getTime() - 7 * dayMs);
  await store.saveFollowUp(
    portalId,
    {
      touchpointId: 'sales-meeting',
      dealId: deal.dealId,
      expectation: { expect: 'stage', stageId: 'offersent' },
      promise: 'Deal reaches Offer sent within 2 days',
      contactIds: [deal.contactId],
      companyId: deal.companyId,
      startedAt: meetingAt,
      dueAt: new Date(meetingAt.getTime() + 2 * dayMs),
      status: 'kept_late',
      keptAt: offerSentAt,
      ownerId: '61003',
      ownerName: 'Sofie Lund',
    },
  );
  return { created: answers.length + 1 };
}
