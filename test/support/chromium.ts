import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** The names Chromium and Chrome go by on PATH. */
const commandNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Where packages put them when PATH does not say (snap, macOS apps). */
export const knownChromiumPaths: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const howToGetChromium =
  'The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium), ' +
  'set CHROMIUM_PATH to a Chromium or Chrome binary, or, where the machine may download browsers, run npx playwright-core install chromium.';

export type ChromiumSearch = { found: true; path: string } | { found: false; problem: string };

export interface ChromiumPlaces {
  env: NodeJS.ProcessEnv;
  knownPaths: readonly string[];
  /** Where Playwright's own download of Chromium would be (`npx playwright-core install chromium`). */
  playwrightPath: string | undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function playwrightChromiumPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // a platform Playwright has no build for
  }
}

/**
 * The Chromium the browser tests launch: `CHROMIUM_PATH` when set (and then only it), else the
 * first Chromium or Chrome on PATH, at a known path, or Playwright's own download. When there is
 * none, the one line that says how to get one.
 */
export function findChromium({ env, knownPaths, playwrightPath }: ChromiumPlaces = { env: process.env, knownPaths: knownChromiumPaths, playwrightPath: playwrightChromiumPath() }): ChromiumSearch {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    return isExecutableFile(chosen) ? { found: true, path: chosen } : { found: false, problem: `CHROMIUM_PATH=${chosen} is not an executable file. ${howToGetChromium}` };
  }
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((directory) => commandNames.map((name) => join(directory, name)));
  const path = [...onPath, ...knownPaths, ...(playwrightPath ? [playwrightPath] : [])].find(isExecutableFile);
  return path ? { found: true, path } : { found: false, problem: `No Chromium found. ${howToGetChromium}` };
}
