import { readFileSync } from 'node:fs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Result } from '../../../core/result/model.js';
import { rampSummary } from '../../../core/result/ramp.js';
import { notificationSubject, SnsNotifier } from '../../../functions/aws/sns.js';

const topic = 'arn:aws:sns:eu-central-1:111122223333:shaketable';

describe('SnsNotifier', () => {
  const sns = new SNSClient({ region: 'eu-central-1' });
  const mock = mockClient(sns);
  beforeEach(() => mock.reset());

  it('publishes the verdict with a scannable subject, a JSON body and filterable attributes', async () => {
    mock.on(PublishCommand).resolves({ MessageId: 'm1' });
    await new SnsNotifier(sns, topic).publish({
      runId: 'run-1',
      experiment: 'checkout-instance-loss',
      verdict: 'FAILED',
      reasons: ['stop condition checkout-5xx-high fired at 10:03'],
      resultUri: 's3://bucket/runs/checkout-instance-loss/2026/03/03/run-1/result.json',
      reportUri: 's3://bucket/runs/checkout-instance-loss/2026/03/03/run-1/report.html',
      runbook: 'https://wiki.example.com/runbooks/checkout',
    });

    const input = mock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(topic);
    expect(input?.Subject).toBe('[shaketable] FAILED checkout-instance-loss');
    expect(input?.MessageAttributes).toEqual({
      verdict: { DataType: 'String', StringValue: 'FAILED' },
      experiment: { DataType: 'String', StringValue: 'checkout-instance-loss' },
    });
    expect(JSON.parse(input?.Message ?? '')).toEqual({
      source: 'shaketable',
      runId: 'run-1',
      experiment: 'checkout-instance-loss',
      verdict: 'FAILED',
      reasons: ['stop condition checkout-5xx-high fired at 10:03'],
      result: 's3://bucket/runs/checkout-instance-loss/2026/03/03/run-1/result.json',
      report: 's3://bucket/runs/checkout-instance-loss/2026/03/03/run-1/report.html',
      runbook: 'https://wiki.example.com/runbooks/checkout',
    });
  });

  it('carries the response times (TTD) in the body', async () => {
    mock.on(PublishCommand).resolves({ MessageId: 'm1' });
    const response = { detectedBy: 'checkout-5xx-high', ttdSeconds: 90, ttmSeconds: null, ttrSeconds: 120 };
    await new SnsNotifier(sns, topic).publish({
      runId: 'run-1',
      experiment: 'checkout-instance-loss',
      verdict: 'PASSED',
      reasons: [],
      resultUri: 's3://b/result.json',
      reportUri: 's3://b/report.html',
      response,
    });
    const input = mock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(JSON.parse(input?.Message ?? '').response).toEqual(response);
  });

  it("carries a ramp's progress and one line per step reached in the body", async () => {
    mock.on(PublishCommand).resolves({ MessageId: 'm1' });
    const result = Result.parse(
      JSON.parse(readFileSync(new URL('../../fixtures/results/ramp-degraded.json', import.meta.url), 'utf8')),
    );
    await new SnsNotifier(sns, topic).publish({
      runId: result.runId,
      experiment: result.experiment,
      verdict: result.verdict,
      reasons: result.reasons,
      resultUri: 's3://b/result.json',
      reportUri: 's3://b/report.html',
      ramp: rampSummary(result)!,
    });
    const input = mock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(JSON.parse(input?.Message ?? '').ramp).toEqual({
      progress: 'reached 2/3 (DEGRADED at PERCENT(50))',
      steps: ['step 1/3 COUNT(1): PASSED, 1 target hit', 'step 2/3 PERCENT(50): DEGRADED, 2 targets hit'],
    });
  });

  it('lets a failed publish through so the caller can record it', async () => {
    mock.on(PublishCommand).rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    await expect(
      new SnsNotifier(sns, topic).publish({
        runId: 'r',
        experiment: 'e',
        verdict: 'PASSED',
        reasons: [],
        resultUri: 'u',
        reportUri: 'v',
      }),
    ).rejects.toMatchObject({ name: 'AuthorizationErrorException' });
  });

  it('keeps the subject within 100 characters', () => {
    const subject = notificationSubject('INCONCLUSIVE', 'x'.repeat(64) + '-very-long-name');
    expect(subject.length).toBe(100);
    expect(subject.startsWith('[shaketable] INCONCLUSIVE xxx')).toBe(true);
    expect(notificationSubject('PASSED', 'short')).toBe('[shaketable] PASSED short');
  });
});
