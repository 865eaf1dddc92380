// The deployed catalog: experiments validated at synth time and bundled as catalog.json with the Load function,
// joined with the deploy-time ids in `/shaketable/catalog/<name>` (FIS template id, compiled alarm names).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { Experiment } from '../../core/experiment/schema.js';
import type { Catalog, CatalogEntry } from '../../core/ports.js';
import type { SsmCatalogIds } from './ssm.js';

/** catalog.json as the CDK writes it: `{ experiments: { <name>: <validated experiment> } }`. */
export const CatalogFile = z.object({
  experiments: z.record(z.string(), Experiment),
  /** public holidays per calendar code, computed at synth (infra/constructs/catalog.ts) */
  holidays: z._default(
    z.record(
      z.string(),
      z.object({
        code: z.string(),
        from: z.string(),
        to: z.string(),
        dates: z.record(z.string(), z.array(z.string())),
      }),
    ),
    {},
  ),
});

export function defaultCatalogPath(): string {
  return process.env.CATALOG_FILE ?? join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), 'catalog.json');
}

export class BundledCatalog implements Catalog {
  private readonly experiments: Record<string, Experiment>;
  private readonly holidays: z.infer<typeof CatalogFile>['holidays'];

  constructor(
    file: unknown,
    private readonly ids: Pick<SsmCatalogIds, 'read'>,
  ) {
    const parsed = CatalogFile.parse(file);
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
      compiledAlarms: ids.compiledAlarms,
      ...(code && this.holidays[code] ? { holidays: [this.holidays[code]] } : {}),
    };
  }
}
