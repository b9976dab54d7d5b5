import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keys } from '../../lambdas/store/keys.js';

/**
 * docs/architecture.md documents every item of the single table by the key
 * builder that makes it. A builder added to `keys` without a line in the
 * document fails here.
 */
const documentUrl = new URL('../../docs/architecture.md', import.meta.url);

describe('docs/architecture.md', () => {
  const document = readFileSync(documentUrl, 'utf8');
  const builders = Object.keys(keys);

  it('has key builders to check', () => {
    expect(builders.length).toBeGreaterThan(0);
  });

  it.each(builders)('names the key builder `%s` in backticks', (builder) => {
    expect(document).toContain(`\`${builder}\``);
  });
});
