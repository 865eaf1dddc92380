// Public holidays as the holidays guardrail reads them: a function from a calendar code and a local date to the
// names of that day's public holidays. Two implementations: date-holidays itself (date-holidays-calendar.ts: the
// sandbox, the CLI, the CDK at synth), and a table the CDK computes at synth for the deployed catalog, so the
// Preflight Lambda does not bundle every country's rules and the full time-zone database (~1.3 MB).

/** Names of the public holidays of calendar `code` (country[-region]) on local date `isoDate` (YYYY-MM-DD). */
export type HolidayCalendar = (code: string, isoDate: string) => string[];

/** Public holidays of one calendar over whole years, as computed at synth and bundled in catalog.json. */
export interface HolidayTable {
  code: string;
  /** first and last date covered (inclusive, YYYY-MM-DD) */
  from: string;
  to: string;
  /** date → names, only for days that are public holidays */
  dates: Record<string, string[]>;
}

/** The calendar cannot answer for this code or date; a RangeError, so the guardrail refuses with this message. */
export class HolidayCalendarGapError extends RangeError {
  override readonly name = 'Shaketable.HolidayCalendarGap';
}

export function tableCalendar(tables: readonly HolidayTable[]): HolidayCalendar {
  return (code, isoDate) => {
    const table = tables.find((t) => t.code === code);
    if (!table)
      throw new HolidayCalendarGapError(`holidays: the deployed catalog has no calendar for ${code}; redeploy`);
    if (isoDate < table.from || isoDate > table.to) {
      throw new HolidayCalendarGapError(
        `holidays: the deployed ${code} calendar covers ${table.from}..${table.to}, not ${isoDate}; redeploy to extend it`,
      );
    }
    return Object.hasOwn(table.dates, isoDate) ? [...(table.dates[isoDate] ?? [])] : [];
  };
}
