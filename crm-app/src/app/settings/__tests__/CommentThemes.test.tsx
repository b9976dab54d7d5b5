import { Accordion, Flex, List, LoadingSpinner, Tabs, Tag } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { fakeSettingsApi } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, visibleText } from '../test-utils/render.js';

/** The report tab opened, as an admin sees it. */
async function renderOpenedReport() {
  const page = await renderLoadedSettingsPage(fakeSettingsApi());
  page.find(Tabs).trigger('onSelectedChange', 'report' as never);
  await page.waitFor(() => expect(page.maybeFind(LoadingSpinner)).toBeNull());
  return page;
}

const accordionOf = (page: Awaited<ReturnType<typeof renderOpenedReport>>, name: string) => page.find(Accordion, (accordion) => accordion.props.title === name);

describe('the comment themes of a touchpoint on the report tab', () => {
  it('shows each light’s themes with their counts and the customers’ own words', async () => {
    const page = await renderOpenedReport();
    const red = accordionOf(page, 'Sales meeting').find(Flex, { testId: 'themes-sales-meeting-red' });
    expect(red.find(Tag).text).toBe('Red comments');
    expect(visibleText(red)).toContain('18 in all');
    expect(visibleText(red)).toContain('“for sent” · 9 comments · Danish');
    expect(visibleText(red)).toContain('“ingen ringede” · 6 comments · Danish');
    expect(red.findAll(List).map((list) => visibleText(list))).toEqual(['“Tilbuddet kom for sent” “Svaret kom alt for sent, vi havde købt bil et andet sted”', '“Ingen ringede tilbage”']);
    expect(accordionOf(page, 'Sales meeting').maybeFind(Flex, { testId: 'themes-sales-meeting-green' })).toBeNull();
  });

  it('says why a touchpoint with a few comments has no themes yet, and how many it takes', async () => {
    const page = await renderOpenedReport();
    expect(visibleText(accordionOf(page, 'Showroom visit').find(Flex, { testId: 'themes-showroom-visit' }))).toBe(
      'What customers say No themes yet: 1 red, 2 yellow and 7 green comments. A light shows its themes from 10 comments in one language, with as many comments of other lights to compare them with.',
    );
  });

  it('shows nothing about comments for a touchpoint without any', async () => {
    const page = await renderOpenedReport();
    expect(accordionOf(page, 'Test drive').maybeFind(Flex, { testId: 'themes-test-drive' })).toBeNull();
  });
});
