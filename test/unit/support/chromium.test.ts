import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChromium, howToGetChromium } from '../../support/chromium.js';

let root: string;

/** A file at `relativePath` under the test's folder, with `mode`; its full path. */
function file(relativePath: string, mode: number): string {
  const path = join(root, relativePath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}
const executable = (relativePath: string) => file(relativePath, 0o755);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chromium-search-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('finding Chromium for the browser tests', () => {
  it('takes CHROMIUM_PATH first when it names an executable', () => {
    const chosen = executable('custom/chrome');
    executable('bin/chromium');

    expect(findChromium({ env: { CHROMIUM_PATH: chosen, PATH: join(root, 'bin') }, knownPaths: [], playwrightPath: undefined })).toEqual({ found: true, path: chosen });
  });

  it('says in one line that a CHROMIUM_PATH naming no executable is wrong, without looking elsewhere', () => {
    executable('bin/chromium');
    const search = findChromium({ env: { CHROMIUM_PATH: join(root, 'missing'), PATH: join(root, 'bin') }, knownPaths: [], playwrightPath: undefined });

    expect(search).toEqual({ found: false, problem: `CHROMIUM_PATH=${join(root, 'missing')} is not an executable file. ${howToGetChromium}` });
  });

  it('finds chromium-browser or Chrome on PATH', () => {
    const chrome = executable('bin/google-chrome');

    expect(findChromium({ env: { PATH: `${join(root, 'empty')}:${join(root, 'bin')}` }, knownPaths: [], playwrightPath: undefined })).toEqual({ found: true, path: chrome });
  });

  it('passes over a file on PATH that cannot be run', () => {
    file('bin/chromium', 0o644);
    const known = executable('usr/bin/chromium');

    expect(findChromium({ env: { PATH: join(root, 'bin') }, knownPaths: [known], playwrightPath: undefined })).toEqual({ found: true, path: known });
  });

  it('falls back to Playwright’s own download', () => {
    const downloaded = executable('ms-playwright/chromium-1255/chrome-linux64/chrome');

    expect(findChromium({ env: { PATH: '' }, knownPaths: [join(root, 'nowhere')], playwrightPath: downloaded })).toEqual({ found: true, path: downloaded });
  });

  it('says in one line how to get Chromium when there is none', () => {
    const search = findChromium({ env: { PATH: join(root, 'bin') }, knownPaths: [join(root, 'usr/bin/chromium')], playwrightPath: join(root, 'ms-playwright/chrome') });

    expect(search).toEqual({ found: false, problem: `No Chromium found. ${howToGetChromium}` });
    expect(search.found || search.problem).not.toContain('\n');
    expect(howToGetChromium).toMatch(/apt-get install chromium.*CHROMIUM_PATH.*playwright-core install chromium/);
  });
});
