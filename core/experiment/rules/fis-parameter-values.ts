// Each action parameter's value is of its FIS type and within its stated range: integers and numbers in range,
// enums among their values, booleans true/false, JSON parameters a JSON object, durations within their bounds
// (that a duration is ISO 8601 at all is action-duration-parameter's).
import { secondsToIso } from '../../duration.js';
import type { FisParameterSpec } from '../../fis/actions.js';
import { awsActions, oneOf } from './fis-table.js';
import { entriesAt, type Rule, type RuleIssue, secondsOf } from './rule.js';

export const fisParameterValues: Rule = {
  name: 'fis-parameter-values',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const action of awsActions(raw)) {
      if (action.spec === undefined) continue;
      for (const [name, value] of entriesAt(action.raw, 'parameters')) {
        const spec = Object.hasOwn(action.spec.parameters, name) ? action.spec.parameters[name] : undefined;
        if (spec === undefined || !isScalar(value)) continue; // unknown names and non-scalars are reported elsewhere
        const problem = valueProblem(spec, String(value));
        if (problem) issues.push({ path: [...action.path, 'parameters', name], message: problem });
      }
    }
    return issues;
  },
};

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** What is wrong with `text` as a value of `spec`, with the fix; undefined when it is fine. */
export function valueProblem(spec: FisParameterSpec, text: string): string | undefined {
  const shown = JSON.stringify(text);
  switch (spec.type) {
    case 'duration': {
      const seconds = secondsOf(text);
      if (seconds === undefined) return undefined;
      return outOfRange(spec, seconds, secondsToIso(seconds), secondsToIso);
    }
    case 'integer':
      if (!/^-?\d+$/.test(text.trim())) return `${shown} must be a whole number${rangeText(spec, String)}`;
      return outOfRange(spec, Number(text), text.trim(), String);
    case 'number':
      if (text.trim() === '' || !Number.isFinite(Number(text)))
        return `${shown} must be a number${rangeText(spec, String)}`;
      return outOfRange(spec, Number(text), text.trim(), String);
    case 'enum':
      return spec.values?.includes(text)
        ? undefined
        : `${shown} must be ${oneOf((spec.values ?? []).map((v) => JSON.stringify(v)))}`;
    case 'boolean':
      return /^(true|false)$/i.test(text) ? undefined : `${shown} must be true or false`;
    case 'json':
      return isJsonObject(text) ? undefined : `${shown} must be a JSON object such as {"key": ["value"]}`;
    case 'string':
      return text.trim() === '' && spec.required ? 'must not be empty' : undefined;
  }
}

function outOfRange(
  spec: FisParameterSpec,
  value: number,
  shown: string,
  format: (n: number) => string,
): string | undefined {
  if ((spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max)) return undefined;
  return `${shown} is out of range; use a value${rangeText(spec, format)}`;
}

function rangeText(spec: FisParameterSpec, format: (n: number) => string): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${format(spec.min)} to ${format(spec.max)}`;
  if (spec.min !== undefined) return ` of at least ${format(spec.min)}`;
  if (spec.max !== undefined) return ` of at most ${format(spec.max)}`;
  return '';
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
