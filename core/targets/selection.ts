// FIS target selection modes (ALL | COUNT(n) | PERCENT(p)) applied to a pool of eligible resources:
// the blast-radius guardrail counts with it, and the local fault injector picks with it, so what is checked is what is hit.
import { SELECTION_MODE } from '../experiment/patterns.js';

export type SelectionMode = { kind: 'ALL' } | { kind: 'COUNT'; count: number } | { kind: 'PERCENT'; percent: number };

/** A selection mode that is not ALL, COUNT(n) with n >= 1 or PERCENT(p) with p in (0,100]. */
export class InvalidSelectionModeError extends Error {
  override readonly name = 'Shaketable.InvalidSelectionMode';
  constructor(readonly mode: string) {
    super(`selection mode "${mode}" is not ALL, COUNT(n) with n >= 1 or PERCENT(p) with p in (0,100]`);
  }
}

export function parseSelectionMode(mode: string): SelectionMode {
  const match = SELECTION_MODE.exec(mode);
  if (!match) throw new InvalidSelectionModeError(mode);
  if (match[2] !== undefined) {
    const count = Number(match[2]);
    if (count < 1) throw new InvalidSelectionModeError(mode);
    return { kind: 'COUNT', count };
  }
  if (match[3] !== undefined) {
    const percent = Number(match[3]);
    if (!(percent > 0 && percent <= 100)) throw new InvalidSelectionModeError(mode);
    return { kind: 'PERCENT', percent };
  }
  return { kind: 'ALL' };
}

/**
 * How many resources a selection mode hits in a pool of `poolSize`.
 * COUNT(n) → min(n, size) (FIS takes what there is); ALL → size.
 * PERCENT(p) → ceil(p% × size), capped at size. The FIS documentation
 * (https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-selection-mode) does not state how a
 * fractional count is rounded, so we round up: the blast-radius guardrail then never under-counts what FIS could
 * hit, and a small percentage of a small pool still hits one resource instead of silently injecting nothing
 * (the same fix Chaos Mesh made in its percent selector).
 */
export function selectedCount(mode: string | SelectionMode, poolSize: number): number {
  if (!Number.isInteger(poolSize) || poolSize < 0)
    throw new RangeError(`pool size must be a whole number >= 0, got ${poolSize}`);
  const parsed = typeof mode === 'string' ? parseSelectionMode(mode) : mode;
  switch (parsed.kind) {
    case 'ALL':
      return poolSize;
    case 'COUNT':
      return Math.min(parsed.count, poolSize);
    case 'PERCENT':
      // Rounding guards against 0.1 + 0.2-style float noise turning an exact count (e.g. 7% of 100) into 8.
      return Math.min(poolSize, Math.ceil(Math.round(((parsed.percent * poolSize) / 100) * 1e9) / 1e9));
  }
}

/**
 * Picks `selectedCount(mode, pool.length)` distinct resources at random, as FIS does.
 * `random` returns numbers in [0, 1); pass a seeded one for reproducible tests.
 */
export function selectTargets<T>(
  mode: string | SelectionMode,
  pool: readonly T[],
  random: () => number = Math.random,
): T[] {
  const count = selectedCount(mode, pool.length);
  const copy = [...pool];
  // Partial Fisher-Yates: the first `count` slots end up a uniform random sample without replacement.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    const picked = copy[j] as T;
    copy[j] = copy[i] as T;
    copy[i] = picked;
  }
  return copy.slice(0, count);
}
