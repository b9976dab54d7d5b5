import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * HubSpot's own tools on exactly what `hs project upload` sends: the HubSpot project folder alone,
 * copied where no repository node_modules can resolve an import for it. HubSpot's CLI installs its
 * dependencies (`hs project install-deps`: npm install in every package.json folder, the workspace
 * root at src/app for the extensions and the shared packages), HubSpot's builder
 * (@hubspot/ui-extensions-dev-server's `remoteBuild`, what HubSpot's build servers run) builds every
 * UI extension entrypoint, and each extension folder's own ESLint with HubSpot's rules lints it.
 *
 * `hs project lint` itself is not run: CLI 8.14 looks for the lint packages in each extension's own
 * node_modules, and npm workspaces (HubSpot's documented way to share code) hoist them to src/app,
 * so it offers to install them instead of linting. The same ESLint, config and rules run here.
 */

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const hs = path.join(repositoryRoot, 'node_modules/.bin/hs');
/** HubSpot's size guidance for an extension bundle is far above this; ours stay small. */
const bundleLimitBytes = 250 * 1024;

let workDir: string;
let projectDir: string;
let appDir: string;

/**
 * Runs a command as from a clean shell in `cwd`: without the surrounding `npm test`'s npm_* settings
 * and INIT_CWD (HubSpot's CLI looks for the project from INIT_CWD when it is set).
 */
async function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_') && name !== 'INIT_CWD'));
  return promisify(execFile)(command, args, { cwd: options.cwd, env: { ...env, PWD: options.cwd, ...options.env }, maxBuffer: 64 * 1024 * 1024 });
}

async function hsmetaFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : hsmetaFiles(full);
      return entry.name.endsWith('-hsmeta.json') ? [full] : [];
    }),
  );
  return nested.flat();
}

/** Every UI extension the project declares: its folder (the build root) and entry file. */
async function extensionEntrypoints(): Promise<{ uid: string; root: string; entryPoint: string }[]> {
  const found = [];
  for (const file of await hsmetaFiles(path.join(projectDir, 'src'))) {
    const meta = JSON.parse(await readFile(file, 'utf8')) as { uid: string; config?: { entrypoint?: string } };
    const entrypoint = meta.config?.entrypoint;
    if (!entrypoint) continue;
    const absolute = path.join(projectDir, 'src', entrypoint);
    found.push({ uid: meta.uid, root: path.dirname(absolute), entryPoint: path.basename(absolute) });
  }
  return found;
}

