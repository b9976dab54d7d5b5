import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { externalModules } from '../../cdk/touchpoints-function.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** KB of each package in a handler's bundle (what esbuild kept of it after tree-shaking), bundled as the CDK does. */
async function bundledPackages(handler: string): Promise<Map<string, number>> {
  const { metafile } = await build({
    entryPoints: [`lambdas/handlers/${handler}.ts`],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    external: externalModules,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const kilobytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
      if (name) kilobytes.set(name, (kilobytes.get(name) ?? 0) + bytesInOutput / 1024);
    }
  }
  return kilobytes;
}

// The request-path functions that never call HubSpot stay small and start fast: an import that
// drags in the HubSpot client (≈1.1 MB; only its signature helper is used there) is a regression
// the bundle benchmark would only show later.
describe('the bundles of the functions that never call HubSpot', () => {
  it.each(['webhook', 'survey', 'card', 'report', 'bounces'])('%s holds at most the HubSpot client’s signature helper', async (handler) => {
    const packages = await bundledPackages(handler);
    expect(packages.get('zod')).toBeGreaterThan(10); // the contracts are in: the check reads real bundles
    expect(packages.get('@hubspot/api-client') ?? 0).toBeLessThan(20);
  });
});

// The report reads comments in three languages: only those languages' stemmers and stopword lists
// are bundled (each language is its own module of the package), not the packages' thirty.
describe('the report’s bundle', () => {
  it('holds the Danish, Norwegian and English stemmers and stopwords, and no other language’s', async () => {
    const packages = await bundledPackages('report');
    expect(packages.get('@orama/stemmers')).toBeGreaterThan(5);
    expect(packages.get('@orama/stemmers')).toBeLessThan(15);
    expect(packages.get('@orama/stopwords')).toBeLessThan(8);
    expect(packages.get('porter2')).toBeGreaterThan(1);
  });

  it.each(['survey', 'card'])('is alone in that: %s, which imports the summary schema with the store but reads no comment, bundles no stemmer or stopword list', async (handler) => {
    const packages = await bundledPackages(handler);
    expect(packages.get('zod')).toBeGreaterThan(10);
    expect([packages.get('@orama/stemmers'), packages.get('@orama/stopwords')]).toEqual([undefined, undefined]);
  });
});
