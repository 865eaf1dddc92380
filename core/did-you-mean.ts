// "Did you mean …?": the closest of the accepted names to what was written, for one-line error messages.

/**
 * The candidate closest to `input`, case-insensitively: within an edit distance of a third of its length, or one
 * that starts with `input` (4+ characters: invocationPercent for invocationPercentage). Undefined when none is
 * close enough to be what was meant.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const lower = name.toLowerCase();
    const prefix = wanted.length >= 4 && lower.startsWith(wanted);
    const distance = prefix ? 1 : editDistance(wanted, lower);
    if (!prefix && distance > Math.max(1, Math.floor(name.length / 3))) continue;
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
