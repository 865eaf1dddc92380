// `shaketable new <name> --from <starter> [--out f]`: writes a new experiment file from one of the starters in
// starters/ (real FIS actions, stop conditions, guardrails and probes, the values to edit marked), checked valid.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { formatIssue } from '../../core/experiment/issues.js';
import { loadDocument } from '../../core/experiment/load.js';
import { PLACEHOLDER } from '../../core/experiment/placeholders.js';
import { asString, at } from '../../core/experiment/rules/rule.js';
import { EXPERIMENT_NAME } from '../../core/experiment/schema.js';
import { parseExperimentText } from '../../core/experiment/validate.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';
import { DEFAULT_CATALOG, findExperimentFiles } from './validate.js';

/** The starters, in the order `--help` lists them; each is starters/<name>.yaml, itself a valid experiment. */
export const STARTERS = {
  'ec2-instance-loss': 'terminate one EC2 instance behind a load balancer (aws:ec2:terminate-instances)',
  'ec2-instance-ramp':
    'terminate EC2 instances in growing steps, one, a quarter, then half (fault.ramp, aws:ec2:terminate-instances)',
  'ecs-task-loss': "stop a quarter of an ECS service's tasks (aws:ecs:stop-task)",
  'rds-failover': 'fail an Aurora cluster over to a reader (aws:rds:failover-db-cluster)',
  'az-network-disrupt': "cut one Availability Zone's subnets off from the others (aws:network:disrupt-connectivity)",
  'cpu-stress': "load one instance's CPUs (aws:ssm:send-command, AWSFIS-Run-CPU-Stress)",
  'memory-stress': "take most of one instance's memory (aws:ssm:send-command, AWSFIS-Run-Memory-Stress)",
  'disk-fill': "fill one instance's disk (aws:ssm:send-command, AWSFIS-Run-Disk-Fill)",
  'network-latency': "add 200 ms to one instance's network (aws:ssm:send-command, AWSFIS-Run-Network-Latency)",
  'lambda-errors': "fail 10 % of a Lambda function's invocations (aws:lambda:invocation-error)",
  'az-power-interruption':
    'FIS\'s "AZ Availability: Power Interruption" scenario for one zone: 8 actions, EBS pause after the restart (startAfter)',
  'eks-pod-delete': "delete half of a Kubernetes deployment's pods on EKS (aws:eks:pod-delete)",
  'dynamodb-replication-pause':
    "pause a DynamoDB global table's replication (aws:dynamodb:global-table-pause-replication)",
  'elasticache-az-power':
    "power off an ElastiCache group's nodes in one zone (aws:elasticache:replicationgroup-interrupt-az-power)",
  'ec2-api-throttle': "throttle one IAM role's EC2 API calls (aws:fis:inject-api-throttle-error)",
  'ssm-automation': 'run an SSM Automation runbook as the fault (aws:ssm:start-automation-execution)',
} as const satisfies Record<string, string>;
export type StarterName = keyof typeof STARTERS;

export const STARTERS_DIR = fileURLToPath(new URL('../../starters/', import.meta.url));
/** The schema shipped with shaketable: the written file's editor hint points here, wherever the file goes. */
const SCHEMA_FILE = fileURLToPath(new URL('../../schema/experiment.schema.json', import.meta.url));
const SCHEMA_HINT = /^# yaml-language-server: \$schema=.*$/m;
const NAME_LINE = /^name: .*$/gm;
/** How a starter marks what the user must change; both still validate as written. */
const EDIT_MARK = new RegExp(`${PLACEHOLDER}|# EDIT:`);
const EXPERIMENT_FILE = /\.ya?ml$/;

/** A starter that no longer validates once its name is set: a defect of shaketable, not of the user's input. */
export class StarterInvalidError extends Error {
  override readonly name = 'Shaketable.StarterInvalid';
}

/** A line of the written file holding a placeholder or an `# EDIT:` note. */
export interface EditLine {
  /** 1-based */
  line: number;
  text: string;
}

export interface WrittenStarter {
  /** the file as shown to the user: relative to cwd when inside it */
  file: string;
  absolutePath: string;
  starter: StarterName;
  text: string;
  edits: EditLine[];
}

export interface WriteStarterOptions {
  name: string;
  from: string;
  /** default experiments/<name>.yaml */
  out?: string;
  cwd: string;
}

export function isStarterName(value: string): value is StarterName {
  return Object.hasOwn(STARTERS, value);
}

/** The text of starter `from` made into experiment `name`, its schema hint pointing at `schemaRef`. */
export async function renderStarter(name: string, from: StarterName, schemaRef: string): Promise<string> {
  const template = await readFile(resolve(STARTERS_DIR, `${from}.yaml`), 'utf8');
  const nameLines = template.match(NAME_LINE) ?? [];
  if (nameLines.length !== 1 || !SCHEMA_HINT.test(template)) {
    throw new StarterInvalidError(`starters/${from}.yaml needs exactly one top-level "name:" line and a schema hint`);
  }
  // stringify quotes a name YAML would otherwise read as a number, boolean or null (e.g. 2024, true).
  return template
    .replace(SCHEMA_HINT, `# yaml-language-server: $schema=${schemaRef}`)
    .replace(NAME_LINE, `name: ${stringify(name).trimEnd()}`);
}

