/**
 * Period summaries (domain/period-summary.ts): per calendar month one item per touchpoint and
 * one with the month's journey statistics, all in the portal's summary partition, sorted by
 * month. A month is written whole, each item overwritten with the same `computedAt`, so a month
 * is read back only when all its items carry one time.
 */
import { type Period, PeriodSummary, type TouchpointPeriodActivity } from '../domain/period-summary.js';
import { journeySummarySuffix, keys } from './keys.js';
import type { Invitations } from './invitations.js';
import type { Item, TableAccess } from './table-access.js';

export class PeriodSummaries {
  constructor(
    private readonly table: TableAccess,
    private readonly invitations: Invitations,
  ) {}

  /** The stored summaries of the months from `from` to `to`, in one Query. */
  async periodSummaries(portalId: number, from: Period, to: Period): Promise<PeriodSummary[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.periodSummaries(portalId).PK, ':from': `${from}#`, ':to': `${to}#\uffff` },
    });
    const byPeriod = Map.groupBy(items, (item) => String(item.period));
    return [...byPeriod].flatMap(([period, ofPeriod]) => {
      const journeys = ofPeriod.find((item) => String(item.SK).endsWith(journeySummarySuffix));
      // A month caught between two writes (items of two times) is left for the report to compute again.
      if (!journeys || ofPeriod.some((item) => item.computedAt !== journeys.computedAt)) return [];
      const stored = PeriodSummary.safeParse({
        period,
        computedAt: new Date(String(journeys.computedAt)),
        overallTouchpointIds: journeys.overallTouchpointIds,
        lostDealTouchpointIds: journeys.lostDealTouchpointIds,
        customers: journeys.customers,
        journeys: journeys.blocks,
        touchpoints: ofPeriod.filter((item) => item !== journeys).map(({ summary }: Item) => summary),
      });
      // So is a month stored before its summary gained a field (such as the comments' terms): it no longer parses.
      return stored.success ? [stored.data] : [];
    });
  }

  /** Overwrites a month's summary: its journey statistics and every touchpoint's numbers, with one `computedAt`. */
  async savePeriodSummary(portalId: number, summary: PeriodSummary): Promise<void> {
    const written = { period: summary.period, computedAt: summary.computedAt.toISOString() };
    const journeyKey = keys.journeySummary(portalId, summary.period);
    const touchpointKeys = summary.touchpoints.map((touchpoint) => ({ key: keys.touchpointSummary(portalId, summary.period, touchpoint.touchpointId), touchpoint }));
    await Promise.all([
      this.table.put({ ...journeyKey, ...written, overallTouchpointIds: summary.overallTouchpointIds, lostDealTouchpointIds: summary.lostDealTouchpointIds, customers: summary.customers, blocks: summary.journeys }),
      ...touchpointKeys.map(({ key, touchpoint }) => this.table.put({ ...key, ...written, summary: touchpoint })),
    ]);
    // A deleted touchpoint's item of an earlier computation would keep the month's items of two times, so the month would never be read back.
    const kept = new Set([journeyKey.SK, ...touchpointKeys.map(({ key }) => key.SK)]);
    await Promise.all((await this.monthItemKeys(portalId, summary.period)).filter(({ SK }) => !kept.has(SK)).map((key) => this.table.delete(key)));
  }

  /** A touchpoint's invitations created in the month, their answers, its follow-ups started in it, and the deals closed in it: the touchpoint's partition of that month. */
  async touchpointPeriodActivity(portalId: number, touchpointId: string, period: Period): Promise<TouchpointPeriodActivity> {
    const { invitations, responses, followUps, dealOutcomes, interviews } = await this.invitations.recordActivity(portalId, { objectType: 'touchpoint', objectId: touchpointId, period });
    return { touchpointId, invitations, responses, followUps, ...(dealOutcomes ? { dealOutcomes } : {}), ...(interviews ? { interviews } : {}) };
  }

  /**
   * Drops a month's stored summary, every item of it (the touchpoints' items may quote a comment),
   * so the next report computes it again from the raw items: after an interview got its notes, or
   * a contact whose comment a summary quotes was forgotten.
   */
  async forgetPeriodSummary(portalId: number, period: Period): Promise<void> {
    await Promise.all((await this.monthItemKeys(portalId, period)).map((key) => this.table.delete(key)));
  }

  /** The keys of a month's summary items: its journey item and every touchpoint's, whenever computed. */
  private async monthItemKeys(portalId: number, period: Period): Promise<{ PK: string; SK: string }[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :month)',
      ExpressionAttributeValues: { ':pk': keys.periodSummaries(portalId).PK, ':month': `${period}#` },
      ProjectionExpression: 'PK, SK',
    });
    return items.map(({ PK, SK }) => ({ PK: String(PK), SK: String(SK) }));
  }
}
