import { Alert, Flex, Heading, LoadingSpinner, StatusTag, TableRow, Text } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import {
  cardFixture,
  contract,
  delivery,
  loaderAnswering,
  loaderAnsweredByTest,
  missedFollowUpFixture,
  salesMeeting,
  showroomVisit,
  testDrive,
  theOffer,
  touchpointFixture,
} from '../test-utils/mocks.js';
import { renderCard, visibleText } from '../test-utils/render.js';

async function renderLoadedCard(card = cardFixture()) {
  const renderer = renderCard(loaderAnswering(card));
  await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
  return renderer;
}

function statusTagOf(renderer: Awaited<ReturnType<typeof renderLoadedCard>>, touchpointId: string) {
  return renderer.findByTestId(TableRow, `touchpoint-${touchpointId}`).find(StatusTag);
}

describe('the Touchpoints card on a record', () => {
  it('shows a loading spinner while the data is on its way', () => {
    const { find } = renderCard(loaderAnsweredByTest().loadCard);
    expect(find(LoadingSpinner).props.label).toBe('Loading touchpoints');
  });

  it.each([
    ['0-1', 'contact'],
    ['0-2', 'company'],
    ['0-3', 'deal'],
  ] as const)('asks for the data of the record it is on (object type %s is a %s)', async (objectTypeId, objectType) => {
    const { loadCard } = loaderAnsweredByTest();
    renderCard(loadCard, { objectTypeId, objectId: 901 });
    // The renderer's waitFor re-checks only when the rendered tree changes; a loader call does not change it.
    await vi.waitFor(() => expect(loadCard).toHaveBeenCalledExactlyOnceWith({ objectType, objectId: '901' }));
  });

  it('warns of a missed follow-up with the promise, how overdue it is and its owner', async () => {
    const { find } = await renderLoadedCard(cardFixture({ missedFollowUps: [missedFollowUpFixture()] }));
    const alert = find(Alert);
    expect(alert.props).toMatchObject({ variant: 'danger', title: '1 missed follow-up' });
    expect(visibleText(alert)).toBe(
      'The offer — Offer within 2 days of the sales meeting — 3 days overdue — owner ID 77',
    );
  });

  it('names the owner when HubSpot gave a name', async () => {
    const { find } = await renderLoadedCard(cardFixture({ missedFollowUps: [missedFollowUpFixture({ ownerName: 'Sofie Lund' })] }));
    expect(visibleText(find(Alert))).toBe('The offer — Offer within 2 days of the sales meeting — 3 days overdue — Sofie Lund');
  });

  it('puts the missed follow-ups above the touchpoints', async () => {
    const { find } = await renderLoadedCard(cardFixture({ missedFollowUps: [missedFollowUpFixture()] }));
    expect(find(Flex).childNodes[0]?.isMatch(Alert)).toBe(true);
  });

  it('shows no alert when no follow-up was missed', async () => {
    const { maybeFind } = await renderLoadedCard(cardFixture({ missedFollowUps: [] }));
    expect(maybeFind(Alert)).toBeNull();
  });

  it('shows a red, a yellow and a green light for answered touchpoints', async () => {
    const renderer = await renderLoadedCard();
    const tags = [theOffer, salesMeeting, testDrive].map(({ touchpointId }) => statusTagOf(renderer, touchpointId));
    expect(tags.map((tag) => [tag.props.variant, tag.text])).toEqual([
      ['danger', 'Red'],
      ['warning', 'Yellow'],
      ['success', 'Green'],
    ]);
  });

  it('shows grey tags for touchpoints waiting for an answer, not asked yet, or scheduled', async () => {
    const card = cardFixture({ touchpoints: [showroomVisit, testDrive, contract, delivery] });
    const renderer = await renderLoadedCard(card);
    const tags = [contract, showroomVisit, delivery].map(({ touchpointId }) => statusTagOf(renderer, touchpointId));
    expect(tags.map((tag) => [tag.props.variant, tag.text])).toEqual([
      ['default', 'Waiting for answer'],
      ['default', 'Not asked yet'],
      ['default', 'Scheduled Jun 3, 2025, 10:00 AM GMT+2'],
    ]);
  });

  it('shows the phases in journey order whatever order the touchpoints arrive in', async () => {
    const { findAll } = await renderLoadedCard(
      cardFixture({ touchpoints: [delivery, theOffer, testDrive, showroomVisit] }),
    );
    expect(findAll(Heading).map((heading) => heading.text)).toEqual([
      'Influence',
      'Before purchase',
      'Purchase',
      'After purchase',
    ]);
  });

  it('leaves out phases without touchpoints', async () => {
    const { findAll } = await renderLoadedCard(cardFixture({ touchpoints: [testDrive, delivery] }));
    expect(findAll(Heading).map((heading) => heading.text)).toEqual(['Before purchase', 'After purchase']);
  });

  it('keeps the order the touchpoints were given in within a phase', async () => {
    const { findAll } = await renderLoadedCard(cardFixture({ touchpoints: [salesMeeting, testDrive] }));
    const rows = findAll(TableRow, (row) => row.props.testId !== undefined);
    expect(rows.map((row) => row.props.testId)).toEqual(['touchpoint-sales-meeting', 'touchpoint-test-drive']);
  });

  it('says how many of the surveys sent were answered', async () => {
    const { find } = await renderLoadedCard(cardFixture({ responseRate: { answered: 3, sent: 5 } }));
    expect(find(Text, (text) => text.text?.endsWith('answered') ?? false).text).toBe('3 of 5 surveys answered');
  });

  it('shows the last score, the mean and the number of answers', async () => {
    const renderer = await renderLoadedCard();
    const row = renderer.findByTestId(TableRow, 'touchpoint-the-offer');
    expect(visibleText(row)).toContain('4/10 mean 5.5 from 2 answers');
  });

  it('quotes the latest comment and says when it was answered', async () => {
    const renderer = await renderLoadedCard();
    const row = renderer.findByTestId(TableRow, 'touchpoint-the-offer');
    expect(visibleText(row)).toContain('“The offer took a week to arrive” May 12, 2025');
  });

  it('dates an answer in the portal time zone', async () => {
    const lateEvening = touchpointFixture({ ...testDrive, lastAnsweredAt: '2025-05-02T22:30:00.000Z' });
    const renderer = await renderLoadedCard(cardFixture({ touchpoints: [lateEvening] }));
    // 22:30 UTC is already May 3 in Copenhagen, the portal's zone.
    expect(visibleText(renderer.findByTestId(TableRow, 'touchpoint-test-drive'))).toContain('May 3, 2025');
  });
});