/** Writes a new experiment from a starter, refusing bad input and existing files; the file validates as written. */
export async function writeStarter(options: WriteStarterOptions): Promise<WrittenStarter> {
  const { name, from, cwd } = options;
  if (!EXPERIMENT_NAME.test(name)) {
    throw new UserError(
      `experiment name "${name}" must match [a-z0-9-]{3,64}: 3 to 64 lower-case letters, digits and hyphens`,
    );
  }
  if (!isStarterName(from)) {
    throw new UserError(`unknown starter "${from}"; choose one of: ${Object.keys(STARTERS).join(', ')}`);
  }
  const out = options.out ?? `${DEFAULT_CATALOG}/${name}.yaml`;
  if (!EXPERIMENT_FILE.test(out)) {
    throw new UserError(
      `--out ${out} must end in .yaml or .yml: the catalog and \`npx shaketable validate\` read only those`,
    );
  }
  const absolutePath = resolve(cwd, out);
  const file = shownPath(absolutePath, cwd);
  const schemaRef = relative(dirname(absolutePath), SCHEMA_FILE).split(sep).join('/');
  const text = await renderStarter(name, from, schemaRef);

  const taken = await fileNamed(name, cwd);
  if (taken) {
    throw new UserError(
      `${taken} already holds experiment "${name}"; experiment names are unique across ${DEFAULT_CATALOG}/: choose another name`,
    );
  }

  const report = parseExperimentText(text, file);
  if (!report.valid) {
    throw new StarterInvalidError(
      `starter ${from} does not validate as experiment ${name}:\n${report.issues.map(formatIssue).join('\n')}`,
    );
  }

  await mkdir(dirname(absolutePath), { recursive: true }).catch((error: unknown) => {
    // mkdir says EEXIST when a file stands where a folder of the path should be.
    const code = (error as { code?: unknown }).code;
    throw code === 'EEXIST' || code === 'ENOTDIR' ? notAFolder(file) : writeRefusal(error, file);
  });
  // 'wx' fails with EEXIST instead of replacing: an existing experiment is never overwritten, even in a race.
  await writeFile(absolutePath, text, { flag: 'wx' }).catch((error: unknown) => {
    throw writeRefusal(error, file);
  });
  return { file, absolutePath, starter: from, text, edits: editLines(text) };
}

/** The lines holding a REPLACE-ME placeholder or an `# EDIT:` note, in file order. */
export function editLines(text: string): EditLine[] {
  return text.split('\n').flatMap((line, i) => (EDIT_MARK.test(line) ? [{ line: i + 1, text: line.trim() }] : []));
}

/** The catalog file (experiments/**) that already holds experiment `name`, as `validate` would report the clash. */
async function fileNamed(name: string, cwd: string): Promise<string | undefined> {
  const files = await findExperimentFiles(DEFAULT_CATALOG, cwd).catch((error: unknown) => {
    // No catalog folder (or a file in its place, which the write then reports): no name to clash with.
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  });
  for (const file of files) {
    // A file that is not YAML has no raw document, hence no name; `validate` reports it.
    const { raw } = loadDocument(await readFile(resolve(cwd, file)), file);
    if (asString(at(raw, 'name')) === name) return file;
  }
  return undefined;
}

export function registerNewCommand(program: Command, context: CliContext): void {
  const width = Math.max(...Object.keys(STARTERS).map((s) => s.length));
  const starterList = Object.entries(STARTERS)
    .map(([starter, what]) => `  ${starter.padEnd(width)}  ${what}`)
    .join('\n');
  program
    .command('new')
    .description(
      `write a new experiment file from a starter (default ${DEFAULT_CATALOG}/<name>.yaml); it validates as written`,
    )
    .argument('<name>', 'the experiment name: [a-z0-9-]{3,64}, unique in the catalog')
    .requiredOption('--from <starter>', 'the starter to copy (listed below)')
    .option('--out <file>', `where to write it (default: ${DEFAULT_CATALOG}/<name>.yaml); never overwrites`)
    .addHelpText(
      'after',
      `
Starters:
${starterList}

Every value to change is marked REPLACE-ME or with an "# EDIT:" comment; the command prints those lines.

Examples:
  npx shaketable new checkout-cpu --from cpu-stress
  npx shaketable new orders-az-loss --from az-network-disrupt --out experiments/staging/orders-az-loss.yaml`,
    )
    .action(async (name: string, options: { from: string; out?: string }) => {
      const written = await writeStarter({ name, from: options.from, out: options.out, cwd: context.cwd });
      context.io.stdout(describeWritten(written));
      context.exitCode = 0;
    });
}

function describeWritten(written: WrittenStarter): string {
  const lines = [`created ${written.file} from starter ${written.starter}; it validates as written.`];
  if (written.edits.length > 0) {
    lines.push(
      `Edit these ${written.edits.length} lines for your system before you deploy it (synth refuses a ${PLACEHOLDER} left in it):`,
    );
    const width = String(written.edits.at(-1)?.line ?? 0).length;
    for (const edit of written.edits) lines.push(`  ${written.file}:${String(edit.line).padEnd(width)}  ${edit.text}`);
  }
  lines.push(`Then check it with: npx shaketable validate --strict ${written.file}`);
  return `${lines.join('\n')}\n`;
}

function shownPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : absolutePath;
}

function notAFolder(file: string): UserError {
  return new UserError(`cannot write ${file}: a part of its folder path is a file`);
}

/** A file-system refusal (it carries an errno code) is the user's to fix; anything else is a defect and propagates. */
function writeRefusal(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'EEXIST') {
    return new UserError(
      `${file} already exists; choose another name or --out (npx shaketable new never overwrites a file)`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`cannot write ${file}: permission denied`);
  if (code === 'ENOTDIR') return notAFolder(file);
  if (typeof code === 'string') return new UserError(`cannot write ${file} (${code})`);
  return error;
}
