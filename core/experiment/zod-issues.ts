// Turns zod's issues into one-line messages a user of the experiment file understands ("is required",
// "unknown key "obsrve" (did you mean observe?)"), one per offending field.
import type { z } from 'zod';
import { closestName } from '../did-you-mean.js';
import type { IssuePath } from './issues.js';
import { Experiment } from './schema.js';
import { unsupportedKeyReason } from './unsupported-keys.js';

export interface SchemaIssue {
  path: IssuePath;
  message: string;
}

/** Validates `raw` against the experiment schema; every issue at the field it concerns. */
export function schemaIssues(raw: unknown): { issues: SchemaIssue[]; experiment?: Experiment } {
  const result = Experiment.safeParse(raw, { error: messageFor });
  if (result.success) return { issues: [], experiment: result.data };
  return { issues: result.error.issues.flatMap(toSchemaIssues) };
}

function toSchemaIssues(issue: z.core.$ZodIssue): SchemaIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = knownKeysAt(path);
    return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, allowed, path) }));
  }
  if (issue.code === 'invalid_key') {
    return [{ path, message: issue.issues[0]?.message ?? issue.message }];
  }
  return [{ path, message: issue.message }];
}

/**
 * The per-parse error map: plain messages for the generic codes (schema-level messages take precedence). zod/mini
 * loads no locale, so every parse whose messages reach a user passes this.
 */
export function messageFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${article(issue.expected)}, got ${describe(issue.input)}`;
    case 'invalid_value': {
      // A missing literal (`version`) is a missing key like any other, not "got undefined".
      if (issue.input === undefined) return 'is required';
      const values = issue.values.map((v) => JSON.stringify(v));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return `must be ${expected}, got ${describe(issue.input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array')
        return `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}, got ${describe(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `has at most ${issue.maximum} items`;
      return `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}, got ${describe(issue.input)}`;
    case 'invalid_format':
      return issue.format === 'url' ? `must be a URL, got ${describe(issue.input)}` : undefined;
    case 'invalid_union':
      // The schema's only union is a FIS parameter value.
      return `must be a string, number or boolean, got ${describe(issue.input)}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function unknownKeyMessage(rawKey: string, allowed: readonly string[], path: IssuePath): string {
  // JSON-quoted, so that a key holding a newline or a quote still gives a one-line message.
  const key = JSON.stringify(rawKey).slice(1, -1);
  const reason = unsupportedKeyReason(path, rawKey);
  if (reason) return `unknown key "${key}": ${reason}`;
  const close = closestName(rawKey, allowed);
  if (close) return `unknown key "${key}" (did you mean ${close}?)`;
  return allowed.length > 0 ? `unknown key "${key}" (allowed: ${allowed.join(', ')})` : `unknown key "${key}"`;
}

/** The keys the schema accepts for the object at `path` (walking records, lists and wrappers). */
function knownKeysAt(path: IssuePath): string[] {
  let schema: z.core.$ZodType | undefined = unwrap(Experiment);
  for (const segment of path) {
    if (!schema) return [];
    const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') schema = (def['shape'] as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === 'record') schema = def['valueType'] as z.core.$ZodType;
    else if (def.type === 'array') schema = def['element'] as z.core.$ZodType;
    else return [];
    schema = schema && unwrap(schema);
  }
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') {
      current = def['innerType'] as z.core.$ZodType;
    } else if (def.type === 'pipe') {
      current = def['in'] as z.core.$ZodType;
    } else {
      return current;
    }
  }
}
