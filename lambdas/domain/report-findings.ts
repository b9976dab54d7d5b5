import { daysNumber, daysText, percentagePoints, percentOf, twoDecimals, type PortalReport, type TouchpointReport, type TouchpointTiming } from '@touchpoints/contracts';
import { thinKnowledge } from './analysis.js';
import { lateAgainstPromise, slowestAgainstPromise } from './stage-timing.js';

/**
 * What a sales manager reads first: the report's findings as sentences, each with the counts
 * behind its percentages. Pure: built from the report's numbers.
 */

/** Customers who answered the overall question (or several touchpoints) before the ranking is trusted: as many as a touchpoint's mean needs. */
export const customersToRank = thinKnowledge.minAnswers;

/** A red share worth a sentence: a fifth of the answers. */
const notableRedShare = 0.2;
/** A missed-promise share worth a sentence. */
const notableMissedShare = 0.2;
/** At most this many findings: the report's first lines, not a second table. */
const mostFindings = 4;

type Finding = PortalReport['findings'][number];

/**
 * The touchpoints worth fixing first, most harmful first: (10 − mean) × impact, so a low score on
 * a touchpoint that moves the overall score leads. Touchpoints without an impact (too few answers
 * beside the overall question) follow in journey order; the overall question is not ranked.
 */
export function rankWeakestFirst(touchpoints: readonly TouchpointReport[], customers: number): Pick<PortalReport, 'weakestFirst' | 'ranking'> {
  if (customers < customersToRank) return { weakestFirst: [], ranking: { status: 'not_enough_answers', customers, needed: customersToRank } };
  const harm = ({ stats, impact }: TouchpointReport) => (stats.mean === null || !impact ? Number.NEGATIVE_INFINITY : (10 - stats.mean) * Math.max(impact.effect, 0));
  const ranked = touchpoints.filter(({ measuresOverall }) => !measuresOverall);
  // Array.prototype.sort is stable: equal harm keeps journey order.
  return { weakestFirst: [...ranked].sort((a, b) => harm(b) - harm(a)).map(({ touchpointId }) => touchpointId), ranking: { status: 'ranked', customers } };
}

/** The report's findings, most important first. */
export function reportFindings(touchpoints: readonly TouchpointReport[], ranking: Pick<PortalReport, 'weakestFirst' | 'ranking'>): Finding[] {
  const byId = new Map(touchpoints.map((touchpoint) => [touchpoint.touchpointId, touchpoint]));
  const findings: Finding[] = [];
  const described = new Set<string>();
  const add = (touchpoint: TouchpointReport, sentence: string) => {
    findings.push({ touchpointId: touchpoint.touchpointId, sentence });
    described.add(touchpoint.touchpointId);
  };

  if (ranking.ranking.status === 'ranked') {
    const ranked = ranking.weakestFirst.map((id) => byId.get(id)!);
    const harmful = ranked.filter(({ stats, impact }) => impact && impact.low > 0 && redShare(stats) >= notableRedShare);
    const weakest = ranked[0];
    // The weakest is named even while its interval still holds zero, saying so: the manager's first question is still answered.
    if (weakest && weakest !== harmful[0] && weakest.impact && redShare(weakest.stats) >= notableRedShare) {
      const { low, high } = weakest.impact;
      add(weakest, `${weakest.name} ranks weakest: ${evidence(weakest)}; how much it moves the overall score is not clear yet (${twoDecimals(low)} to ${twoDecimals(high)} points per point).`);
    }
    harmful.forEach((touchpoint, place) => {
      add(
        touchpoint,
        place === 0 && !described.size
          ? `${touchpoint.name} is where you lose customers: ${evidence(touchpoint)}. Each point less on it takes ${twoDecimals(touchpoint.impact!.effect)} points off the overall score.`
          : `${touchpoint.name} costs you too: ${evidence(touchpoint)}.`,
      );
    });
  } else {
    const { customers, needed } = ranking.ranking;
    const reddest = touchpoints
      .filter(({ measuresOverall, stats }) => !measuresOverall && stats.answers > 0 && redShare(stats) >= notableRedShare)
      .sort((a, b) => redShare(b.stats) - redShare(a.stats))[0];
    if (reddest) add(reddest, `${reddest.name} has the most red answers so far: ${evidence(reddest)}. Not enough answers to rank yet (${customers} of ${needed}).`);
  }
  // From the deals' stage history alone, so it stands without a single answer.
  const slowest = byId.get(slowestAgainstPromise(touchpoints) ?? '');
  if (slowest && !described.has(slowest.touchpointId) && lateAgainstPromise(slowest.timing)) add(slowest, slowestSentence(slowest.name, slowest.timing));
  for (const touchpoint of touchpoints) {
    const { counts } = touchpoint.stats;
    if (described.has(touchpoint.touchpointId) || counts.followUps === 0 || counts.followUpsMissed / counts.followUps < notableMissedShare) continue;
    add(touchpoint, `${touchpoint.name}: ${counts.followUpsMissed} of ${counts.followUps} follow-ups promised (${Math.round((counts.followUpsMissed / counts.followUps) * 100)}%) were missed or late.`);
  }
  return findings.slice(0, mostFindings);
}

