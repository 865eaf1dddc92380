// The target lock key: a stable hash of what an experiment targets, so that two runs aimed at the same resources
// (even from differently named experiments or targets) cannot inject faults at the same time.
import { createHash } from 'node:crypto';
import type { Experiment, Target } from '../experiment/schema.js';
import type { ExternalTemplate } from '../ports.js';

/** The experiment uses `templateId` and its template has not been read yet, so its targets are unknown. */
export class TargetsUnknownError extends Error {
  override readonly name = 'Shaketable.TargetsUnknown';
  constructor(readonly experiment: string) {
    super(
      `${experiment}: fault.templateId targets are unknown; read the template (GetExperimentTemplate) before computing the lock key`,
    );
  }
}

type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

/**
 * JSON with object keys sorted at every depth, so equal values always serialise to equal text.
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(toCanonical(value));
}

function toCanonical(value: unknown): Canonical {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot canonicalise the number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map(toCanonical);
  if (typeof value === 'object') {
    const out: { [key: string]: Canonical } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = toCanonical(member);
    }
    return out;
  }
  throw new TypeError(`cannot canonicalise a ${typeof value}`);
}

/**
 * What identifies the resources a target can hit: type, ARNs, tags, filters and parameters.
 * The selection mode is left out on purpose: COUNT(1) and ALL over the same pool can hit the same resource,
 * so they must share a lock. Order-free lists (ARNs, filters, filter values) are sorted; empty ones are dropped
 * so that `parameters: {}` and no parameters mean the same.
 */
export function targetSpecification(target: Target): Record<string, unknown> {
  const spec: Record<string, unknown> = { resourceType: target.resourceType };
  if (target.resourceArns?.length) spec.resourceArns = [...new Set(target.resourceArns)].sort();
  if (target.resourceTags && Object.keys(target.resourceTags).length) spec.resourceTags = target.resourceTags;
  if (target.filters?.length) {
    const filters = target.filters.map((f) => canonicalJson({ path: f.path, values: [...new Set(f.values)].sort() }));
    spec.filters = [...new Set(filters)].sort().map((f) => JSON.parse(f) as unknown);
  }
  if (target.parameters && Object.keys(target.parameters).length) spec.parameters = target.parameters;
  return spec;
}

/**
 * sha256 (hex) of the canonical set of target specifications of the experiment's fault template, or of the external
 * template for `templateId` experiments. Independent of target names, key order and duplicates.
 */
export function lockKey(experiment: Experiment, externalTemplate?: ExternalTemplate): string {
  const template = experiment.fault.template ?? externalTemplate?.template;
  if (!template) throw new TargetsUnknownError(experiment.name);
  const specs = [...new Set(Object.values(template.targets).map((t) => canonicalJson(targetSpecification(t))))].sort();
  return createHash('sha256')
    .update(`[${specs.join(',')}]`)
    .digest('hex');
}
