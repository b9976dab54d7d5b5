/**
 * The car dealer's deals of the half year before the demo starts, with their stage history in the
 * sandbox (HubSpot's `propertiesWithHistory` of `dealstage`): the install's backfill reads them, so
 * the report's timing has a past without a single survey answer. As in the seed's story, the offer
 * usually comes about four days after the sales meeting against the two days promised, some come in
 * time, and some buyers are lost after the meeting. Deterministic: the same deals every start.
 */
import { mulberry32 } from '../../lambdas/domain/analysis.js';
import type { PortalSeed, RecordSeed } from '../hubspot-sandbox/model.js';
import { carDealerPortal, carSalesPipelineId, carSalesStages, demoOwnerIds } from './car-dealer.js';

const cars = ['Skoda Kodiaq', 'VW ID.3', 'Kia EV3', 'Toyota Yaris Cross', 'Volvo XC60', 'Ford Kuga', 'Peugeot 3008', 'Hyundai Tucson', 'BMW iX1', 'Renault Scenic'];
const buyers = ['Mikkel Bach', 'Karen Vestergaard', 'Oskar Dahl', 'Signe Holm', 'Emil Krogh', 'Astrid Friis', 'Jonas Berg', 'Nora Lie', 'Viktor Skov', 'Ella Brandt', 'Magnus Aas', 'Clara Winther'];

/** How many deals, and the first one's id (after the demo's own 301–310). */
const dealCount = 48;
const firstDealId = 401;

/** A deal's path: each stage it entered, days before the seed, oldest first. */
function stagePath(random: () => number, startedDaysBefore: number): { stageId: string; daysBeforeSeed: number }[] {
  const between = (low: number, high: number) => low + random() * (high - low);
  const path: { stageId: string; daysBeforeSeed: number }[] = [{ stageId: carSalesStages.testDrive, daysBeforeSeed: startedDaysBefore }];
  // Each next stage comes this long after the last, unless the deal is still waiting for it when the demo starts.
  const next = (stageId: string, days: number) => {
    const daysBeforeSeed = path.at(-1)!.daysBeforeSeed - days;
    if (daysBeforeSeed <= 0) return false;
    path.push({ stageId, daysBeforeSeed });
    return true;
  };
  if (!next(carSalesStages.salesMeeting, between(1, 4))) return path;
  const afterMeeting = random();
  // One in ten buyers is lost after the meeting; of the rest, one in five gets the offer within the promised two days.
  if (afterMeeting < 0.1) {
    next(carSalesStages.closedLost, between(3, 10));
    return path;
  }
  if (!next(carSalesStages.offerSent, afterMeeting < 0.28 ? between(0.5, 1.9) : between(3, 6))) return path;
  if (random() < 0.2) {
    next(carSalesStages.closedLost, between(5, 15));
    return path;
  }
  if (!next(carSalesStages.contractSigned, between(2, 8))) return path;
  next(carSalesStages.carDelivered, between(10, 30));
  return path;
}

/** Deals 401–448, begun every few days over the half year before the seed. */
export function dealsWithStageHistory(seed = 2026): RecordSeed[] {
  const random = mulberry32(seed);
  return Array.from({ length: dealCount }, (_, index) => {
    const stageHistory = stagePath(random, 3.7 * (dealCount - index) + 10 * random());
    return {
      id: String(firstDealId + index),
      properties: {
        dealname: `${cars[index % cars.length]} – ${buyers[index % buyers.length]}`,
        amount: String(240_000 + Math.round(random() * 300) * 1_000),
        deal_currency_code: 'DKK',
        pipeline: carSalesPipelineId,
        dealstage: stageHistory.at(-1)!.stageId,
        hubspot_owner_id: demoOwnerIds[index % demoOwnerIds.length]!,
      },
      stageHistory,
    };
  });
}

/** The demo portal as the local stack seeds it: the car dealer's records and the deals of the months before. */
export const demoPortalSeed: PortalSeed = { ...carDealerPortal, deals: [...(carDealerPortal.deals ?? []), ...dealsWithStageHistory()] };
