import { Alert, Flex, LoadingSpinner, Table } from '@hubspot/ui-extensions';
import type { MailSuppressionNotice } from '@touchpoints/contracts';
import { describe, expect, it } from 'vitest';
import { cardFixture, loaderAnswering, missedFollowUpFixture } from '../test-utils/mocks.js';
import { renderCard, visibleText } from '../test-utils/render.js';

const contactRecord = { objectTypeId: '0-1', objectId: 102 };
const contactCard = (mailSuppression: MailSuppressionNotice | null) =>
  cardFixture({ record: { objectType: 'contact', objectId: '102' }, mailSuppression });

async function renderLoadedCard(card: ReturnType<typeof cardFixture>) {
  const renderer = renderCard(loaderAnswering(card), contactRecord);
  await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
  return renderer;
}

describe('the Touchpoints card on a contact Touchpoints no longer mails', () => {
  it('says the email bounced, to which address and when, and that no more surveys go out', async () => {
    const { find } = await renderLoadedCard(contactCard({ reason: 'bounced', address: 'emma.wilson@example.com', since: '2025-05-02T22:30:00.000Z' }));
    const alert = find(Alert);
    expect(alert.props).toMatchObject({ variant: 'warning', title: 'Email bounced' });
    // 22:30 UTC is already May 3 in Copenhagen, the portal's zone.
    expect(visibleText(alert)).toBe(
      'Mail to emma.wilson@example.com bounced on May 3, 2025: Touchpoints sends this contact no more surveys or reminders until their email address changes.',
    );
  });

  it('says the contact marked a mail as spam', async () => {
    const { find } = await renderLoadedCard(contactCard({ reason: 'complained', address: 'emma.wilson@example.com', since: '2025-05-02T10:00:00.000Z' }));
    expect(find(Alert).props).toMatchObject({ variant: 'warning', title: 'Marked as spam' });
    expect(visibleText(find(Alert))).toBe('emma.wilson@example.com marked a Touchpoints mail as spam on May 2, 2025: Touchpoints sends this contact no more surveys or reminders.');
  });

  it('puts it below the missed follow-ups and above the touchpoints', async () => {
    const card = { ...contactCard({ reason: 'bounced', address: 'emma.wilson@example.com', since: '2025-05-02T10:00:00.000Z' }), missedFollowUps: [missedFollowUpFixture()] };
    const { find, findAll } = await renderLoadedCard(card);
    const [first, second] = find(Flex).childNodes;
    expect([first?.isMatch(Alert), second?.isMatch(Alert)]).toEqual([true, true]);
    expect(findAll(Alert).map((alert) => alert.props.title)).toEqual(['1 missed follow-up', 'Email bounced']);
    expect(find(Table)).toBeDefined();
  });

  it('says nothing of the kind for a contact who is mailed', async () => {
    const { maybeFind } = await renderLoadedCard(contactCard(null));
    expect(maybeFind(Alert)).toBeNull();
  });
});
