import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import S3rver from 's3rver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../core/result/model.js';
import { InvalidS3UriError, ResultUnreadableError, runPrefix, S3ResultStore } from '../../../functions/aws/s3.js';

function result(overrides: Partial<Result> = {}): Result {
  return {
    runId: 'run-abc',
    experiment: 'checkout-instance-loss',
    verdict: 'PASSED',
    reasons: ['every check held'],
    // 23:30 in New York is already the next day in UTC: the folder follows UTC
    startedAt: '2026-03-03T23:30:00-05:00',
    endedAt: '2026-03-04T04:50:00Z',
    trigger: 'schedule',
    preflight: { checks: [{ name: 'window', ok: true, message: 'inside the window' }] },
    fis: { experimentId: 'EXP1', state: 'completed', targets: ['arn:aws:ec2:eu-central-1:1:instance/i-1'] },
    phases: {},
    probes: {},
    events: [],
    ...overrides,
  };
}

describe('runPrefix', () => {
  it('dates the folder by the run start in UTC', () => {
    expect(runPrefix('x', 'r1', '2026-03-03T23:30:00-05:00')).toBe('runs/x/2026/03/04/r1/');
    expect(runPrefix('x', 'r1', '2026-12-31T23:59:59Z')).toBe('runs/x/2026/12/31/r1/');
  });

  it('refuses a start that is not a time', () => {
    expect(() => runPrefix('x', 'r1', 'yesterday')).toThrow(RangeError);
  });
});

describe('S3ResultStore (commands)', () => {
  const s3 = new S3Client({ region: 'eu-central-1' });
  const mock = mockClient(s3);
  beforeEach(() => mock.reset());

  it('writes result.json then report.html under the run folder with their content types', async () => {
    mock.on(PutObjectCommand).resolves({});
    const stored = await new S3ResultStore(s3, 'results').put(result(), '<!doctype html><p>report</p>');

    const inputs = mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.Bucket, i.Key, i.ContentType])).toEqual([
      ['results', 'runs/checkout-instance-loss/2026/03/04/run-abc/result.json', 'application/json; charset=utf-8'],
      ['results', 'runs/checkout-instance-loss/2026/03/04/run-abc/report.html', 'text/html; charset=utf-8'],
    ]);
    expect(JSON.parse(String(inputs[0]?.Body))).toEqual(result());
    expect(stored).toEqual({
      resultUri: 's3://results/runs/checkout-instance-loss/2026/03/04/run-abc/result.json',
      reportUri: 's3://results/runs/checkout-instance-loss/2026/03/04/run-abc/report.html',
    });
  });

  it('does not write the report when the result could not be written', async () => {
    mock.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(new S3ResultStore(s3, 'results').put(result(), '<p/>')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('refuses a URI that is not s3://bucket/key', async () => {
    await expect(new S3ResultStore(s3, 'results').get('https://example.com/result.json')).rejects.toThrow(
      InvalidS3UriError,
    );
  });
});

describe('S3ResultStore against s3rver on 127.0.0.1', () => {
  let server: S3rver;
  let directory: string;
  let s3: S3Client;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'shaketable-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'results' }],
    });
    const { port } = await server.run();
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('stores a result and its report and reads the result back', async () => {
    const store = new S3ResultStore(s3, 'results');
    const stored = await store.put(result({ verdict: 'DEGRADED' }), '<!doctype html><title>r</title>');

    await expect(store.get(stored.resultUri)).resolves.toEqual(result({ verdict: 'DEGRADED' }));
    const report = await s3.send(
      new GetObjectCommand({ Bucket: 'results', Key: stored.reportUri.slice('s3://results/'.length) }),
    );
    expect(report.ContentType).toBe('text/html; charset=utf-8');
    expect(await report.Body?.transformToString()).toBe('<!doctype html><title>r</title>');
  });

  it('refuses to read back an object that is not a result', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'results', Key: 'runs/x/not-a-result.json', Body: '{"runId": 1}' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'results', Key: 'runs/x/not-a-result.json' }));
    expect(head.ContentLength).toBeGreaterThan(0);
    await expect(new S3ResultStore(s3, 'results').get('s3://results/runs/x/not-a-result.json')).rejects.toThrow(
      ResultUnreadableError,
    );
  });

  it('lets a missing object fail with the S3 error name', async () => {
    await expect(new S3ResultStore(s3, 'results').get('s3://results/runs/none/result.json')).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });
});
