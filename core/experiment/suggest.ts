// "Did you mean …?": the closest of the names a field accepts to a misspelt one (an edit away, or a prefix such as
// invocationPercent for invocationPercentage), so an error names the fix.

/** The accepted name closest to `name`, or undefined when none is close enough to be what was meant. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const prefix = lower.startsWith(wanted) && wanted.length >= 4;
    const distance = prefix ? 1 : editDistance(wanted, lower);
    if (!prefix && distance > Math.max(1, Math.floor(candidate.length / 3))) continue;
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
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
