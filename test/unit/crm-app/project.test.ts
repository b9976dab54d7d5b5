import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { API_BASE_URL } from '@touchpoints/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { missingEntrypoints, platformVersion, projectProblems } from '../../../crm-app/project-schema.js';

const projectDir = fileURLToPath(new URL('../../../crm-app', import.meta.url));
const apiBaseUrl = API_BASE_URL;

const appFile = 'src/app/app-hsmeta.json';
const cardFile = 'src/app/cards/touchpoints-card-hsmeta.json';
const webhooksFile = 'src/app/webhooks/webhooks-hsmeta.json';

const fixtures: string[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp copy of the real project's config files only (hsproject.json, *-hsmeta.json, package.json). */
async function fixture(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'touchpoints-crm-app-'));
  fixtures.push(dir);
  await cp(projectDir, dir, {
    recursive: true,
    filter: (source) => !source.includes('node_modules') && (!path.extname(source) || source.endsWith('.json')),
  });
  return dir;
}

/** Rewrites one JSON file of a fixture through `change`. */
async function mutate(dir: string, file: string, change: (json: any) => void): Promise<void> {
  const absolute = path.join(dir, file);
  const json = JSON.parse(await readFile(absolute, 'utf8'));
  change(json);
  await writeFile(absolute, JSON.stringify(json, null, 2));
}

describe('the HubSpot project in crm-app', () => {
  it('has no problems against our reading of the 2026.03 schemas', async () => {
    expect(await projectProblems(projectDir, apiBaseUrl)).toEqual([]);
  });

  it('translates with HubSpot’s own parser into an app with one card, one settings page and webhooks', async () => {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: path.join(projectDir, 'src'), platformVersion },
      { skipValidation: true },
    );
    expect(skippedHsMetaFiles).toEqual([]);
    const nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    const summary = Object.values(nodes)
      .map((node) => ({ uid: node.uid, componentType: node.componentType, metaFilePath: node.metaFilePath, app: node.componentDeps['app'] }))
      .sort((a, b) => a.uid.localeCompare(b.uid));
    expect(summary).toEqual([
      { uid: 'touchpoints_app', componentType: 'APPLICATION', metaFilePath: 'app/app-hsmeta.json', app: undefined },
      { uid: 'touchpoints_card', componentType: 'CARD', metaFilePath: 'app/cards/touchpoints-card-hsmeta.json', app: 'touchpoints_app' },
      { uid: 'touchpoints_settings', componentType: 'SETTINGS', metaFilePath: 'app/settings/settings-hsmeta.json', app: 'touchpoints_app' },
      { uid: 'touchpoints_webhooks', componentType: 'WEBHOOKS', metaFilePath: 'app/webhooks/webhooks-hsmeta.json', app: 'touchpoints_app' },
    ]);
    expect(nodes['touchpoints_card']?.config).toMatchObject({
      location: 'crm.record.tab',
      entrypoint: '/app/cards/TouchpointsCard.tsx',
      objectTypes: ['contacts', 'companies', 'deals'],
    });
    expect(nodes['touchpoints_settings']?.config).toEqual({ entrypoint: '/app/settings/SettingsPage.tsx' });
    expect(nodes['touchpoints_webhooks']?.config).toMatchObject({
      settings: { targetUrl: `${apiBaseUrl}/webhooks/hubspot` },
      subscriptions: {
        crmObjects: [
          { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage', active: true },
          { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'notes_last_contacted', active: true },
          { subscriptionType: 'object.deletion', objectType: 'deal', active: true },
        ],
        hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }],
      },
    });
  });

  it('permits hubspot.fetch to the origin the card and the settings page call', async () => {
    const app = JSON.parse(await readFile(path.join(projectDir, appFile), 'utf8'));
    expect(app.config.permittedUrls.fetch).toContain(API_BASE_URL);
  });

  it('is still valid when copied into a fixture, so the negative cases below test one change each', async () => {
    expect(await projectProblems(await fixture(), apiBaseUrl)).toEqual([]);
  });
});

