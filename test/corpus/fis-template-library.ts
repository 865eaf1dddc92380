// The public FIS experiment templates of aws-samples/fis-template-library (test/fixtures/fis-template-library/),
// each wrapped as the shaketable experiment a user porting it would write: the FIS keys shaketable's template takes
// are carried as they are, the keys shaketable owns (role, logs, reports) are left to the stack, and the rest of the
// experiment (probes, expectations) is a fixed, plain wrapper so that only the template is on trial.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { durationSeconds, isIsoDuration, secondsToIso } from '../../core/duration.js';
import { type FileReport, validateSources } from '../../core/experiment/validate.js';

export const LIBRARY_DIR = join(import.meta.dirname, '..', 'fixtures', 'fis-template-library');

/** Deterministic stand-ins for the placeholders the library's authors left for the reader to fill in. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const AVAILABILITY_ZONE = 'us-east-1a';

/**
 * Top-level keys of an FIS template (CreateExperimentTemplate) that a shaketable file does not carry because the
 * stack sets them itself for every experiment (infra/constructs/catalog.ts); the test checks the stack does.
 */
export const OWNED_BY_SHAKETABLE = {
  roleArn: 'the stack creates a least-privilege FIS role per experiment from the actions it runs',
  logConfiguration: "the stack sends every experiment's log (schema version 2) to its own FIS log group",
  experimentReportConfiguration: "the stack writes every experiment's report to its own bucket",
} as const;

/** Top-level FIS keys that become experiment keys rather than template keys. */
const EXPERIMENT_LEVEL = new Set(['description', 'tags', 'stopConditions']);

export interface LibraryTemplate {
  /** the experiment name: the template's folder in the library, which is already [a-z0-9-] */
  name: string;
  /** path under LIBRARY_DIR */
  file: string;
  /** the template with its placeholders substituted */
  template: Record<string, unknown>;
}

/** Every experiment template of the library (a JSON file under a scenario folder with `actions`), sorted. */
export function libraryTemplates(): LibraryTemplate[] {
  return readdirSync(LIBRARY_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(LIBRARY_DIR, dir.name))
        .filter((file) => file.endsWith('.json'))
        .map((file) => ({
          name: dir.name,
          file: `${dir.name}/${file}`,
          template: JSON.parse(substitutePlaceholders(readFileSync(join(LIBRARY_DIR, dir.name, file), 'utf8'))),
        })),
    )
    .filter((t) => typeof t.template.actions === 'object')
    .sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Replaces the placeholders (`<YOUR AWS ACCOUNT>`, `<YOUR REGION>`, `{{ aws:region }}`, `<YOUR TARGET AZ>`…) with
 * fixed values of the right shape, and any other `<…>` with a slug of its words (`<YOUR ROLE NAME>` → your-role-name).
 */