async function lint(extensionDir: string, files: string[] = ['.']) {
  const eslint = path.join(appDir, 'node_modules/.bin/eslint');
  // ESLint exits 1 when it finds errors; its JSON report is on stdout either way.
  const { stdout } = await run(eslint, ['--format', 'json', ...files], { cwd: extensionDir }).catch((error: { stdout?: string }) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  const results = JSON.parse(stdout) as { filePath: string; messages: { ruleId: string | null; severity: number; message: string; line: number }[] }[];
  return results.flatMap(({ filePath, messages }) => messages.map((message) => ({ file: path.relative(extensionDir, filePath), ...message })));
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'touchpoints-hubspot-'));
  // Nothing above the copy may hold packages: the build must resolve every import from the copy alone.
  for (let dir = workDir; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    expect(existsSync(path.join(dir, 'node_modules')), `${dir}/node_modules would resolve imports for the copy`).toBe(false);
  }
  projectDir = path.join(workDir, 'crm-app');
  appDir = path.join(projectDir, 'src/app');
  await cp(path.join(repositoryRoot, 'crm-app'), projectDir, {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes('node_modules'),
  });

  // The CLI wants an account in its config even for install-deps, which never calls HubSpot.
  const home = path.join(workDir, 'home');
  await mkdir(path.join(home, '.hscli'), { recursive: true });
  await writeFile(
    path.join(home, '.hscli/config.yml'),
    [
      'defaultAccount: 1',
      'accounts:',
      '  - name: offline',
      '    accountId: 1',
      '    authType: personalaccesskey',
      '    personalAccessKey: offline',
      '    env: prod',
      '    auth:',
      '      tokenInfo:',
      '        accessToken: offline',
      "        expiresAt: '2099-01-01T00:00:00.000Z'",
      '',
    ].join('\n'),
  );
  await run(hs, ['project', 'install-deps'], { cwd: projectDir, env: { HOME: home, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' } });
}, 300_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the HubSpot project, installed by HubSpot’s CLI from its own folder alone', () => {
  it('installs the extensions and the shared packages at the workspace root src/app', () => {
    expect(existsSync(path.join(appDir, 'node_modules/@touchpoints/contracts/package.json'))).toBe(true);
    expect(existsSync(path.join(appDir, 'node_modules/zod/package.json'))).toBe(true);
    expect(existsSync(path.join(appDir, 'node_modules/@hubspot/ui-extensions/package.json'))).toBe(true);
  });

  it('builds every UI extension entrypoint with HubSpot’s builder, each bundle under 250 KB', async () => {
    const extensions = await extensionEntrypoints();
    expect(extensions.map(({ uid }) => uid).sort()).toEqual(['touchpoints_card', 'touchpoints_settings']);
    // The builder bakes NODE_ENV into the bundle; vitest sets it to "test", HubSpot's build servers leave it unset.
    vi.stubEnv('NODE_ENV', 'production');
    for (const { uid, root, entryPoint } of extensions) {
      expect(existsSync(path.join(root, entryPoint)), `${uid}: entrypoint ${entryPoint} is missing`).toBe(true);
      const outputDir = path.join(workDir, 'dist', uid);
      await remoteBuild({ root, entryPoint, outputDir, logLevel: 'error' });
      const bundle = path.join(outputDir, entryPoint.replace(/\.[jt]sx?$/, '.js'));
      const { size } = await stat(bundle);
      console.log(`HubSpot build: ${uid} (${entryPoint}) ${(size / 1024).toFixed(1)} KB minified`);
      expect(size, `${uid} bundle size`).toBeLessThan(bundleLimitBytes);
      expect(existsSync(path.join(outputDir, entryPoint.replace(/\.[jt]sx?$/, '-manifest.json')))).toBe(true);
    }
  }, 120_000);

  it('fails the build on an import the project does not install', async () => {
    const root = path.join(appDir, 'cards');
    await writeFile(path.join(root, 'UnresolvedImport.tsx'), "import leftPad from 'left-pad';\nexport default () => leftPad('x', 3);\n");
    try {
      await expect(remoteBuild({ root, entryPoint: 'UnresolvedImport.tsx', outputDir: path.join(workDir, 'dist/unresolved'), logLevel: 'silent' })).rejects.toThrow(/left-pad/);
    } finally {
      await rm(path.join(root, 'UnresolvedImport.tsx'));
    }
  }, 60_000);

  it('passes HubSpot’s lint in every extension folder with no error or warning', async () => {
    const extensionDirs = [...new Set((await extensionEntrypoints()).map(({ root }) => root))];
    for (const dir of extensionDirs) {
      expect(existsSync(path.join(dir, 'eslint.config.js')), `${path.relative(appDir, dir)} has HubSpot's eslint.config.js`).toBe(true);
      expect(await lint(dir), path.relative(appDir, dir)).toEqual([]);
    }
  }, 120_000);

  it('has the lint refuse an import from outside the extension folder', async () => {
    const root = path.join(appDir, 'cards');
    await writeFile(path.join(root, 'ParentImport.tsx'), "import { SettingsPage } from '../settings/SettingsPage.js';\nexport const page = SettingsPage;\n");
    try {
      expect((await lint(root, ['ParentImport.tsx'])).map(({ ruleId }) => ruleId)).toContain('@hubspot/ui-extensions/no-parent-imports');
    } finally {
      await rm(path.join(root, 'ParentImport.tsx'));
    }
  }, 60_000);
});
