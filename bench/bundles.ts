// Figure 3: every Lambda handler bundled as the CDK's NodejsFunction bundles it (the esbuild arguments
// aws-lambda-nodejs derives from infra/constructs/experiment-workflow.ts `LAMBDA_BUNDLING`), its minified size, and
// the cold import of each bundle in a fresh `node` against `node -e 0` in the same run, with the functions'
// NODE_OPTIONS.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { validateSources } from '../core/experiment/validate.js';
import { CHART_LIBRARY_FILES, chartLibraryDir } from '../core/report/chart-library.js';
import {
  CHART_LIBRARY_HANDLERS,
  chartLibraryCopy,
  handlerEntry,
  LAMBDA_BUNDLING,
  LAMBDA_NODE_OPTIONS,
} from '../infra/constructs/experiment-workflow.js';
import { median } from './table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The construct's bundling options as NodejsFunction turns them into esbuild arguments (bundleAwsSDK: no
 * externals).
 */
export const CDK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: LAMBDA_BUNDLING.target,
  format: LAMBDA_BUNDLING.format,
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: LAMBDA_BUNDLING.sourceMap,
  sourcesContent: LAMBDA_BUNDLING.sourcesContent,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  external: LAMBDA_BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*'],
  banner: { js: LAMBDA_BUNDLING.banner },
  logLevel: 'error',
};

export interface BundleFigures {
  handler: string;
  entry: string;
  bytes: number;
  sourceMapBytes: number;
  /** files the construct copies beside the bundle that the function reads but does not run (uPlot for reports) */
  besideBytes: number;
  /** the largest packages in the bundle (bytes of output they account for) */
  topPackages: Array<{ name: string; bytes: number; via?: string }>;
  /** packages bundled from more than one install (e.g. two @smithy/* versions), with their folders */
  duplicatePackages: Array<{ name: string; copies: string[] }>;
  /** median wall time of `node -e "import(bundle)"` (ms), as deployed (the functions' NODE_OPTIONS) */
  importMs?: number;
  importRatio?: number;
  /** the same without NODE_OPTIONS: what mapping stack traces through the source map costs at cold start */
  importMsNoSourceMaps?: number;
  importRatioNoSourceMaps?: number;
}

/** Files of functions/ (not functions/aws) that export a Lambda `handler`. */
export async function handlerEntries(): Promise<string[]> {
  const dir = join(ROOT, 'functions');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
  const entries: string[] = [];
  for (const f of files) {
    if (/export const handler\b/.test(await readFile(join(dir, f), 'utf8'))) entries.push(join(dir, f));
  }
  return entries;
}

// The SDK's default credential chain (env, SSO, INI, web identity…) and the STS/SSO clients it bundles, as one part.
const CREDENTIAL_CHAIN = /^@aws-sdk\/(client-sts|client-sso|client-sso-oidc|credential-provider-.*|token-providers)$/;

/** What a bundled input belongs to: a package (SDK parts grouped), or a folder of our own code. */
export function partOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (!match) return `${input.split('/')[0] ?? input}/ (own code)`;
  const name = match[1]!;
  if (CREDENTIAL_CHAIN.test(name)) return 'SDK default credential chain (STS, SSO clients)';
  if (name.startsWith('@smithy/')) return '@smithy/*';
  return name;
}

function topPackages(meta: Metafile, count = 6): Array<{ name: string; bytes: number; via?: string }> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = partOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes.entries()]
    .map(([name, b]) => ({ name, bytes: b }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count)
    .map((p) => {
      const via = importChain(meta, p.name);
      return via ? { ...p, via } : p;
    });
}

/** Packages whose files come from more than one node_modules folder: the same code (or two versions) twice. */
function duplicatePackages(meta: Metafile): BundleFigures['duplicatePackages'] {
  const roots = new Map<string, Set<string>>();
  for (const input of Object.keys(meta.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (!match) continue;
    const copies = roots.get(match[2]!) ?? new Set<string>();
    copies.add(match[1]!);
    roots.set(match[2]!, copies);
  }
  return [...roots.entries()]
    .filter(([, copies]) => copies.size > 1)
    .map(([name, copies]) => ({ name, copies: [...copies].sort() }));
}

/**
 * How the entry reaches `part` through our own files: the shortest import chain, e.g.
 * `functions/load.ts → functions/aws/clients.ts → zod`. Undefined for our own code and for SDK parts.
 */
function importChain(meta: Metafile, part: string): string | undefined {
  if (part.endsWith('(own code)') || part.startsWith('@smithy') || part.startsWith('SDK ')) return undefined;
  const entry = Object.values(meta.outputs).find((o) => o.entryPoint)?.entryPoint;
  if (!entry) return undefined;
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of meta.inputs[file]?.imports ?? []) {
      if (previous.has(next.path) || next.external) continue;
      previous.set(next.path, file);
      if (partOf(next.path) === part) {
        const chain = [part];
        for (let at: string | null | undefined = file; at; at = previous.get(at)) {
          if (!at.includes('node_modules')) chain.unshift(at);
          else if (chain[0] !== '…') chain.unshift('…');
        }
        return chain.join(' → ');
      }
      queue.push(next.path);
    }
  }
  return undefined;
}