function redShare(stats: TouchpointReport['stats']): number {
  return stats.answers === 0 ? 0 : stats.distribution.red / stats.answers;
}

const inEnglishList = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * What the report knows against a touchpoint, as one list: "62% (31 of 50) rate it red, customers
 * wait 4.1 days against a promise of 2 (24 of 30 waited longer), and deals whose customer rated it
 * red are won 31 percentage points less often (3 of 12 won, against 21 of 38)".
 */
function evidence(touchpoint: TouchpointReport): string {
  const { stats } = touchpoint;
  return inEnglishList.format([`${percentOf(stats.distribution.red, stats.answers)} rate it red`, waitClause(touchpoint), outcomeClause(touchpoint), missedClause(touchpoint)].filter(Boolean));
}

/** "customers wait 4.1 days against a promise of 2 (24 of 30 waited longer)" where its median wait exceeds its promise. */
function waitClause({ timing }: TouchpointReport): string {
  if (!lateAgainstPromise(timing)) return '';
  return `customers wait ${daysText(timing.medianDays)} against a promise of ${daysNumber(timing.promiseDays)} (${timing.late} of ${timing.waits} waited longer)`;
}

/** "deals whose customer rated it red are won 31 percentage points less often (…)" where the whole interval of the difference is below zero. */
function outcomeClause({ outcomes }: TouchpointReport): string {
  if (!outcomes.redVersusRest || outcomes.redVersusRest.high >= 0) return '';
  const [red, ...rest] = ['red', 'yellow', 'green'].map((light) => outcomes.byLight.find((group) => group.light === light)!);
  const restWon = rest.reduce((sum, { won }) => sum + won, 0);
  const restClosed = rest.reduce((sum, { closedDeals }) => sum + closedDeals, 0);
  return `deals whose customer rated it red are won ${-percentagePoints(outcomes.redVersusRest.difference)} percentage points less often (${red!.won} of ${red!.closedDeals} won, against ${restWon} of ${restClosed})`;
}

/**
 * The slowest step against its promise, from CRM facts alone: "The offer is the slowest step
 * against its promise: customers wait 4.1 days against a promise of 2; 80% (24 of 30) waited
 * longer, typically by 2.2 days. Of 36 deals at the stage before, 4 were lost there and 2 have waited
 * there over 6 days."
 */
function slowestSentence(name: string, timing: TouchpointTiming & { promiseDays: number; medianDays: number }): string {
  const lateness = timing.typicalLatenessDays === null ? '' : `, typically by ${daysText(timing.typicalLatenessDays)}`;
  const outcomes = [timing.fellOut > 0 ? `${timing.fellOut} were lost there` : '', timing.stalled > 0 ? `${timing.stalled} have waited there over ${daysText(timing.stallAfterDays)}` : ''].filter(Boolean);
  const stageBefore = outcomes.length > 0 ? ` Of ${timing.reachedStageBefore} deals at the stage before, ${outcomes.join(' and ')}.` : '';
  return `${name} is the slowest step against its promise: customers wait ${daysText(timing.medianDays)} against a promise of ${daysNumber(timing.promiseDays)}; ${percentOf(timing.late, timing.waits)} waited longer${lateness}.${stageBefore}`;
}

/** "3 of 4 follow-ups promised were missed or late" where promises were missed. */
function missedClause({ stats: { counts } }: TouchpointReport): string {
  if (counts.followUpsMissed === 0) return '';
  return `${counts.followUpsMissed} of ${counts.followUps} follow-ups promised were missed or late`;
}
