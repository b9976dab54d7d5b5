import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unusedHubSpotApiFamilies } from '../../cdk/touchpoints-function.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function filesUnder(folder: string, extension: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(extension)).map((entry) => join(entry.parentPath, entry.name));
}

/** Each lazily required API family of the client, by the getter that requires it: `./discovery/cms/CmsDiscovery` → `cms`. */
async function hubspotGetters(): Promise<Map<string, string>> {
  const getters = new Map<string, string>();
  const client = join(root, 'node_modules/@hubspot/api-client/lib/src');
  for (const file of [join(client, 'client.js'), ...(await filesUnder(join(client, 'discovery'), '.js'))]) {
    const source = await readFile(file, 'utf8');
    for (const [, getter, path] of source.matchAll(/get (\w+)\(\) \{\s*if \(!this\._\w+\) \{\s*const requiredClass = require\('([^']+)'\)/g)) getters.set(path!, getter!);
  }
  return getters;
}

// The bundles leave these families out (cdk/touchpoints-function.ts): reading one at runtime would throw.
describe('the HubSpot API families left out of the bundles', () => {
  it('are each one the client requires lazily (a renamed one after an upgrade shows up here)', async () => {
    const getters = await hubspotGetters();
    expect(unusedHubSpotApiFamilies.filter((path) => !getters.has(path))).toEqual([]);
  });

  it('are never read by the functions’ code', async () => {
    const getters = await hubspotGetters();
    const leftOut = unusedHubSpotApiFamilies.map((path) => getters.get(path)!);
    const reads: string[] = [];
    for (const file of await filesUnder(join(root, 'lambdas'), '.ts')) {
      const source = await readFile(file, 'utf8');
      for (const getter of leftOut) {
        if (new RegExp(`\\.(?:crm|objects|associations|client|hubspot)\\.${getter}\\b`).test(source)) reads.push(`${file.slice(root.length)}: ${getter}`);
      }
    }
    expect(reads).toEqual([]);
  });
});
