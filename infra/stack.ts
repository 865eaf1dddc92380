// The shaketable stack, read as a table of contents: where results go, the deployed catalog, the workflow
// that runs it, and the alarms that watch it (DESIGN §7).
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type CatalogExperiment, ExperimentCatalog } from './constructs/catalog.js';
import { ExperimentWorkflow } from './constructs/experiment-workflow.js';
import { Monitoring } from './constructs/monitoring.js';
import { Results } from './constructs/results.js';
import { acknowledge } from './least-privilege.js';

export interface ShaketableStackProps extends StackProps {
  /** the validated catalog (infra/catalog-source.ts reads it from `experiments/*.yaml`) */
  experiments: CatalogExperiment[];
}

/** Names of the stack outputs the CLI looks up (`shaketable run --stack S`). */
export const OUTPUTS = {
  stateMachineArn: 'StateMachineArn',
  resultsBucketName: 'ResultsBucketName',
  topicArn: 'TopicArn',
  runTableName: 'RunTableName',
} as const;

export class ShaketableStack extends Stack {
  readonly results: Results;
  readonly catalog: ExperimentCatalog;
  readonly workflow: ExperimentWorkflow;
  readonly monitoring: Monitoring;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ShaketableStackProps) {
    // Minified: CloudFormation's 1 MB template limit counts whitespace too (core/experiment/stack-limits.ts).
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    // Server access logs delivered through a bucket policy, not the deprecated log-delivery ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.results = new Results(this, 'Results');

    this.catalog = new ExperimentCatalog(this, 'Catalog', {
      experiments: props.experiments,
      reportBucket: this.results.bucket,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge rules and Scheduler schedules',
    );

    this.workflow = new ExperimentWorkflow(this, 'Workflow', {
      results: this.results,
      catalog: this.catalog,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.catalog.addSchedules(this.workflow.stateMachine.stateMachineArn, this.deadLetterQueue);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      workflow: this.workflow,
      deadLetterQueue: this.deadLetterQueue,
      alarmTopic: this.results.topic,
    });

    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description, exportName: `${this.stackName}-${name}` });
    output(OUTPUTS.stateMachineArn, this.workflow.stateMachine.stateMachineArn, 'the experiment state machine');
    output(OUTPUTS.resultsBucketName, this.results.bucket.bucketName, 'run results and reports');
    output(OUTPUTS.topicArn, this.results.topic.topicArn, 'verdict notifications');
    output(OUTPUTS.runTableName, this.results.table.tableName, 'locks, task tokens and run history');
  }
}
