import { Flex, Heading, LoadingSpinner, StatusTag } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { cardFixture, cardFollowUpFixture, loaderAnswering } from '../test-utils/mocks.js';
import { renderCard, visibleText } from '../test-utils/render.js';

async function renderLoadedCard(card = cardFixture()) {
  const renderer = renderCard(loaderAnswering(card));
  await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
  return renderer;
}

describe('the follow-ups on the Touchpoints card', () => {
  it('shows a pending promise with when it is due and the time left', async () => {
    const { findByTestId } = await renderLoadedCard(cardFixture({ pendingAndKeptFollowUps: [cardFollowUpFixture({ minutesLeft: 2_760 })] }));
    const row = findByTestId(Flex, 'follow-up-4711-sales-meeting');
    expect(row.find(StatusTag).props.variant).toBe('info');
    expect(visibleText(row)).toBe('Pending Sales meeting — Offer within 2 days of the sales meeting — due May 8, 2025, 1 day 22 hours left');
  });

  it('shows a promise kept in time, and one kept late with how late', async () => {
    const { findByTestId } = await renderLoadedCard(
      cardFixture({
        pendingAndKeptFollowUps: [
          cardFollowUpFixture({ touchpointId: 'offer', touchpointName: 'Offer', status: 'kept', minutesLeft: null, keptAt: '2025-05-07T12:00:00.000Z' }),
          cardFollowUpFixture({ status: 'kept_late', minutesLeft: null, keptAt: '2025-05-12T12:00:00.000Z', daysLate: 5 }),
        ],
      }),
    );
    const rows = ['follow-up-4711-offer', 'follow-up-4711-sales-meeting'].map((testId) => findByTestId(Flex, testId)).map((row) => [row.find(StatusTag).props.variant, visibleText(row)]);
    expect(rows).toEqual([
      ['success', 'Kept Offer — Offer within 2 days of the sales meeting — kept May 7, 2025'],
      ['warning', 'Kept late Sales meeting — Offer within 2 days of the sales meeting — kept 5 days late, May 12, 2025'],
    ]);
  });

  it('has no follow-ups section when the record has no promise', async () => {
    const { findAll } = await renderLoadedCard(cardFixture({ pendingAndKeptFollowUps: [] }));
    expect(findAll(Heading).map((heading) => heading.text)).not.toContain('Follow-ups');
  });

  it('says a promise due now has no time left', async () => {
    const { findByTestId } = await renderLoadedCard(cardFixture({ pendingAndKeptFollowUps: [cardFollowUpFixture({ minutesLeft: 0 })] }));
    expect(visibleText(findByTestId(Flex, 'follow-up-4711-sales-meeting'))).toBe('Pending Sales meeting — Offer within 2 days of the sales meeting — due May 8, 2025, no time left');
  });
});
