import { EmptyState, StatusTag } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it } from 'vitest';
import { TouchpointsCardView } from '../TouchpointsCard.js';
import { cardFixture, dealRecord, delivery, loaderAnswering, showroomVisit, testDrive } from '../test-utils/mocks.js';
import { visibleText } from '../test-utils/render.js';

const scheduledTag = (renderer: ReturnType<typeof renderCardInZone>) => renderer.find(StatusTag, (tag) => (tag.text ?? '').startsWith('Scheduled'));

/** The card in a portal whose time zone is `timezone` (the fixture's survey goes out 2025-06-03 08:00 UTC). */
function renderCardInZone(timezone: string, card = cardFixture({ touchpoints: [testDrive, delivery] })) {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<TouchpointsCardView record={dealRecord} portal={{ id: 881234, timezone }} loadCard={loaderAnswering(card)} />);
  return renderer;
}

describe('the Touchpoints card shows each time in the portal’s time zone, named', () => {
  it('gives a scheduled survey’s time with the zone, in New York', async () => {
    const renderer = renderCardInZone('America/New_York');
    await renderer.waitFor(() => scheduledTag(renderer));

    expect(scheduledTag(renderer).text).toBe('Scheduled Jun 3, 2025, 4:00 AM EDT');
  });

  it('gives the same survey’s time in Oslo as Oslo reads it', async () => {
    const renderer = renderCardInZone('Europe/Oslo');
    await renderer.waitFor(() => scheduledTag(renderer));

    expect(scheduledTag(renderer).text).toBe('Scheduled Jun 3, 2025, 10:00 AM GMT+2');
  });

  it('names the zone in the list of surveys on their way', async () => {
    const { find, waitFor } = renderCardInZone('Asia/Tokyo', cardFixture({ touchpoints: [showroomVisit, delivery], responseRate: { answered: 0, sent: 0 } }));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('Surveys scheduled'));

    expect(visibleText(find(EmptyState))).toContain('Delivery — Jun 3, 2025, 5:00 PM GMT+9');
  });
});
