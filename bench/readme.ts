// README.md's Performance section, written from a bench run: by `npm run bench -- --readme`, or from the last
// bench/results.json by `npx tsx bench/readme.ts` (no re-measuring: the table is exactly that run's rows).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatNotes, formatTable, type Row } from './table.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  date: string;
}

/** Replaces README.md's "## Performance" section (up to the next "## " heading), or appends it. */
export async function writeReadme(
  table: string,
  notes: string,
  info: MachineInfo,
  seconds: number,
  runs: { bundleImportRuns: number; cliStartRuns: number },
): Promise<void> {
  const text = await readFile(README, 'utf8');
  const section = [
    '## Performance',
    '',
    '`npm run bench` measures what users and operators pay for, each figure as a count or as a ratio against a',
    'baseline measured in the same run (shared machines are noisy; no test asserts a time). It prints this table',
    'and writes `bench/results.json`; `npm run bench -- --readme` refreshes it here.',
    '',
    `Last run ${info.date.slice(0, 10)} on ${info.cpu} (${info.cores} cores, ${info.memoryGb} GB), ${info.os}, node ${info.node}, in ${seconds.toFixed(0)} s:`,
    '',
    table,
    '',
    ...(notes ? ['Why a budget is missed, or a figure is not measured:', '', notes, ''] : []),
    'How each figure is measured: (1) the real `statemachines/experiment.asl.json` under aws-local-stepfunctions',
    'with the port fakes of the workflow tests on a virtual clock, counting StateEntered + StateRetried events;',
    'the polling baseline is the same definition with InjectFault replaced by Start → Wait(5 s) → GetExperiment →',
    'Choice, executed the same way. (2) the same runs with the real CloudWatch adapter over a mocked',
    'CloudWatchClient. (3) esbuild with the options `NodejsFunction` derives from the construct (ESM, node22,',
    'minify, source map, AWS SDK bundled, uPlot files copied beside Publish and Janitor), then',
    '`node -e "import(bundle)"` as deployed (and once more with --enable-source-maps), against `node -e 0`,',
    `medians of ${runs.bundleImportRuns}, interleaved. (4) \`validateSources\` against \`yaml.parse\` of the same 1,000`,
    'texts. (5) `shaketable run',
    '--local --json` as a child process, RSS of its process tree from /proc every 200 ms. (6) `core/cost` over',
    'the counts of (1)-(2), Lambda assumed 1 s billed per invocation. (7) `node bin/shaketable.js` (the CLI',
    `compiled into dist/ by \`npm run build\`, which \`npm ci\` runs) against \`node -e 0\`, medians of ${runs.cliStartRuns}, interleaved.`,
    '(8) `shaketable console --local` over the shipped experiments/local, opened in headless Chromium: bytes of every',
    'response up to the catalog being drawn, and navigation start to that render, against a bare page from loopback.',
    '',
  ].join('\n');
  const start = text.search(/^## Performance\s*$/m);
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${section}`;
  else {
    const after = text.slice(start + 1).search(/^## /m);
    const end = after < 0 ? text.length : start + 1 + after;
    next = `${text.slice(0, start)}${section}${after < 0 ? '' : `\n${text.slice(end)}`}`;
  }
  await writeFile(README, next.endsWith('\n') ? next : `${next}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(await readFile(RESULTS, 'utf8')) as {
    machine: MachineInfo & { benchSeconds: number };
    rows: Row[];
    figures: { bundles: { runs: number }; cliStart?: { runs: number } };
  };
  await writeReadme(
    formatTable(results.rows),
    formatNotes(results.rows),
    results.machine,
    results.machine.benchSeconds,
    {
      bundleImportRuns: results.figures.bundles.runs,
      cliStartRuns: results.figures.cliStart?.runs ?? 0,
    },
  );
}
