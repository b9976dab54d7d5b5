import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleExtension } from '../../../local/ui-host/bundle.js';

let scratch: string;

beforeAll(async () => {
  // Inside the repository, so the scratch extensions resolve React as the app's do.
  await mkdir('node_modules/.cache', { recursive: true });
  scratch = await mkdtemp(join('node_modules/.cache', 'ui-host-bundle-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** An extension entry point written for this test, importing what `source` says. */
async function extensionFile(name: string, source: string): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, source);
  return file;
}

describe('bundling an extension for the local UI host', () => {
  it('fails the build, naming the component, when an extension imports one the host does not implement', async () => {
    const entry = await extensionFile(
      'UsesScoreCircle.tsx',
      `import { hubspot, ScoreCircle } from '@hubspot/ui-extensions';\nhubspot.extend(() => <ScoreCircle score={7} />);\n`,
    );
    await expect(bundleExtension(entry)).rejects.toThrow(/No matching export in "local\/ui-host\/browser\/ui-extensions\.ts" for import "ScoreCircle"/);
  });

  it('fails the build on an @hubspot/ui-extensions subpath the host has no module for', async () => {
    const entry = await extensionFile('UsesCrm.tsx', `import { CrmPropertyList } from '@hubspot/ui-extensions/crm';\nexport const list = CrmPropertyList;\n`);
    await expect(bundleExtension(entry)).rejects.toThrow(/local HubSpot UI host has no "@hubspot\/ui-extensions\/crm"/);
  });

  it('builds the app’s card and settings page against the host’s components, none of HubSpot’s worker runtime', async () => {
    const [card, settings] = await Promise.all([bundleExtension('crm-app/src/app/cards/TouchpointsCard.tsx'), bundleExtension('crm-app/src/app/settings/SettingsPage.tsx')]);
    expect([...card.inputs.keys()]).toEqual(expect.arrayContaining(['crm-app/src/app/cards/TouchpointsCard.tsx', 'local/ui-host/browser/ui-extensions.ts']));
    expect([...settings.inputs.keys()]).toEqual(expect.arrayContaining(['crm-app/src/app/settings/components/ReportTab.tsx', 'local/ui-host/browser/components/charts.tsx']));
    // Nothing of HubSpot's worker runtime: the host's components stand in for all of it.
    expect([...card.inputs.keys(), ...settings.inputs.keys()].some((input) => input.includes('node_modules/@hubspot/ui-extensions'))).toBe(false);
  }, 30_000);
});
