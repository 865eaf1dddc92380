// The rows every benchmark returns and the one table `npm run bench` prints: each figure is a count or a ratio
// against a baseline measured in the same run, beside its goal and whether it was met.

export interface Row {
  /** which figure of issue 9 the row belongs to (1-6) */
  section: string;
  figure: string;
  value: string;
  /** the baseline the figure is compared with, measured in the same run ('' when it is a count) */
  baseline: string;
  goal: string;
  /** true/false when there is a goal; null when there is none or the figure could not be measured */
  met: boolean | null;
  /** why a budget was missed, or why the figure is not measured */
  note?: string;
}

export function metLabel(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

/** A markdown table (GitHub renders it; a terminal reads it as is). */
export function formatTable(rows: readonly Row[]): string {
  const header = ['#', 'figure', 'value', 'baseline (same run)', 'goal', 'met?'];
  const body = rows.map((r) => [r.section, r.figure, r.value, r.baseline || '—', r.goal || '—', metLabel(r.met)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The notes under the table: every missed budget and every figure not measured, with its cause. */
export function formatNotes(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.note)
    .map((r) => `- ${r.section} ${r.figure}: ${r.note}`)
    .join('\n');
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

export function usd(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toFixed(6)}`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
