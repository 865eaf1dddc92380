// SSM Parameter Store adapters: the kill switch (`/shaketable/halt`) and the deploy-time ids of each catalog
// experiment (`/shaketable/catalog/<name>`: FIS template id and compiled abortWhen alarms).
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import * as z from 'zod/mini';
import { type Clock, type KillSwitch, systemClock } from '../../core/ports.js';

/** The kill-switch parameter's value (what `/shaketable/halt` holds): who turned it on, why and when. */
export interface HaltValue {
  on: boolean;
  reason?: string;
  at?: string;
}

type Parser<T> = (raw: unknown) => T | string;

const HALT_VALUE = z.object({
  on: z.boolean({ error: '"on" must be true or false' }),
  reason: z.optional(z.string({ error: '"reason" must be a string' })),
  at: z.optional(z.string({ error: '"at" must be a string' })),
});

export const parseHaltValue: Parser<HaltValue> = (raw) => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'expected a JSON object {on, reason?, at?}';
  const parsed = z.safeParse(HALT_VALUE, raw);
  if (!parsed.success) return parsed.error.issues.map((issue) => issue.message).join('; ');
  const { on, reason, at } = parsed.data;
  return { on, ...(reason !== undefined ? { reason } : {}), ...(at !== undefined ? { at } : {}) };
};

/** A parameter exists but does not hold the JSON shaketable wrote there. */
export class ParameterUnreadableError extends Error {
  override readonly name = 'Shaketable.ParameterUnreadable';
  constructor(
    readonly parameter: string,
    detail: string,
  ) {
    super(
      `SSM parameter ${parameter} does not hold the expected JSON (${detail}); rewrite it with the CLI or redeploy`,
    );
  }
}

/** The experiment has no deploy-time ids: it is not in the deployed catalog (or the stack is not deployed). */
export class CatalogIdsNotFoundError extends Error {
  override readonly name = 'Shaketable.CatalogIdsNotFound';
  constructor(
    readonly experiment: string,
    readonly parameter: string,
  ) {
    super(
      `experiment "${experiment}" has no deployed ids (SSM parameter ${parameter} not found); deploy the catalog first`,
    );
  }
}

function isParameterNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ParameterNotFound';
}

function parseJson<T>(parameter: string, text: string | undefined, parse: Parser<T>): T {
  if (text === undefined) throw new ParameterUnreadableError(parameter, 'no value');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ParameterUnreadableError(parameter, `not JSON: ${(error as Error).message}`);
  }
  const parsed = parse(raw);
  if (typeof parsed === 'string') throw new ParameterUnreadableError(parameter, parsed);
  return parsed;
}

/**
 * The kill switch. A missing parameter means off (a fresh account, or a stack deployed without it); a parameter
 * holding something else than `{on, reason, at}` is an error, so an unreadable switch never reads as "off".
 */
export class SsmKillSwitch implements KillSwitch {
  constructor(
    private readonly ssm: SSMClient,
    private readonly parameter = '/shaketable/halt',
    private readonly clock: Clock = systemClock,
  ) {}

  async get(): Promise<{ on: boolean; reason?: string }> {
    try {
      const out = await this.ssm.send(new GetParameterCommand({ Name: this.parameter }));
      const value = parseJson(this.parameter, out.Parameter?.Value, parseHaltValue);
      return value.reason === undefined ? { on: value.on } : { on: value.on, reason: value.reason };
    } catch (error) {
      if (isParameterNotFound(error)) return { on: false };
      throw error;
    }
  }

  async set(on: boolean, reason?: string): Promise<void> {
    const value: HaltValue = { on, at: this.clock.now().toISOString() };
    if (reason !== undefined) value.reason = reason;
    await this.ssm.send(
      new PutParameterCommand({ Name: this.parameter, Value: JSON.stringify(value), Type: 'String', Overwrite: true }),
    );
  }
}

/** What `/shaketable/catalog/<name>` holds: ids known only after `cdk deploy`. */
export interface CatalogIds {
  templateId?: string;
  compiledAlarms: string[];
  /** a ramp: one FIS template per step, in order (templateId is the first) */
  stepTemplateIds?: string[];
}

export const parseCatalogIds: Parser<CatalogIds> = (raw) => {
  const v = raw as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return 'expected a JSON object {templateId?, compiledAlarms?, stepTemplateIds?}';
  if (v.templateId !== undefined && (typeof v.templateId !== 'string' || v.templateId === '')) {
    return '"templateId" must be a non-empty string';
  }
  const alarms = v.compiledAlarms ?? [];
  if (!Array.isArray(alarms) || alarms.some((a) => typeof a !== 'string' || a === '')) {
    return '"compiledAlarms" must be a list of alarm names';
  }
  const steps = v.stepTemplateIds;
  if (steps !== undefined && (!Array.isArray(steps) || steps.some((t) => typeof t !== 'string' || t === ''))) {
    return '"stepTemplateIds" must be a list of FIS template ids';
  }
  return {
    ...(v.templateId !== undefined ? { templateId: v.templateId as string } : {}),
    compiledAlarms: alarms as string[],
    ...(steps !== undefined ? { stepTemplateIds: steps as string[] } : {}),
  };
};

/** Reads the deploy-time ids of catalog experiments. */
export class SsmCatalogIds {
  constructor(
    private readonly ssm: SSMClient,
    private readonly prefix = '/shaketable/catalog',
  ) {}

  parameterName(experiment: string): string {
    return `${this.prefix.replace(/\/+$/, '')}/${experiment}`;
  }

  async read(experiment: string): Promise<CatalogIds> {
    const name = this.parameterName(experiment);
    try {
      const out = await this.ssm.send(new GetParameterCommand({ Name: name }));
      return parseJson(name, out.Parameter?.Value, parseCatalogIds);
    } catch (error) {
      if (isParameterNotFound(error)) throw new CatalogIdsNotFoundError(experiment, name);
      throw error;
    }
  }
}

/** `readCatalogIds(ssm, name)`: the one-call form of SsmCatalogIds#read for the Load step. */
export function readCatalogIds(
  ssm: SSMClient,
  experiment: string,
  prefix = '/shaketable/catalog',
): Promise<CatalogIds> {
  return new SsmCatalogIds(ssm, prefix).read(experiment);
}
