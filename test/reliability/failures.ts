// Failure injection for the reliability suite: errors with the names the ASL's Retry/Catch match on, a port method
// that throws such an error N times (or always), and the end-of-run invariants every cell of the matrix must meet.
import type { World } from '../workflow/fakes.js';

/** An error as a Lambda or an AWS SDK call surfaces it: what the ASL sees is its `name`. */
export function namedError(name: string, message = `${name} (injected)`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The four ways a Task's Lambda fails, by the name Step Functions reports. */
export const LAMBDA_FAILURES = {
  'Lambda error': 'Error',
  // A handler that never resolves ends in the Task's TimeoutSeconds, which Retry/Catch see as States.Timeout.
  'Lambda timeout': 'States.Timeout',
  'throttling beyond retries': 'ThrottlingException',
  'access denied': 'AccessDeniedException',
} as const;
export type LambdaFailure = keyof typeof LAMBDA_FAILURES;

/**
 * Makes `target[method]` throw `name` on its next `times` calls that `when` accepts (default: every call, for ever),
 * then behave normally again. Returns a counter of the failures thrown.
 */
export function failNTimes<T extends object, K extends keyof T>(
  target: T,
  method: K,
  name: string,
  times = Number.POSITIVE_INFINITY,
  when: (...args: never[]) => boolean = () => true,
): { thrown: number } {
  const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const counter = { thrown: 0 };
  target[method] = (async (...args: unknown[]) => {
    if (counter.thrown < times && (when as (...a: unknown[]) => boolean)(...args)) {
      counter.thrown++;
      throw namedError(name);
    }
    return original.apply(target, args);
  }) as unknown as T[K];
  return counter;
}

const ACTIVE = new Set(['pending', 'initiating', 'running', 'stopping']);

/** FIS experiments of the world that are still active (the guarantee: none, once a run has ended). */
export function activeFaults(world: World): string[] {
  return [...world.faults.values()].filter((f) => ACTIVE.has(f.status)).map((f) => `${f.experimentId}:${f.status}`);
}

/** The fault's final state(s), for the matrix table. */
export function faultStates(world: World): string {
  const states = [...world.faults.values()].map((f) => f.status);
  return states.length ? states.join(',') : 'none';
}

/** Ends a hanging fake FIS experiment the way FIS does: after its run time, with an end status and its event. */
export function endFault(world: World, experimentId: string, status = 'completed', runsForMs = 300_000): void {
  const fault = world.faults.get(experimentId);
  if (!fault) throw new Error(`no fake experiment ${experimentId}`);
  world.advance(runsForMs);
  fault.status = status;
  fault.endTime = world.now();
  world.emitEnd(experimentId);
}

/** Resolves once `probe` holds, polling every 5 ms; rejects after `timeoutMs`. */
export async function until(probe: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
