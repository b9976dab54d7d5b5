/**
 * The first step of `npm test`: without a Chromium for the browser tests, stop at once with the
 * one line that says how to get one, before the type-check and the other tests spend minutes.
 */
import { findChromium } from './chromium.js';

const chromiumSearch = findChromium();
if (!chromiumSearch.found) {
  console.error(chromiumSearch.problem);
  process.exit(1);
}
