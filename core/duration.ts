// ISO 8601 durations (`PT30S`, `PT5M`), the unit FIS and the experiment file use. Weeks, days, hours, minutes and
// seconds only: months and years have no fixed length.

export const ISO_DURATION_PATTERN =
  /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const UNIT_SECONDS = [7 * 86_400, 86_400, 3_600, 60, 1] as const;

/** True when `text` is an ISO 8601 duration of weeks, days, hours, minutes and seconds. */
export function isIsoDuration(text: string): boolean {
  return ISO_DURATION_PATTERN.test(text);
}

/** Length of an ISO 8601 duration in seconds; throws on an invalid one (validate first). */
export function durationSeconds(text: string): number {
  const match = ISO_DURATION_PATTERN.exec(text);
  if (!match) throw new RangeError(`invalid ISO 8601 duration "${text}"`);
  return UNIT_SECONDS.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unit, 0);
}

/** Formats seconds as a compact ISO 8601 duration (`PT1H5M`). */
export function secondsToIso(seconds: number): string {
  if (seconds <= 0) return 'PT0S';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
