// Run-history rows for the console's experiment page, from run records and (where written) their results: the
// same for the sandbox ledger and the AWS run table.
import type { RunRecord } from '../../core/ports.js';
import type { Result } from '../../core/result/model.js';
import { secondsBetween } from '../aws/print.js';
import type { RunRow } from './api.js';

export async function runRows(
  runs: readonly RunRecord[],
  readResult: (uri: string) => Promise<Result>,
): Promise<RunRow[]> {
  return Promise.all(
    runs.map(async (run): Promise<RunRow> => {
      const duration = secondsBetween(run.startedAt, run.endedAt);
      // One unreadable result (deleted, corrupt) shows on its row; it does not hide the rest of the history.
      let response: ReturnType<typeof responseOf>;
      let resultError: string | undefined;
      if (run.resultUri) {
        try {
          response = responseOf(await readResult(run.resultUri));
        } catch (error) {
          resultError = oneLine(error);
        }
      }
      return {
        runId: run.runId,
        status: run.status,
        startedAt: run.startedAt,
        ...(run.trigger ? { trigger: run.trigger } : {}),
        ...(run.verdict ? { verdict: run.verdict } : {}),
        ...(duration !== undefined ? { durationSeconds: duration } : {}),
        ...(typeof response?.ttdSeconds === 'number' ? { ttdSeconds: response.ttdSeconds } : {}),
        ...(typeof response?.ttrSeconds === 'number' ? { ttrSeconds: response.ttrSeconds } : {}),
        hasReport: run.resultUri !== undefined && resultError === undefined,
        ...(resultError ? { resultError } : {}),
      };
    }),
  );
}

/** `response` (DESIGN §9: TTD/TTM/TTR) of a result that has it; results written before §9 have none. */
function responseOf(result: Result | undefined): { ttdSeconds?: unknown; ttrSeconds?: unknown } | undefined {
  const response = (result as { response?: unknown } | undefined)?.response;
  return typeof response === 'object' && response !== null ? response : undefined;
}

/** An error as one line for the page: a user's mistake as its message, anything else with its name. */
export function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = (error.message.split('\n')[0] ?? '').trim();
  return error.name === 'Error' || error.name.startsWith('Shaketable.') ? first : `${error.name}: ${first}`;
}
