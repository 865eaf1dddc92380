// Errors whose `name` is a contract: the ASL's Retry/Catch and the CLI match on it.

export class ShaketableError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Execution input or catalog entry rejected by Load; nothing was started. */
export class InvalidInputError extends ShaketableError {
  constructor(message: string) {
    super('Shaketable.InvalidInput', message);
  }
}

/** A guardrail refused right before StartExperiment (InjectFault's re-check); nothing was injected. */
export class GuardrailRefusedError extends ShaketableError {
  constructor(readonly reasons: string[]) {
    super('Shaketable.GuardrailRefused', reasons.join('; '));
  }
}

/** The metric window is not complete yet; the ASL retries with backoff (a fallback: the Wait states avoid it). */
export class DataNotReadyError extends ShaketableError {
  constructor(message: string) {
    super('Shaketable.DataNotReady', message);
  }
}

/** The run's state is inconsistent (e.g. no fault recorded where one must be); the run ends in ERROR. */
export class OrchestratorError extends ShaketableError {
  constructor(message: string) {
    super('Shaketable.OrchestratorError', message);
  }
}

/** One line for a thrown value, for reasons and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
