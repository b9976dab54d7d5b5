import { Alert, Button, EmptyState, ErrorState, Heading, LoadingSpinner, Table, Text } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { CardLoadError, type CardLoader } from '../hooks/card-api.js';
import {
  cardFixture,
  dealRequest,
  delivery,
  loaderAnswering,
  loaderAnsweredByTest,
  loaderFailingWith,
  missedFollowUpFixture,
  otherDealRecord,
  otherDealRequest,
  portal,
  showroomVisit,
  testDrive,
  theOffer,
  touchpointFixture,
} from '../test-utils/mocks.js';
import { renderCard, renderCardOnChangingRecord, settle, visibleText } from '../test-utils/render.js';

const neverAsked = [
  showroomVisit,
  touchpointFixture({ touchpointId: 'test-drive', name: 'Test drive' }),
  touchpointFixture({ touchpointId: 'delivery', name: 'Delivery', phase: 'post_purchase' }),
];

describe('the Touchpoints card when there is nothing to show yet or something went wrong', () => {
  it('shows an error state with the reason when loading fails', async () => {
    const { find, waitFor } = renderCard(loaderFailingWith(new CardLoadError('Touchpoints is busy right now.')));
    await waitFor(() => expect(find(ErrorState).props.title).toBe('Touchpoints could not be loaded'));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints is busy right now.');
  });

  it('tells the rep to check the connection when the loader fails for another reason', async () => {
    const { find, waitFor } = renderCard(loaderFailingWith(new TypeError('fetch failed')));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain(
      'Could not reach Touchpoints. Check your connection and try again.',
    );
  });

  it('asks again when the rep clicks Try again, then shows the touchpoints', async () => {
    const loadCard = vi
      .fn<CardLoader>()
      .mockRejectedValueOnce(new CardLoadError('Touchpoints is busy right now.'))
      .mockResolvedValueOnce(cardFixture());
    const { find, maybeFind, waitFor } = renderCard(loadCard);
    await waitFor(() => find(ErrorState));

    find(Button, (button) => button.text === 'Try again').trigger('onClick');

    await waitFor(() => expect(maybeFind(Table)).not.toBeNull());
    expect(maybeFind(ErrorState)).toBeNull();
    expect(loadCard).toHaveBeenCalledTimes(2);
    expect(loadCard).toHaveBeenLastCalledWith(dealRequest);
  });

  it('shows the error state for data that does not match the schema', async () => {
    const payloadWithUnknownLight = { ...cardFixture(), touchpoints: [{ ...testDrive, light: 'blue' }] };
    const { find, maybeFind, waitFor } = renderCard(loaderAnswering(payloadWithUnknownLight));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints sent data this card does not understand.');
    expect(maybeFind(Table)).toBeNull();
  });

  it('shows the error state for data about another record', async () => {
    const { find, waitFor } = renderCard(loaderAnswering(cardFixture({ record: otherDealRequest })));
    await waitFor(() => find(ErrorState));
    expect(visibleText(find(ErrorState))).toContain('Touchpoints answered for a different record.');
  });

  it('points to the app settings when the portal has set up no touchpoints', async () => {
    const notConfigured = cardFixture({ configured: false, touchpoints: [], responseRate: { answered: 0, sent: 0 } });
    const { find, waitFor } = renderCard(loaderAnswering(notConfigured));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('No touchpoints set up yet'));
    expect(find(EmptyState).find(Button).props.href).toBe(
      `https://app.hubspot.com/connected-apps/${portal.id}/installed`,
    );
  });

  it('says there are no surveys yet when touchpoints are set up but nobody was asked', async () => {
    const nothingAsked = cardFixture({ touchpoints: neverAsked, responseRate: { answered: 0, sent: 0 } });
    const { find, maybeFind, waitFor } = renderCard(loaderAnswering(nothingAsked));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('No surveys yet'));
    expect(visibleText(find(EmptyState))).toContain('when a deal reaches a pipeline stage');
    expect(maybeFind(Table)).toBeNull();
  });

  it('says what is scheduled when no survey has gone out yet', async () => {
    const scheduledOnly = cardFixture({
      touchpoints: [showroomVisit, delivery],
      responseRate: { answered: 0, sent: 0 },
    });
    const { find, waitFor } = renderCard(loaderAnswering(scheduledOnly));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('Surveys scheduled'));
    expect(visibleText(find(EmptyState))).toContain('Delivery — Jun 3, 2025, 10:00 AM GMT+2');
  });

  it('still shows a missed follow-up when nobody was asked yet', async () => {
    const card = cardFixture({
      touchpoints: neverAsked,
      responseRate: { answered: 0, sent: 0 },
      missedFollowUps: [missedFollowUpFixture({ daysOverdue: 1, ownerId: null })],
    });
    const { find, waitFor } = renderCard(loaderAnswering(card));
    await waitFor(() => find(EmptyState));
    expect(visibleText(find(Alert))).toContain('1 day overdue — no owner');
  });

  it('says no surveys were sent yet while they are only scheduled', async () => {
    const scheduledOnly = cardFixture({ touchpoints: [delivery], responseRate: { answered: 0, sent: 0 } });
    const { find, findAll, waitFor } = renderCard(loaderAnswering(scheduledOnly));
    await waitFor(() => find(EmptyState));
    expect(findAll(Text).map(({ text }) => text)).toContain('No surveys sent yet');
  });

  it('ignores a late answer for a record the rep has already left', async () => {
    const { loadCard, pending } = loaderAnsweredByTest();
    const { find, maybeFind, waitFor, moveToRecord } = renderCardOnChangingRecord(loadCard);
    await vi.waitFor(() => expect(pending).toHaveLength(1));

    moveToRecord(otherDealRecord);
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    const [firstRecordLoad, secondRecordLoad] = pending;
    secondRecordLoad?.answer(cardFixture({ record: otherDealRequest, touchpoints: [theOffer] }));
    await waitFor(() => find(Table));
    firstRecordLoad?.answer(cardFixture({ record: dealRequest, touchpoints: [testDrive] }));
    await settle();

    expect(maybeFind(ErrorState)).toBeNull();
    expect(find(Heading).text).toBe('Purchase');
  });

  it('shows a spinner again while it loads the next record', async () => {
    const { loadCard, pending } = loaderAnsweredByTest();
    const { find, maybeFind, waitFor, moveToRecord } = renderCardOnChangingRecord(loadCard);
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    pending[0]?.answer(cardFixture());
    await waitFor(() => find(Table));

    moveToRecord(otherDealRecord);

    await waitFor(() => expect(maybeFind(LoadingSpinner)).not.toBeNull());
    expect(maybeFind(Table)).toBeNull();
  });

  it('says the card is not available on a record that is not a contact, company or deal', () => {
    const { find } = renderCard(loaderAnsweredByTest().loadCard, { objectTypeId: '0-5', objectId: 12 });
    expect(find(ErrorState).props.title).toBe('Touchpoints is not available here');
  });
});
