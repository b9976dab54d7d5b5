import { build, type BuildOptions, type Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { externalModules, handlerNames } from '../cdk/touchpoints-function.js';
import { percentile, type BenchmarkRow } from './measure.js';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const handlersDir = join(projectRoot, 'lambdas', 'handlers');
const runsPerMeasure = 5;
const aim = { kb: 500, coldInitMs: 150 };

/**
 * The esbuild options of `TouchpointsFunction` (cdk/touchpoints-function.ts, its `bundling` props),
 * as aws-cdk-lib's aws-lambda-nodejs Bundling turns them into esbuild arguments: `--bundle`,
 * `--platform=node`, `--outfile=…/index.mjs` for ESM. The construct does not export them; keep the
 * two in step. `metafile` is ours (for the contributors below) and does not change the output.
 */
function cdkBundlingOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    absWorkingDir: projectRoot, // CDK's local bundling runs esbuild from the project root
    bundle: true,
    platform: 'node',
    format: 'esm', // format: OutputFormat.ESM
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    external: externalModules,
    banner: {
      js: "import { createRequire as touchpointsCreateRequire } from 'node:module'; const require = touchpointsCreateRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  };
}

/** The handler modules in `lambdas/handlers/` that export a Lambda `handler` (the others are shared code). */
async function handlerModules(): Promise<string[]> {
  const names: string[] = [];
  for (const file of (await readdir(handlersDir)).filter((name) => name.endsWith('.ts')).sort()) {
    const source = await readFile(join(handlersDir, file), 'utf8');
    if (/^export\s+(?:const|let|var|(?:async\s+)?function)\s+handler\b/m.test(source)) names.push(file.slice(0, -'.ts'.length));
  }
  const deployed = new Set<string>(handlerNames);
  const drift = [...names.filter((name) => !deployed.has(name)), ...handlerNames.filter((name) => !names.includes(name))];
  if (drift.length) console.error(`  handlers/ and the CDK's handlerNames differ on: ${drift.join(', ')}`);
  // In the CDK's order (webhook first, as the requests flow), any others after.
  const rank = (name: string) => {
    const index = (handlerNames as readonly string[]).indexOf(name);
    return index < 0 ? handlerNames.length : index;
  };
  return names.sort((a, b) => rank(a) - rank(b));
}

/**
 * The child's environment: ours without NODE_OPTIONS (a loader there would be charged to every
 * run). POWERTOOLS_LOG_LEVEL and the rest pass through, as the function's environment would.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...environment } = process.env;
  return environment;
}

/** Wall time of a fresh `node` (the one running this: Node 24 under npm scripts) with `args`, in ms. */
async function wallTimeMs(args: readonly string[], cwd: string): Promise<number> {
  const started = performance.now();
  await run(process.execPath, args, { cwd, env: childEnvironment() });
  return performance.now() - started;
}

async function medianMs(args: readonly string[], cwd: string): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < runsPerMeasure; index += 1) times.push(await wallTimeMs(args, cwd));
  return percentile(times.sort((a, b) => a - b), 0.5);
}

const importArgs = (bundle: string) => ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle).href)})`];

/** `node_modules/@scope/name/…` → `@scope/name`; our own files by their top folder. */
function packageOf(inputPath: string): string {
  const parts = inputPath.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return `(own) ${parts.length > 1 ? `${parts[0]}/` : parts[0]}`;
  const name = parts[at + 1] ?? '?';
  return name.startsWith('@') ? `${name}/${parts[at + 2] ?? '?'}` : name;
}

function contributors(metafile: Metafile, outfileKey: string): { name: string; bytes: number }[] {
  const output = metafile.outputs[outfileKey];
  if (!output) throw new Error(`metafile has no output ${outfileKey}; it has ${Object.keys(metafile.outputs).join(', ')}`);
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + bytesInOutput);
  }
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

const kb = (bytes: number) => bytes / 1024;

/**
 * Each Lambda bundled as the CDK bundles it: the bundle's size (the .mjs, not its source map) and its
 * cold init, a fresh Node importing the bundle minus a bare `node -e ""`, median of five each. The
 * handlers build their dependencies on the first invocation, so importing is the module graph's init.
 */
export async function bundlesBenchmark(): Promise<BenchmarkRow[]> {
  const names = await handlerModules();
  // Bundles in a folder whose node_modules is ours, so the external @aws-sdk/* resolve as the
  // runtime's preinstalled SDK does on Lambda (ESM ignores NODE_PATH).
  const workDir = await mkdtemp(join(tmpdir(), 'touchpoints-bundles-'));
  try {
    await symlink(join(projectRoot, 'node_modules'), join(workDir, 'node_modules'), 'dir');
    const built: { name: string; file: string; bytes: number; metafile: Metafile; outfileKey: string }[] = [];
    for (const name of names) {
      const outDir = join(workDir, name);
      await mkdir(outDir);
      const file = join(outDir, 'index.mjs');
      const result = await build(cdkBundlingOptions(join(handlersDir, `${name}.ts`), file));
      const outfileKey = Object.keys(result.metafile!.outputs).find((key) => key.endsWith(`${name}/index.mjs`));
      built.push({ name, file, bytes: (await stat(file)).size, metafile: result.metafile!, outfileKey: outfileKey ?? file });
    }

    // Untimed: each bundle must load and export its handler (and the disk cache is warm for all).
    for (const { name, file } of built) {
      const check = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }`;
      await run(process.execPath, ['--input-type=module', '-e', check], { cwd: workDir, env: childEnvironment() }).catch((error: Error & { stderr?: string }) => {
        throw new Error(`${name} bundle does not load: ${error.stderr || error.message}`);
      });
    }

    const bareNodeMs = await medianMs(['-e', ''], workDir);
    console.error(`  bare node -e "": ${bareNodeMs.toFixed(1)} ms (median of ${runsPerMeasure}), subtracted below`);
    const rows: BenchmarkRow[] = [];
    for (const { name, file, bytes } of built) {
      const coldInitMs = (await medianMs(importArgs(file), workDir)) - bareNodeMs;
      const over = [kb(bytes) >= aim.kb ? 'size' : '', coldInitMs >= aim.coldInitMs ? 'cold init' : ''].filter(Boolean);
      rows.push({
        benchmark: 'bundles',
        measure: `${name} λ: ${kb(bytes).toFixed(0)} KB bundle, cold init (median of ${runsPerMeasure})`,
        p50Ms: coldInitMs,
        baseline: `aim < ${aim.kb} KB, < ${aim.coldInitMs} ms: ${over.length ? `over on ${over.join(' and ')}` : 'within'}`,
      });
    }
    rows.at(-1)!.baseline += `; bare \`node -e ""\` (${bareNodeMs.toFixed(0)} ms) subtracted`;

    const largest = built.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    console.error(`  largest bundle: ${largest.name} (${kb(largest.bytes).toFixed(1)} KB); top contributors (bytes in output):`);
    for (const { name, bytes } of contributors(largest.metafile, largest.outfileKey).slice(0, 5)) {
      console.error(`    ${name.padEnd(40)} ${kb(bytes).toFixed(1).padStart(7)} KB  ${((bytes / largest.bytes) * 100).toFixed(0).padStart(3)}%`);
    }
    return rows;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
