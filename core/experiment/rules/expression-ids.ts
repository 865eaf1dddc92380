// The probe ids a CloudWatch metric-math expression refers to. Function names (FILL, IF, SUM…) and keywords
// are upper case while metric-math ids must start with a lower-case letter, so every identifier that starts
// lower case and is not called like a function is a reference; quoted strings (SEARCH queries) are skipped.

export function referencedProbeIds(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
  const ids = new Set<string>();
  for (const match of withoutStrings.matchAll(/(?<![\w.])([a-z][a-zA-Z0-9_]*)(?!\s*\()/g)) {
    ids.add(match[1]!);
  }
  return [...ids];
}
