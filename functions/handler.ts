// The one wrapper every Lambda handler shares (middy): structured logging with the Lambda context, and errors
// logged with their stable `name` before they propagate to Step Functions' Retry/Catch.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { stackMapper } from './stack-map.js';

export const logger = new Logger({ serviceName: 'shaketable' });

// Bundled, this module is part of the function's index.mjs: its URL is the bundle's, and the map lies beside it.
const mapStack = stackMapper(import.meta.url);

/** The stack mapped to the sources; an unreadable map is logged and leaves the step's own error as it was. */
function mappedStack(stack: string): string {
  try {
    return mapStack(stack);
  } catch (mapError) {
    logger.warn('stack trace left unmapped: the source map could not be read', { reason: String(mapError) });
    return stack;
  }
}

/**
 * `state` names the ASL state in the logs; a function shared by two states (StopFault and StopOverdueFault, Publish
 * and PublishError) tells them apart by the payload its state passes.
 */
export function stepHandler<E, R>(state: string | ((event: E) => string), step: (event: E) => Promise<R>) {
  return middy(async (event: E, _context: Context): Promise<R> => {
    const name = typeof state === 'string' ? state : state(event);
    try {
      const output = await step(event);
      logger.info(`${name} done`);
      return output;
    } catch (error) {
      // Mapped before it is logged and rethrown, so both the log and the error Step Functions records name sources.
      if (error instanceof Error && error.stack) error.stack = mappedStack(error.stack);
      logger.error(`${name} failed`, error as Error);
      throw error;
    }
  }).use(
    // logEvent: false whatever POWERTOOLS_LOGGER_LOG_EVENT says: events carry task tokens (whoever holds one can
    // complete the run's waiting task) and whatever a caller put in the execution input.
    injectLambdaContext(logger, { clearState: true, logEvent: false }),
  );
}