/** A catalog.json as the CDK writes it, from the shipped AWS experiments: the Load handler reads it at import. */
async function writeCatalog(dir: string): Promise<string> {
  const folder = join(ROOT, 'experiments');
  const names = (await readdir(folder)).filter((f) => f.endsWith('.yaml'));
  const reports = validateSources(
    await Promise.all(names.map(async (n) => ({ file: n, content: await readFile(join(folder, n), 'utf8') }))),
  );
  const experiments: Record<string, unknown> = {};
  for (const r of reports) {
    if (!r.valid || !r.experiment) throw new Error(`${r.file} is not valid: ${r.issues[0]?.message ?? '?'}`);
    experiments[r.experiment.name] = r.experiment;
  }
  const file = join(dir, 'catalog.json');
  await writeFile(file, JSON.stringify({ version: 1, experiments }));
  return file;
}

function timeNode(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

export interface BundleBench {
  bundles: BundleFigures[];
  nodeBaselineMs: number;
  runs: number;
}

/** The bundles (by file name) the construct gives uPlot's files, and what those files weigh. */
const CHART_LIBRARY_BUNDLES = new Set<string>(
  CHART_LIBRARY_HANDLERS.map((name) => basename(handlerEntry(name), '.ts')),
);

async function chartLibraryBytes(): Promise<number> {
  const dir = chartLibraryDir({});
  let bytes = 0;
  for (const f of CHART_LIBRARY_FILES) bytes += (await stat(join(dir, f))).size;
  return bytes;
}

/**
 * Builds every handler into `dir/<handler>/index.mjs` as the CDK would (with the files its construct copies beside
 * it), with what each bundle is made of.
 */
export async function buildBundles(dir: string): Promise<BundleFigures[]> {
  const bundles: BundleFigures[] = [];
  for (const entry of await handlerEntries()) {
    const handler = basename(entry, '.ts');
    const outfile = join(dir, handler, 'index.mjs');
    const result = await build({ ...CDK_BUNDLING, entryPoints: [entry], outfile, metafile: true });
    const charts = CHART_LIBRARY_BUNDLES.has(handler);
    if (charts) execFileSync('bash', ['-c', chartLibraryCopy(join(dir, handler)).join(' && ')]);
    bundles.push({
      handler,
      entry: entry.slice(ROOT.length),
      bytes: (await stat(outfile)).size,
      sourceMapBytes: (await stat(`${outfile}.map`)).size,
      besideBytes: charts ? await chartLibraryBytes() : 0,
      topPackages: topPackages(result.metafile!),
      duplicatePackages: duplicatePackages(result.metafile!),
    });
  }
  return bundles;
}

export async function benchBundles(runs = 5): Promise<BundleBench> {
  const dir = await mkdtemp(join(tmpdir(), 'shaketable-bench-bundles-'));
  try {
    const bundles = await buildBundles(dir);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      RESULTS_BUCKET: 'bench-results',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t',
      RUN_TABLE: 'bench-runs',
      CATALOG_FILE: await writeCatalog(dir),
      // the SDK prints a support notice on Node < 22; it is not part of the import
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    };
    // As deployed, and without the source maps to show what they cost.
    const deployed: NodeJS.ProcessEnv = { ...env, NODE_OPTIONS: LAMBDA_NODE_OPTIONS };
    const baseline: number[] = [];
    const times = new Map<string, { deployed: number[]; noMaps: number[] }>(
      bundles.map((b) => [b.handler, { deployed: [], noMaps: [] }]),
    );
    // Interleaved, so a noisy neighbour slows every series alike.
    for (let i = 0; i < runs; i++) {
      baseline.push(await timeNode(['-e', '0'], env));
      for (const b of bundles) {
        const code = `import(${JSON.stringify(`file://${join(dir, b.handler, 'index.mjs')}`)})`;
        const t = times.get(b.handler)!;
        t.deployed.push(await timeNode(['-e', code], deployed));
        t.noMaps.push(await timeNode(['-e', code], env));
      }
    }
    const nodeBaselineMs = median(baseline);
    for (const b of bundles) {
      const t = times.get(b.handler)!;
      b.importMs = median(t.deployed);
      b.importRatio = b.importMs / nodeBaselineMs;
      b.importMsNoSourceMaps = median(t.noMaps);
      b.importRatioNoSourceMaps = b.importMsNoSourceMaps / nodeBaselineMs;
    }
    return { bundles, nodeBaselineMs, runs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
