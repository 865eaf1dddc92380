// S3 result store: result.json and report.html under runs/<experiment>/<yyyy>/<mm>/<dd>/<runId>/ (DESIGN §5),
// dated by the run's start in UTC so one run's files never straddle two folders.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResultStore, StoredResult } from '../../core/ports.js';
import type { Result } from '../../core/result/model.js';
import { validateResult } from '../../core/result/validate.js';
import { parseS3Uri } from './s3-uri.js';

export { InvalidS3UriError, parseS3Uri } from './s3-uri.js';

/** The object exists but is not a valid result.json. */
export class ResultUnreadableError extends Error {
  override readonly name = 'Shaketable.ResultUnreadable';
  constructor(
    readonly uri: string,
    detail: string,
  ) {
    super(`${uri} is not a valid shaketable result: ${detail}`);
  }
}

/** `runs/<experiment>/<yyyy>/<mm>/<dd>/<runId>/` for a run that started at `startedAt` (ISO 8601). */
export function runPrefix(experiment: string, runId: string, startedAt: string): string {
  const started = new Date(startedAt);
  if (Number.isNaN(started.getTime())) throw new RangeError(`startedAt "${startedAt}" is not an ISO 8601 time`);
  const yyyy = String(started.getUTCFullYear()).padStart(4, '0');
  const mm = String(started.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(started.getUTCDate()).padStart(2, '0');
  return `runs/${experiment}/${yyyy}/${mm}/${dd}/${runId}/`;
}

export class S3ResultStore implements ResultStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes result.json first, then report.html: a result is never missing once a report exists. */
  async put(result: Result, reportHtml: string): Promise<StoredResult> {
    const prefix = runPrefix(result.experiment, result.runId, result.startedAt);
    const resultKey = `${prefix}result.json`;
    const reportKey = `${prefix}report.html`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: resultKey,
        Body: JSON.stringify(result, null, 2),
        ContentType: 'application/json; charset=utf-8',
      }),
    );
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: reportKey,
        Body: reportHtml,
        ContentType: 'text/html; charset=utf-8',
      }),
    );
    return { resultUri: `s3://${this.bucket}/${resultKey}`, reportUri: `s3://${this.bucket}/${reportKey}` };
  }

  async get(uri: string): Promise<Result> {
    const { bucket, key } = parseS3Uri(uri);
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new ResultUnreadableError(uri, 'empty body');
    const text = await out.Body.transformToString('utf-8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ResultUnreadableError(uri, `not JSON: ${(error as Error).message}`);
    }
    const problem = validateResult(raw);
    if (typeof problem === 'string') throw new ResultUnreadableError(uri, problem);
    return problem;
  }
}
