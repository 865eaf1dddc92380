// ISO 8601 durations (`PT30S`, `PT5M`), the unit FIS and the experiment file use.
import { Duration } from 'luxon';

/** True when `text` is an ISO 8601 duration with a positive or zero length and no calendar units (months, years). */
export function isIsoDuration(text: string): boolean {
  if (!/^P(?!$)(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/.test(text)) {
    return false;
  }
  return Duration.fromISO(text).isValid;
}

/** Length of an ISO 8601 duration in seconds; throws on an invalid one (validate first). */
export function durationSeconds(text: string): number {
  const d = Duration.fromISO(text);
  if (!d.isValid || !isIsoDuration(text)) throw new RangeError(`invalid ISO 8601 duration "${text}"`);
  return d.as('seconds');
}

/** Formats seconds as a compact ISO 8601 duration (`PT1H5M`). */
export function secondsToIso(seconds: number): string {
  if (seconds <= 0) return 'PT0S';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
