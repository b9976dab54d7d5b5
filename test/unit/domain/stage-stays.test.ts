import { describe, expect, it } from 'vitest';
import type { PipelineStages } from '@touchpoints/contracts';
import type { DealStageVisit } from '../../../lambdas/domain/journey.js';
import { dealStays, maxStaysPerDeal, stageFactsOf, visitsFromHistory } from '../../../lambdas/domain/stage-stays.js';

/** The car dealer's pipeline as `readDealPipelines` gives it: stages in display order, won and lost from their metadata. */
const carSales: PipelineStages = {
  id: 'car-sales',
  label: 'Car sales',
  stages: [
    { id: 'testdrive', label: 'Test drive' },
    { id: 'salesmeeting', label: 'Sales meeting' },
    { id: 'offersent', label: 'Offer sent' },
    { id: 'contractsigned', label: 'Contract signed' },
    { id: 'cardelivered', label: 'Car delivered', closedAs: 'won' },
    { id: 'closedlost', label: 'Closed lost', closedAs: 'lost' },
  ],
};
const facts = stageFactsOf([carSales]);

const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour));
const visit = (stageId: string, enteredAt: Date, eventId: string, ownerId = '61001'): DealStageVisit => ({ dealId: '401', pipelineId: 'car-sales', stageId, enteredAt, eventId, ownerId });

describe('stageFactsOf', () => {
  it('keeps won and lost, and the stage each leads to in display order, lost stages left out', () => {
    expect(Object.fromEntries([...facts].map(([id, { closed, leadsTo }]) => [id, `${closed ?? 'open'} → ${leadsTo ?? '-'}`]))).toEqual({
      testdrive: 'open → salesmeeting',
      salesmeeting: 'open → offersent',
      offersent: 'open → contractsigned',
      contractsigned: 'open → cardelivered',
      cardelivered: 'won → -',
      closedlost: 'lost → -',
    });
  });
});

describe('dealStays', () => {
  it('gives each stay the deal’s next move, whatever order the visits arrived in', () => {
    const visits = [visit('offersent', at(6), 'e3'), visit('testdrive', at(1), 'e1'), visit('salesmeeting', at(2), 'e2')];
    const stays = dealStays(visits, facts);
    expect(stays.map(({ stageId, next, leadsTo }) => `${stageId} → ${next?.stageId ?? '-'} (waits for ${leadsTo})`)).toEqual([
      'testdrive → salesmeeting (waits for salesmeeting)',
      'salesmeeting → offersent (waits for offersent)',
      'offersent → - (waits for contractsigned)',
    ]);
    expect(stays[1]!.next).toEqual({ stageId: 'offersent', enteredAt: at(6), lost: false });
    expect(dealStays([...visits].reverse(), facts)).toEqual(stays);
  });

  it('marks a move into a closed-lost stage as lost, and a stay in a closed stage as closed', () => {
    const stays = dealStays([visit('salesmeeting', at(2), 'e1'), visit('closedlost', at(9), 'e2')], facts);
    expect(stays.map(({ stageId, next, closed }) => [stageId, next?.lost ?? null, closed])).toEqual([
      ['salesmeeting', true, false],
      ['closedlost', null, true],
    ]);
  });

  it('counts one move once when the webhook and the history both recorded it, and a visit recorded twice once', () => {
    const fromWebhook = visit('salesmeeting', at(2, 10), '9001');
    const fromHistory = { ...fromWebhook, enteredAt: new Date(at(2, 10).getTime() - 40), eventId: `history-${at(2, 10).getTime() - 40}-salesmeeting` };
    const stays = dealStays([visit('testdrive', at(1), 'e1'), fromWebhook, fromHistory, fromWebhook, visit('offersent', at(5), '9002')], facts);
    expect(stays.map(({ stageId, repeat }) => `${stageId}${repeat ? ' (repeat)' : ''}`)).toEqual(['testdrive', 'salesmeeting', 'salesmeeting (repeat)', 'offersent']);
    // The first of the two is the stay that counts: its next move skips the repeat.
    expect(stays[1]!.next?.stageId).toBe('offersent');
    expect(stays[0]!.next?.stageId).toBe('salesmeeting');
  });

  it('keeps the deal’s owner at each visit', () => {
    expect(dealStays([visit('testdrive', at(1), 'e1', '61002')], facts)[0]!.ownerId).toBe('61002');
  });

  it(`keeps a deal's newest ${maxStaysPerDeal} stays`, () => {
    const flapping = Array.from({ length: maxStaysPerDeal + 10 }, (_, index) => visit(index % 2 ? 'salesmeeting' : 'offersent', new Date(at(1).getTime() + index * 60_000), `e${index}`));
    const stays = dealStays(flapping, facts);
    expect(stays).toHaveLength(maxStaysPerDeal);
    expect(stays[0]!.enteredAt).toEqual(new Date(at(1).getTime() + 10 * 60_000));
  });
});

describe('visitsFromHistory', () => {
  const history = {
    dealId: '401',
    pipelineId: 'car-sales',
    ownerId: '61003',
    // HubSpot's order: newest first.
    changes: [
      { stageId: 'offersent', at: at(6) },
      { stageId: 'salesmeeting', at: at(2) },
      { stageId: 'testdrive', at: new Date(Date.UTC(2023, 0, 5)) },
    ],
  };

  it('turns the deal’s changes from `since` on into visits keyed by their time and stage, oldest first', () => {
    expect(visitsFromHistory(history, new Date(Date.UTC(2024, 11, 1)))).toEqual([
      { dealId: '401', pipelineId: 'car-sales', stageId: 'salesmeeting', enteredAt: at(2), eventId: `history-${at(2).getTime()}-salesmeeting`, ownerId: '61003' },
      { dealId: '401', pipelineId: 'car-sales', stageId: 'offersent', enteredAt: at(6), eventId: `history-${at(6).getTime()}-offersent`, ownerId: '61003' },
    ]);
  });

  it('gives the same visits when the history is read again', () => {
    const since = new Date(Date.UTC(2020, 0, 1));
    expect(visitsFromHistory({ ...history, changes: [...history.changes].reverse() }, since)).toEqual(visitsFromHistory(history, since));
  });
});