describe('projectProblems on a project with one mistake', () => {
  it('names the fetch URL that is plain http', async () => {
    const dir = await fixture();
    await mutate(dir, appFile, (json) => {
      json.config.permittedUrls.fetch = ['http://api.touchpoints.example'];
    });
    const problems = await projectProblems(dir, apiBaseUrl);
    expect(problems).toContainEqual(expect.stringMatching(/^src\/app\/app-hsmeta\.json: config\.permittedUrls\.fetch\.0 must be an https:\/\/ URL/));
  });

  it('names a card location HubSpot does not have', async () => {
    const dir = await fixture();
    await mutate(dir, cardFile, (json) => {
      json.config.location = 'crm.record.middle';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${cardFile}: config.location must be one of crm.record.tab, crm.record.sidebar, crm.preview, helpdesk.sidebar (got "crm.record.middle")`,
    ]);
  });

  it('names an object type a card cannot be shown on', async () => {
    const dir = await fixture();
    await mutate(dir, cardFile, (json) => {
      json.config.objectTypes = ['contacts', 'contact'];
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([expect.stringMatching(/^src\/app\/cards\/touchpoints-card-hsmeta\.json: config\.objectTypes\.1 must be one of contacts, .* \(got "contact"\)$/)]);
  });

  it('names a webhook subscription type with a typo', async () => {
    const dir = await fixture();
    await mutate(dir, webhooksFile, (json) => {
      json.config.subscriptions.crmObjects[1].subscriptionType = 'object.deleted';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      expect.stringMatching(/^src\/app\/webhooks\/webhooks-hsmeta\.json: config\.subscriptions\.crmObjects\.1\.subscriptionType must be one of object\.creation, .* \(got "object\.deleted"\)$/),
    ]);
  });

  it('names a webhook target URL on another host than the API', async () => {
    const dir = await fixture();
    await mutate(dir, webhooksFile, (json) => {
      json.config.settings.targetUrl = 'https://hooks.elsewhere.example/webhooks/hubspot';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${webhooksFile}: config.settings.targetUrl "https://hooks.elsewhere.example/webhooks/hubspot" must start with the API base URL ${apiBaseUrl}`,
    ]);
  });

  it('does not take a look-alike host for the API host', async () => {
    const dir = await fixture();
    await mutate(dir, appFile, (json) => {
      json.config.auth.redirectUrls = ['https://api.touchpoints.example.evil.example/oauth/callback'];
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${appFile}: config.auth.redirectUrls.0 "https://api.touchpoints.example.evil.example/oauth/callback" must start with the API base URL ${apiBaseUrl}`,
    ]);
  });

  it('names the file that is not valid JSON', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, webhooksFile), '{ "uid": "touchpoints_webhooks", "type": "webhooks", ');
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([expect.stringMatching(/^src\/app\/webhooks\/webhooks-hsmeta\.json: is not valid JSON \(.+\)$/)]);
  });

  it('names a property-change subscription without its property', async () => {
    const dir = await fixture();
    await mutate(dir, webhooksFile, (json) => {
      delete json.config.subscriptions.crmObjects[0].propertyName;
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${webhooksFile}: config.subscriptions.crmObjects.0.propertyName is required for object.propertyChange`,
    ]);
  });

  it('names a misspelt key instead of ignoring it', async () => {
    const dir = await fixture();
    await mutate(dir, cardFile, (json) => {
      json.config.objectType = json.config.objectTypes;
      delete json.config.objectTypes;
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${cardFile}: config.objectTypes is required`,
      `${cardFile}: config has unknown key "objectType"`,
    ]);
  });

  it('names a uid HubSpot would refuse', async () => {
    const dir = await fixture();
    await mutate(dir, cardFile, (json) => {
      json.uid = 'touchpoints card';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([`${cardFile}: uid must be 1–64 letters, digits, "_", "-" or "." (got "touchpoints card")`]);
  });

  it('names a card object whose read scope the app does not request', async () => {
    const dir = await fixture();
    await mutate(dir, appFile, (json) => {
      json.config.auth.requiredScopes = json.config.auth.requiredScopes.filter((scope: string) => scope !== 'crm.objects.companies.read');
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      `${cardFile}: config.objectTypes.1 "companies" needs crm.objects.companies.read in ${appFile} config.auth.requiredScopes`,
    ]);
  });

  it('names a second settings page, a duplicated uid and a missing package.json', async () => {
    const dir = await fixture();
    await writeFile(
      path.join(dir, 'src/app/settings/more-settings-hsmeta.json'),
      JSON.stringify({ uid: 'touchpoints_card', type: 'settings', config: { entrypoint: '/app/settings/More.tsx' } }),
    );
    await rm(path.join(dir, 'src/app/cards/package.json'));
    const problems = await projectProblems(dir, apiBaseUrl);
    expect(problems).toContain(`${cardFile}, src/app/settings/more-settings-hsmeta.json: uid "touchpoints_card" is used by more than one component`);
    expect(problems).toContain('src/app/settings/more-settings-hsmeta.json, src/app/settings/settings-hsmeta.json: an app has at most one settings component');
    expect(problems).toContain('src/app/cards/package.json: is missing (HubSpot builds each extension folder from its own package.json)');
  });

  it('names a component in a folder HubSpot would skip', async () => {
    const dir = await fixture();
    await mkdir(path.join(dir, 'src/app/cards/extra'));
    await cp(path.join(dir, cardFile), path.join(dir, 'src/app/cards/extra/other-card-hsmeta.json'));
    await mutate(dir, 'src/app/cards/extra/other-card-hsmeta.json', (json) => {
      json.uid = 'other_card';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual([
      'src/app/cards/extra/other-card-hsmeta.json: a card component must sit directly in src/app/cards/ (HubSpot skips it elsewhere)',
    ]);
  });

  it('names a platform version other than 2026.03, such as the one HubSpot retires in 2027', async () => {
    const dir = await fixture();
    await mutate(dir, 'hsproject.json', (json) => {
      json.platformVersion = '2025.2';
    });
    expect(await projectProblems(dir, apiBaseUrl)).toEqual(['hsproject.json: platformVersion must be "2026.03" (got "2025.2")']);
  });
});

describe('missingEntrypoints', () => {
  it('names each entry point whose React file does not exist', async () => {
    const dir = await fixture();
    expect(await missingEntrypoints(dir)).toEqual([
      `${cardFile}: config.entrypoint "/app/cards/TouchpointsCard.tsx" does not exist (looked for src/app/cards/TouchpointsCard.tsx)`,
      'src/app/settings/settings-hsmeta.json: config.entrypoint "/app/settings/SettingsPage.tsx" does not exist (looked for src/app/settings/SettingsPage.tsx)',
    ]);
  });

  it('is empty once every entry point exists', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, 'src/app/cards/TouchpointsCard.tsx'), 'export {};\n');
    await writeFile(path.join(dir, 'src/app/settings/SettingsPage.tsx'), 'export {};\n');
    expect(await missingEntrypoints(dir)).toEqual([]);
  });
});
