// `npm run build` (also the `prepare` script, so `npm ci` runs it): the shaketable CLI as JavaScript in dist/, so a
// command starts in node's own time instead of compiling TypeScript at every start. One esbuild bundle split at the
// dynamic imports: the AWS SDK, the sandbox and the report renderer load only in the commands that use them; packages
// stay in node_modules (not bundled). A test checks that the launcher runs what this builds.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import packageJson from '../package.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const ENTRY = 'cli/main.ts';

/**
 * Sources find their files next to themselves (`new URL('../statemachines/…', import.meta.url)`); bundled, every
 * module lives in dist/, so each source's `import.meta.url` becomes the URL of its own file, relative to the bundle.
 */
const sourceLocation: Plugin = {
  name: 'source-location',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const fromDist = JSON.stringify(relative(DIST, path).split('\\').join('/'));
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${fromDist}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

/**
 * Small pure-JavaScript libraries every command loads are bundled: node then reads one file instead of resolving
 * hundreds (zod alone took longer to load than node to start). The rest (the AWS SDK, the sandbox's engine,
 * date-holidays' data…) stay in node_modules and load when a command needs them.
 */
const BUNDLED = new Set(['commander', 'yaml', 'zod', 'picocolors']);

function externalPackages(): string[] {
  return Object.keys(packageJson.dependencies)
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}

export async function buildCli(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: ENTRY },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    plugins: [sourceLocation],
    // commander is CommonJS and requires node's modules: give the ES module bundle a require.
    banner: {
      js: "import { createRequire as __shaketableRequire } from 'node:module'; const require = __shaketableRequire(import.meta.url);",
    },
  });
  await writeFile(METAFILE, JSON.stringify(metafile));
  await buildConsoleApp();
}

/** The console page's script and stylesheet (cli/console/app/): what `shaketable console` serves, no CDN. */
export const CONSOLE_ASSETS = join(DIST, 'console');

async function buildConsoleApp(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'cli/console/app/main.ts', 'app-style': 'cli/console/app/app.css' },
    outdir: CONSOLE_ASSETS,
    // app.css rather than app-style.css: one name per asset, as the server lists them.
    entryNames: '[name]',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Current Chromium and Firefox (issue 19); <dialog>, EventSource and CSS nesting-free rules work in both.
    target: ['chrome120', 'firefox120'],
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
  await rename(join(CONSOLE_ASSETS, 'app-style.css'), join(CONSOLE_ASSETS, 'app.css'));
}

/** What the build left: esbuild's description of every output file and its imports. */
const METAFILE = join(DIST, 'meta.json');

/**
 * The packages the CLI loads before it runs any command: the external imports reachable from dist/main.js through
 * static imports only (a dynamic `import()` waits for the command that needs it).
 */
export async function startupPackages(): Promise<string[]> {
  const metafile = JSON.parse(await readFile(METAFILE, 'utf8')) as Metafile;
  const root = relative(ROOT, DIST).split('\\').join('/');
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [`${root}/main.js`];
  for (let output = pending.pop(); output !== undefined; output = pending.pop()) {
    if (seen.has(output)) continue;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) packages.add(imported.path);
      else pending.push(imported.path);
    }
  }
  return [...packages].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
