// Human-readable values for the report: numbers, bounds, durations, timestamps and the free-form observed/bound fields.

/** A number with at most 4 significant digits after the point, integers as they are (0.7400001 → 0.74). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

/** `{max: 250}` → `≤ 250 ms`, `{min: 3}` → `≥ 3`, both → `3 … 250 ms`. */
export function formatBoundWithUnit(
  bound: { max?: number | undefined; min?: number | undefined },
  unit?: string,
): string {
  const short = unit ? shortUnit(unit) : '';
  const u = short && short !== 'None' ? ` ${short}` : '';
  if (bound.min !== undefined && bound.max !== undefined) {
    return `${formatNumber(bound.min)} … ${formatNumber(bound.max)}${u}`;
  }
  if (bound.max !== undefined) return `≤ ${formatNumber(bound.max)}${u}`;
  if (bound.min !== undefined) return `≥ ${formatNumber(bound.min)}${u}`;
  return '—';
}

const SHORT_UNITS: Record<string, string> = {
  Milliseconds: 'ms',
  Seconds: 's',
  Microseconds: 'µs',
  Percent: '%',
  Count: '',
  'Count/Second': '/s',
  Bytes: 'B',
};

/** CloudWatch unit names shortened for labels (`Milliseconds` → `ms`); unknown units are kept as written. */
export function shortUnit(unit: string): string {
  return SHORT_UNITS[unit] ?? unit;
}

/** A length in seconds as `850 ms`, `12 s`, `4 min 12 s`, `1 h 2 min`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  if (m) return s ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** Seconds between two ISO timestamps, or undefined when either does not parse. */
export function secondsBetween(startIso: string, endIso: string): number | undefined {
  const a = Date.parse(startIso);
  const b = Date.parse(endIso);
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : (b - a) / 1000;
}

/** `2026-03-10T10:00:05.250Z` → `2026-03-10 10:00:05 UTC`; text that is not a timestamp is returned unchanged. */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

const MAX_LIST = 8;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The free-form `observed`/`bound` of a check, or a statistic, as one line of text. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    // Long lists (e.g. every breached period of an hour-long fault) are cut: the full data is in the embedded result.
    const shown = value.slice(0, MAX_LIST).map(formatValue).join('; ');
    return value.length > MAX_LIST ? `${shown}; … ${value.length - MAX_LIST} more` : shown;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const isBound = keys.length > 0 && keys.every((k) => (k === 'max' || k === 'min') && typeof value[k] === 'number');
    if (isBound) return formatBoundWithUnit(value as { max?: number; min?: number });
    return keys
      .map((k) => `${k} ${isPlainObject(value[k]) ? `(${formatValue(value[k])})` : formatValue(value[k])}`)
      .join(', ');
  }
  return String(value);
}

/**
 * Text read from files (result.json, the ledger, experiment files) made safe to print on a terminal: every control
 * character (C0, DEL, C1: Unicode's Cc) is written as a visible escape (ESC → `\x1b`), so `\x1b[2J` in an experiment
 * name cannot clear the screen, move the cursor or fake a colour. `keep` lists the controls the caller's own layout
 * uses (the newlines of a multi-line text); a table cell keeps none.
 */
export function escapeControls(text: string, keep = ''): string {
  return text.replace(/\p{Cc}/gu, (c) =>
    keep.includes(c) ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * Columns padded to their widest cell, two spaces apart; the last column is not padded (it is often a long link).
 * Cells are printed with their control characters escaped (escapeControls).
 */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const safe = [headers, ...rows].map((cells) => cells.map((cell) => escapeControls(cell)));
  const widths = headers.map((_, i) => Math.max(...safe.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return safe.map(line).join('\n');
}
