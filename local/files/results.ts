// The sandbox ResultStore: `<base>/runs/<experiment>/<runId>/result.json` and `report.html`, returned as file:// URIs
// (the AWS twin writes the same pair to S3).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageFor } from '../../core/experiment/zod-issues.js';
import type { ResultStore, StoredResult } from '../../core/ports.js';
import { Result } from '../../core/result/model.js';
import { DEFAULT_BASE_DIR, safeName, writeFileAtomic } from './paths.js';

export class FileResultStore implements ResultStore {
  constructor(private readonly baseDir: string = DEFAULT_BASE_DIR) {}

  /** The folder of one run's outputs. */
  runDir(experiment: string, runId: string): string {
    return path.resolve(this.baseDir, 'runs', safeName('experiment', experiment), safeName('run id', runId));
  }

  async put(result: Result, reportHtml: string): Promise<StoredResult> {
    const dir = this.runDir(result.experiment, result.runId);
    const resultFile = path.join(dir, 'result.json');
    const reportFile = path.join(dir, 'report.html');
    await writeFileAtomic(resultFile, `${JSON.stringify(Result.parse(result, { error: messageFor }), null, 2)}\n`);
    await writeFileAtomic(reportFile, reportHtml);
    return { resultUri: pathToFileURL(resultFile).href, reportUri: pathToFileURL(reportFile).href };
  }

  /** Reads a result by file:// URI or path, validated against the result model. */
  async get(uri: string): Promise<Result> {
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    return Result.parse(JSON.parse(await readFile(file, 'utf8')), { error: messageFor });
  }
}
