// The state machine definition itself: valid ASL, JSONPath only, every Task bounded in time and retried on Lambda
// service errors, and every ${Substitution} one the CDK provides.
import { readFileSync } from 'node:fs';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { TASK_FUNCTIONS } from '../../core/steps/task-functions.js';
import { DEFINITION_PATH, loadDefinition } from '../../local/workflow.js';

type State = Record<string, unknown> & { Type: string };
const definition = loadDefinition<{
  States: Record<string, State>;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
}>();
const states = Object.entries(definition.States);

describe('statemachines/experiment.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const result = validator(definition);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only, so the same file runs under aws-local-stepfunctions', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [, state] of states) expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('has an overall timeout', () => {
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
  });

  it.each(states.filter(([, s]) => s.Type === 'Task'))(
    '%s has a timeout and retries Lambda service errors',
    (_name, state) => {
      expect(Boolean(state.TimeoutSeconds) || Boolean(state.TimeoutSecondsPath)).toBe(true);
      const retried = ((state.Retry as Array<{ ErrorEquals: string[] }>) ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
    },
  );

  it('routes every error after injection to StopFault', () => {
    const afterInjection = ['InjectFault', 'Reconcile', 'StopOverdueFault', 'Observe', 'Evaluate', 'Publish'];
    for (const name of afterInjection) {
      const catchers = (definition.States[name]?.Catch as Array<{ ErrorEquals: string[]; Next: string }>) ?? [];
      const all = catchers.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(all?.Next, name).toBe('StopFault');
    }
  });

  it('names only substitutions the CDK provides', () => {
    const text = readFileSync(DEFINITION_PATH, 'utf8');
    const placeholders = new Set([...text.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(TASK_FUNCTIONS.map((n) => `${n}FunctionArn`).sort());
  });
});
