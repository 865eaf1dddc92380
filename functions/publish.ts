// Publish / PublishError (ASL states) → core/steps/publish.ts: result + report to S3, ledger, lock, then SNS.

import { reportRenderer } from '../core/report/chart-library.js';
import { type PublishDeps, publish } from '../core/steps/publish.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { logger, stepHandler } from './handler.js';

const env = loadEnv();
const deps: PublishDeps = {
  clock: aws.clock,
  ledger: aws.ledger(env),
  results: aws.results(env),
  notifier: aws.notifier(env),
  renderReport: reportRenderer(),
};

export const handler = stepHandler(
  // PublishError passes the whole failed state as `failure`
  (event) => ('failure' in event ? 'PublishError' : 'Publish'),
  async (event: Parameters<typeof publish>[1]) => {
    const output = await publish(deps, event);
    const experiment = 'failure' in event ? event.failure.plan.experiment : event.plan.experiment;
    // CloudWatch embedded metric format: `Runs` by Verdict and by experiment (DESIGN §5), no PutMetricData call.
    logger.info('verdict', {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: 'Shaketable',
            Dimensions: [['Verdict'], ['Experiment', 'Verdict']],
            Metrics: [{ Name: 'Runs', Unit: 'Count' }],
          },
        ],
      },
      Verdict: output.verdict,
      Experiment: experiment,
      Runs: 1,
    });
    if (output.notifyError) logger.error('notification failed; the result is stored', { error: output.notifyError });
    return output;
  },
);
