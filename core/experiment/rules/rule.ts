// What a cross-field rule is, and defensive accessors over the raw parsed YAML: rules run even when the
// file does not match the schema, so they read `unknown` values and skip whatever is not the expected shape.
import { durationSeconds, isIsoDuration } from '../../duration.js';
import type { IssuePath } from '../issues.js';

export interface RuleIssue {
  /** the field the message is about, as shown to the user */
  path: IssuePath;
  message: string;
  /** where to point when it is not `path` itself (e.g. a missing `local` block is pointed at `provider`) */
  at?: IssuePath;
}

/** A cross-field rule: a pure function of the raw document, returning one issue per problem found. */
export interface Rule {
  name: string;
  check(raw: unknown): RuleIssue[];
}

export type RawMap = Record<string, unknown>;

export function asMap(value: unknown): RawMap | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawMap) : undefined;
}

export function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at `path` under `root`, or undefined as soon as a step is not a mapping. */
export function at(root: unknown, ...path: string[]): unknown {
  let node = root;
  for (const key of path) {
    const map = asMap(node);
    if (!map || !Object.hasOwn(map, key)) return undefined;
    node = map[key];
  }
  return node;
}

/** Entries of the mapping at `path`, [] when it is missing or not a mapping. */
export function entriesAt(root: unknown, ...path: string[]): Array<[string, unknown]> {
  const map = asMap(at(root, ...path));
  return map ? Object.entries(map) : [];
}

/** Seconds of an ISO 8601 duration value, undefined when it is not one (the schema reports that). */
export function secondsOf(value: unknown): number | undefined {
  return typeof value === 'string' && isIsoDuration(value) ? durationSeconds(value) : undefined;
}

export function providerOf(raw: unknown): 'aws' | 'local' {
  return at(raw, 'provider') === 'local' ? 'local' : 'aws';
}

/** Names of the declared probes (keys of steadyState.probes). */
export function probeNames(raw: unknown): Set<string> {
  return new Set(entriesAt(raw, 'steadyState', 'probes').map(([name]) => name));
}

/** `"a", "b"` for messages that list what would have been accepted. */
export function known(names: Iterable<string>): string {
  const list = [...names];
  return list.length === 0 ? 'none declared' : `known: ${list.join(', ')}`;
}
