// Unfinished placeholders: a starter marks every value the user must change with REPLACE-ME (`new` prints those
// lines). Such a file is a valid experiment — it validates as written — but deploying it would put REPLACE-ME-app
// into a FIS template, so `validate` warns about each one (`--strict` refuses them) and synth refuses them.
import type { IssuePath } from './issues.js';
import { asMap, type RuleIssue } from './rules/rule.js';

/** The mark of a value still to be replaced, in keys and values alike (comments are not read). */
export const PLACEHOLDER = 'REPLACE-ME';

/** One finding per key or string value that still holds the placeholder, in document order. */
export function placeholderFindings(raw: unknown): RuleIssue[] {
  const found: RuleIssue[] = [];
  const visit = (node: unknown, path: IssuePath): void => {
    if (typeof node === 'string') {
      if (node.includes(PLACEHOLDER)) found.push({ path, message: placeholderMessage(node) });
      return;
    }
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, [...path, i]);
      return;
    }
    const map = asMap(node);
    if (!map) return;
    for (const [key, value] of Object.entries(map)) {
      if (key.includes(PLACEHOLDER)) found.push({ path: [...path, key], message: placeholderMessage(key) });
      visit(value, [...path, key]);
    }
  };
  visit(raw, []);
  return found;
}

function placeholderMessage(text: string): string {
  return `unfinished placeholder ${JSON.stringify(text)}: put your value here (the line's "# EDIT:" note says which)`;
}