export function substitutePlaceholders(text: string): string {
  return text.replace(/<([^<>"\\\n]+)>|\{\{\s*([^{}]+?)\s*\}\}/g, (_match, angle?: string, braces?: string) =>
    placeholderValue((angle ?? braces ?? '').trim()),
  );
}

function placeholderValue(words: string): string {
  const upper = words.toUpperCase();
  if (/ACCOUNT/.test(upper)) return ACCOUNT;
  if (/REGION/.test(upper)) return REGION;
  if (/AVAILABILITY ZONE|\bAZ\b/.test(upper)) return AVAILABILITY_ZONE;
  if (/SUBNET/.test(upper)) return 'subnet-0123456789abcdef0';
  if (/SECURITY GROUP/.test(upper)) return 'sg-0123456789abcdef0';
  if (/VPC/.test(upper)) return 'vpc-0123456789abcdef0';
  return words
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface Wrapped {
  name: string;
  /** the experiment file's text */
  yaml: string;
  /** FIS keys of the template the stack owns, so the file does not carry them */
  ownedKeys: string[];
}

/** The shaketable experiment that runs `t`'s template. */
export function wrapTemplate(t: LibraryTemplate): Wrapped {
  const source = t.template;
  const ownedKeys = Object.keys(source).filter((key) => Object.hasOwn(OWNED_BY_SHAKETABLE, key));
  // Every other key goes into fault.template as written, so validation judges what FIS would be sent.
  const template = Object.fromEntries(
    Object.entries(source).filter(([key]) => !EXPERIMENT_LEVEL.has(key) && !ownedKeys.includes(key)),
  );
  const alarms = stopConditionAlarms(source.stopConditions);
  if (alarms.alarms.length > 0) template.stopConditions = alarms.alarms;
  const description = typeof source.description === 'string' ? source.description : t.name;
  const tags = source.tags as Record<string, string> | undefined;
  const experiment = {
    version: 1,
    name: t.name,
    description,
    owner: 'corpus',
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    hypothesis: `While the AWS sample "${t.name}" runs, the service returns no 5xx and is healthy again within 5 minutes.`,
    fault: { template, maxDuration: maxDurationFor(source.actions) },
    // FIS's `{ source: none }`: the sample runs without a stop condition, so the file says so explicitly.
    ...(alarms.none ? { guardrails: { allowNoStopCondition: true } } : {}),
    steadyState: {
      baseline: 'PT10M',
      period: 'PT1M',
      probes: {
        errors: {
          metric: {
            namespace: 'AWS/ApplicationELB',
            name: 'HTTPCode_Target_5XX_Count',
            stat: 'Sum',
            dimensions: { LoadBalancer: 'app/corpus/0123456789abcdef' },
          },
          tolerance: { max: 0 },
        },
      },
    },
    expect: { recovery: 'PT5M' },
  };
  const header = `# aws-samples/fis-template-library ${t.file}, wrapped by test/corpus/fis-template-library.ts\n`;
  return { name: t.name, yaml: header + stringify(experiment, { lineWidth: 0 }), ownedKeys };
}

/** FIS stop conditions as shaketable's: alarm ARNs, or `none` (no stop condition); anything else stays as written. */
function stopConditionAlarms(value: unknown): { alarms: unknown[]; none: boolean } {
  const list = Array.isArray(value) ? (value as Array<{ source?: string; value?: string }>) : [];
  const none = list.some((s) => s.source === 'none');
  const alarms = list
    .filter((s) => s.source !== 'none')
    .map((s) => (s.source === 'aws:cloudwatch:alarm' && s.value ? s.value : s));
  return { alarms, none };
}

/**
 * A maxDuration no chain of the template can exceed: every duration-valued action parameter added up (a sum bounds
 * the longest `startAfter` chain), plus shaketable's default observe (5 × PT1M) and 5 minutes to stop.
 */
function maxDurationFor(actions: unknown): string {
  let seconds = 10 * 60;
  for (const action of Object.values((actions ?? {}) as Record<string, { parameters?: Record<string, unknown> }>)) {
    for (const value of Object.values(action.parameters ?? {})) {
      if (typeof value === 'string' && isIsoDuration(value)) seconds += durationSeconds(value);
    }
  }
  return secondsToIso(seconds);
}

export interface Corpus {
  templates: LibraryTemplate[];
  wrapped: Wrapped[];
  /** one per wrapper, validated together as one catalog (`<name>.yaml`) */
  reports: FileReport[];
  /** the wrappers that validate */
  validated: Wrapped[];
}

/** The whole library, wrapped and validated together as `shaketable validate` would. */
export function wrapLibrary(): Corpus {
  const templates = libraryTemplates();
  const wrapped = templates.map(wrapTemplate);
  const reports = validateSources(wrapped.map((w) => ({ file: `${w.name}.yaml`, content: w.yaml })));
  return { templates, wrapped, reports, validated: wrapped.filter((_, i) => reports[i]?.valid) };
}

/** Writes every wrapper as `<name>.yaml` into a new temporary folder (a catalog); `remove()` deletes it. */
export function writeCatalog(wrapped: readonly Wrapped[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-corpus-'));
  for (const w of wrapped) writeFileSync(join(dir, `${w.name}.yaml`), w.yaml);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
