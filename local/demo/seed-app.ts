import { PortalSettings } from '../../lambdas/domain/settings.js';
import { applyTemplate, carDealerTemplate } from '../../lambdas/domain/templates.js';
import type { TouchpointsStore } from '../../lambdas/store/store.js';
import { demoAccessToken } from './car-dealer.js';

const demoRefreshToken = 'local-demo-refresh-token';

const seededBy = 'demo-seed';

/**
 * The demo portal's app configuration: the car-dealer template on the demo
 * pipeline. Written only where nothing is stored yet, so restarts keep what
 * the admin changed.
 */
export async function seedDemoConfiguration(store: TouchpointsStore, portalId: number, pipelineId: string): Promise<{ created: number }> {
  let created = 0;
  if (!(await store.getInstall(portalId))) {
    // The sandbox's long-lived demo token stands in for the OAuth install.
    await store.saveInstall(portalId, { accessToken: demoAccessToken, refreshToken: demoRefreshToken, expiresAt: new Date('2099-01-01T00:00:00Z') });
  }
  if (!(await store.getSettings(portalId))) {
    const settings = PortalSettings.parse({
      sender: { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' },
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
