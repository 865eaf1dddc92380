// asl-validator 4 ships no type declarations.
declare module 'asl-validator' {
  interface AslValidationResult {
    isValid: boolean;
    errors: Array<{ message?: string; [key: string]: unknown }>;
    errorsText: (separator?: string) => string;
  }
  function validator(definition: unknown, options?: Record<string, unknown>): AslValidationResult;
  export = validator;
}
