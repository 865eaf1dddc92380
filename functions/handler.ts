// The one wrapper every Lambda handler shares (middy): structured logging with the Lambda context, and errors
// logged with their stable `name` before they propagate to Step Functions' Retry/Catch. Stack traces name the
// TypeScript sources: the functions run with NODE_OPTIONS=--enable-source-maps (ExperimentWorkflow construct).
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: 'shaketable' });

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
      logger.error(`${name} failed`, error as Error);
      throw error;
    }
  }).use(
    // logEvent: false whatever POWERTOOLS_LOGGER_LOG_EVENT says: events carry task tokens (whoever holds one can
    // complete the run's waiting task) and whatever a caller put in the execution input.
    injectLambdaContext(logger, { clearState: true, logEvent: false }),
  );
}
