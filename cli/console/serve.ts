// Runs the console until Ctrl-C (SIGINT) or SIGTERM: builds the backend for the chosen side, starts the server,
// prints its URL, and on the signal closes every connection and waits for a run it started to be recorded as
// stopped (the runner's own signal guard stops its sandbox), so that no process is left behind.

import type { ConsoleOptions } from '../commands/console.js';
import { INTERNAL_ERROR_EXIT_CODE } from '../errors.js';
import type { CliContext } from '../main.js';
import type { ConsoleBackend } from './backend.js';
import { LocalBackend } from './local-backend.js';
import { oneLine } from './rows.js';
import { startConsoleServer } from './server.js';

export async function serveConsole(options: ConsoleOptions, context: CliContext): Promise<number> {
  const warn = (line: string) => context.io.stderr(`${line}\n`);
  let backend: ConsoleBackend;
  if (options.local) backend = new LocalBackend(context.cwd, warn);
  else {
    const { AwsBackend } = await import('./aws-backend.js');
    backend = await AwsBackend.open(options, context.cwd, warn);
  }
  const server = await startConsoleServer(backend, options.port === undefined ? {} : { port: options.port });
  const { where } = await backend.state();
  context.io.stdout(
    `shaketable console (${where})\n  ${server.url}\nopen it in a browser; Ctrl-C stops the console and any run it started\n`,
  );
  const failure = await new Promise<unknown>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        // A second Ctrl-C while stopping: leave now; the sandbox's exit hook kills its instances.
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      context.io.stdout('stopping the console…\n');
      const done = (error?: unknown) => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(error);
      };
      server.stop().then(() => done(), done);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  if (failure !== undefined) {
    context.io.stderr(`error: the console did not stop cleanly: ${oneLine(failure)}\n`);
    return INTERNAL_ERROR_EXIT_CODE;
  }
  context.io.stdout('console stopped\n');
  // Everything the console started is stopped and recorded by now. A run interrupted while it waited for its fault
  // leaves aws-local-stepfunctions' timers behind (the execution's TimeoutSeconds and the pending task's timeout
  // are cleared only when the execution returns, which an aborted one never does), and they would keep this process
  // alive for hours: a server that has shut down leaves.
  process.exit(0);
}
