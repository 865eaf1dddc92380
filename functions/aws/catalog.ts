// The deployed catalog: experiments validated at synth time and bundled as catalog.json with the Load function,
// joined with the deploy-time ids in `/shaketable/catalog/<name>` (FIS template id, compiled alarm names).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../core/experiment/schema.js';
import type { HolidayTable } from '../../core/guardrails/holiday-calendar.js';
import type { Catalog, CatalogEntry } from '../../core/ports.js';
import type { SsmCatalogIds } from './ssm.js';

/** catalog.json as the CDK writes it (infra/constructs/catalog.ts). */
export interface CatalogFile {
  version: 1;
  experiments: Record<string, Experiment>;
  /** public holidays per calendar code, computed at synth */
  holidays: Record<string, HolidayTable>;
}

/** The bundled catalog.json is not one the CDK wrote (or not for this version of the code). */
export class CatalogFileError extends Error {
  override readonly name = 'Shaketable.CatalogFile';
  constructor(detail: string) {
    super(`catalog.json: ${detail}; redeploy with \`cdk deploy\``);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * catalog.json is the synth's own output, shipped in the same asset as this code: every experiment in it was
 * validated, with its defaults applied, by `validateSources` when the CDK app ran. It is not parsed with the
 * schema again at cold start (that took ~15 ms for three experiments, a third of Load's import); this only refuses
 * a file that is not such a catalog.
 */
export function parseCatalogFile(raw: unknown): CatalogFile {
  if (!isRecord(raw) || raw.version !== 1) throw new CatalogFileError('expected {version: 1, experiments, holidays}');
  const { experiments, holidays = {} } = raw;
  if (!isRecord(experiments)) throw new CatalogFileError('"experiments" is not a mapping');
  for (const [name, experiment] of Object.entries(experiments)) {
    if (!isRecord(experiment) || experiment.name !== name) {
      throw new CatalogFileError(`experiments.${name} is not the validated experiment named ${name}`);
    }
  }
  if (!isRecord(holidays) || !Object.values(holidays).every((t) => isRecord(t) && isRecord(t.dates))) {
    throw new CatalogFileError('"holidays" is not a mapping of holiday tables');
  }
  return raw as unknown as CatalogFile;
}

export function defaultCatalogPath(): string {
  return process.env.CATALOG_FILE ?? join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), 'catalog.json');
}

export class BundledCatalog implements Catalog {
  private readonly experiments: Record<string, Experiment>;
  private readonly holidays: CatalogFile['holidays'];

  constructor(
    file: unknown,
    private readonly ids: Pick<SsmCatalogIds, 'read'>,
  ) {
    const parsed = parseCatalogFile(file);
    this.experiments = parsed.experiments;
    this.holidays = parsed.holidays;
  }

  static fromFile(path: string, ids: Pick<SsmCatalogIds, 'read'>): BundledCatalog {
    return new BundledCatalog(JSON.parse(readFileSync(path, 'utf8')), ids);
  }

  async list(): Promise<string[]> {
    return Object.keys(this.experiments).sort();
  }

  async get(name: string): Promise<CatalogEntry> {
    const experiment = this.experiments[name];
    if (!experiment || !Object.hasOwn(this.experiments, name))
      throw new Error(`experiment "${name}" is not in the deployed catalog`);
    const ids = await this.ids.read(name);
    const code = experiment.guardrails?.holidays;
    return {
      experiment,
      ...(ids.templateId ? { templateId: ids.templateId } : {}),
      ...(ids.stepTemplateIds ? { stepTemplateIds: ids.stepTemplateIds } : {}),
      compiledAlarms: ids.compiledAlarms,
      ...(code && this.holidays[code] ? { holidays: [this.holidays[code]] } : {}),
    };
  }
}
