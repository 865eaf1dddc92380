// How the CLI reports failures: one line and exit 2 for user mistakes, the stack only with --debug.
import { describe, expect, it } from 'vitest';
import { reportError, UserError } from '../../../cli/errors.js';
import { ValidationError } from '../../../core/experiment/issues.js';

function capture(error: unknown, debug = false) {
  let stderr = '';
  const code = reportError(
    error,
    {
      stdout: () => undefined,
      stderr: (s) => {
        stderr += s;
      },
    },
    debug,
  );
  return { code, stderr };
}

describe('reportError', () => {
  it('prints a user error as one line and exits 2', () => {
    expect(capture(new UserError('no experiment named "x"'))).toEqual({
      code: 2,
      stderr: 'error: no experiment named "x"\n',
    });
  });

  it('prints each validation issue on its own line and exits 2', () => {
    const error = new ValidationError([
      { file: 'a.yaml', line: 3, col: 1, path: 'name', message: 'must match [a-z0-9-]{3,64}' },
      { file: 'a.yaml', line: 9, col: 5, path: 'fault.observe', message: 'is required' },
    ]);
    expect(capture(error)).toEqual({
      code: 2,
      stderr: 'a.yaml:3:1  name  must match [a-z0-9-]{3,64}\na.yaml:9:5  fault.observe  is required\n',
    });
  });

  it('prints an unexpected error as one line without stack, exit 4, and the stack with --debug', () => {
    const error = new TypeError('boom\nsecond line');
    const plain = capture(error);
    expect(plain).toEqual({ code: 4, stderr: 'error: TypeError: boom (run with --debug for the stack trace)\n' });
    const debug = capture(error, true);
    expect(debug.code).toBe(4);
    expect(debug.stderr).toContain('at ');
  });
});
