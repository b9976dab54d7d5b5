import { Alert, EmptyState } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { cardFixture, delivery, loaderAnswering } from '../test-utils/mocks.js';
import { renderCard, visibleText } from '../test-utils/render.js';

describe('the Touchpoints card while the portal’s sender domain is not verified', () => {
  it('says the surveys are paused, naming the domain, beside what is scheduled', async () => {
    const paused = cardFixture({ touchpoints: [delivery], responseRate: { answered: 0, sent: 0 }, surveysPaused: { senderDomain: 'nordiccars.example' } });
    const { find, findAll, waitFor } = renderCard(loaderAnswering(paused));
    await waitFor(() => expect(find(EmptyState).props.title).toBe('Surveys scheduled'));
    const alerts = findAll(Alert, { title: 'Surveys are paused' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.props.variant).toBe('warning');
    expect(visibleText(alerts[0]!)).toContain('Surveys and reminders are paused until nordiccars.example is verified');
  });

  it('says nothing of a pause once the domain is verified', async () => {
    const { find, findAll, waitFor } = renderCard(loaderAnswering(cardFixture({ touchpoints: [delivery], responseRate: { answered: 0, sent: 0 } })));
    await waitFor(() => find(EmptyState));
    expect(findAll(Alert, { title: 'Surveys are paused' })).toHaveLength(0);
  });
});
