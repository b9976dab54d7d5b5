import { Alert, StatusTag, TableRow, Text } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { fakeSettingsApi, senderDomainFixture, settingsViewFixture } from '../test-utils/mocks.js';
import { renderLoadedSettingsPage, visibleText, type SettingsPageRenderer } from '../test-utils/render.js';

const pausedAlerts = (page: SettingsPageRenderer) => page.findAll(Alert, { title: 'Surveys are paused' });
const recordRows = (page: SettingsPageRenderer) => page.findAll(TableRow, (row) => visibleText(row).includes('_domainkey'));

describe('the sender domain', () => {
  it('shows the three DNS records to add, each with name, type, value and what SES found', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ senderDomain: senderDomainFixture('pending') })));
    const rows = recordRows(page);
    expect(rows).toHaveLength(3);
    expect(rows.map(visibleText)).toEqual([
      'k7x2._domainkey.nordiccars.example CNAME k7x2.dkim.amazonses.com Not found yet',
      'p9q4._domainkey.nordiccars.example CNAME p9q4.dkim.amazonses.com Not found yet',
      'z3m8._domainkey.nordiccars.example CNAME z3m8.dkim.amazonses.com Not found yet',
    ]);
    expect(page.find(StatusTag, (tag) => tag.text === 'Waiting for the DNS records').props.variant).toBe('warning');
  });

  it('says when SES was last asked, in the portal’s time zone and naming it', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ senderDomain: senderDomainFixture('pending') })));

    expect(visibleText(page.find(Text, (text) => (text.text ?? '').startsWith('Checked with SES')))).toBe('Checked with SES May 2, 2025, 10:05 AM GMT+2');
  });

  it('says the surveys are paused, above the tabs and beside the records, while the domain is pending', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ senderDomain: senderDomainFixture('pending') })));
    const alerts = pausedAlerts(page);
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) expect(visibleText(alert)).toContain('Surveys and reminders are paused until nordiccars.example is verified');
  });

  it('tells the admin to fix the records and save again when SES gave up', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ senderDomain: senderDomainFixture('failed') })));
    expect(page.find(StatusTag, (tag) => tag.text === 'Verification failed').props.variant).toBe('danger');
    expect(visibleText(page.find(TableRow, (row) => visibleText(row).includes('k7x2._domainkey')))).toContain('Not found');
    expect(pausedAlerts(page)).toHaveLength(2);
    expect(visibleText(page.find(Alert, { title: 'Surveys are paused' }))).toContain('Nothing is lost');
  });

  it('shows a verified domain as verified, and no pause', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ senderDomain: senderDomainFixture('verified') })));
    expect(page.find(StatusTag, (tag) => tag.text === 'Verified').props.variant).toBe('success');
    const rows = recordRows(page);
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => visibleText(row).split(' ').at(-1))).toEqual(['Found', 'Found', 'Found']);
    expect(pausedAlerts(page)).toHaveLength(0);
  });

  it('shows no sender domain before a sender is saved', async () => {
    const page = await renderLoadedSettingsPage(fakeSettingsApi(settingsViewFixture({ portal: null, senderDomain: null })));
    expect(recordRows(page)).toHaveLength(0);
    expect(pausedAlerts(page)).toHaveLength(0);
  });
});
