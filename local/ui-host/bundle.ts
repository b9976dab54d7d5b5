import { build, type Plugin } from 'esbuild';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The host's stand-in for `@hubspot/ui-extensions` (browser/ui-extensions.ts). */
export const hostComponentsModule = fileURLToPath(new URL('./browser/ui-extensions.ts', import.meta.url));

/**
 * Resolves `@hubspot/ui-extensions` to the host's component set. The host has no subpath
 * modules (the extensions import none): importing one fails the bundle, as does importing a
 * name the component set lacks (esbuild's "No matching export").
 */
export function hostComponentsPlugin(componentsModule = hostComponentsModule): Plugin {
  return {
    name: 'local-hubspot-ui-host',
    setup(builder) {
      builder.onResolve({ filter: /^@hubspot\/ui-extensions(\/.*)?$/ }, ({ path }) =>
        path === '@hubspot/ui-extensions'
          ? { path: componentsModule }
          : { errors: [{ text: `The local HubSpot UI host has no "${path}": add it under local/ui-host/browser/ first` }] },
      );
    },
  };
}

export interface ExtensionBundle {
  code: string;
  /** Every source file the bundle was built from, with its modification time then. */
  inputs: Map<string, number>;
}

/** The extension's own code and React, for the browser, with `@hubspot/ui-extensions` as the host's. */
export async function bundleExtension(entryPoint: string, componentsModule = hostComponentsModule): Promise<ExtensionBundle> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [hostComponentsPlugin(componentsModule)],
  });
  const inputs = new Map<string, number>();
  await Promise.all(Object.keys(result.metafile.inputs).map(async (input) => inputs.set(input, (await stat(input)).mtimeMs)));
  return { code: result.outputFiles[0]!.text, inputs };
}

async function unchanged(bundle: ExtensionBundle): Promise<boolean> {
  const times = await Promise.all([...bundle.inputs].map(async ([input, mtimeMs]) => (await stat(input).catch(() => null))?.mtimeMs === mtimeMs));
  return times.every(Boolean);
}

/**
 * Bundles built on first request and kept; a bundle whose sources changed since is built again,
 * so an edit to the extension shows on the next reload. A failed build is not kept.
 */
export class ExtensionBundles {
  private readonly built = new Map<string, Promise<ExtensionBundle>>();

  constructor(private readonly entryPoints: Readonly<Record<string, string>>) {}

  async code(name: string): Promise<string> {
    const entryPoint = this.entryPoints[name];
    if (!entryPoint) throw new Error(`No extension named ${name}`);
    const cached = this.built.get(name);
    if (cached) {
      const bundle = await cached.catch(() => null);
      if (bundle && (await unchanged(bundle))) return bundle.code;
    }
    const building = bundleExtension(entryPoint);
    this.built.set(name, building);
    building.catch(() => {
      if (this.built.get(name) === building) this.built.delete(name);
    });
    return (await building).code;
  }
}
