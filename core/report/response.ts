// The response story of a run for the report (DESIGN §9 Detection, GameDays): when the monitoring or a person noticed
// the fault, when a person mitigated it and when every probe was back within tolerance, placed in time from
// result.json's `response`, its `detected` event and the responders' acks. Pure: the report and its tests read it.
import type { Ack, Result } from '../result/model.js';

export type ResponseMarkerKind = 'detection' | 'mitigation' | 'recovery';

/** One point of the response on the report's timeline and charts. */
export interface ResponseMarker {
  kind: ResponseMarkerKind;
  /** ISO instant */
  at: string;
  /** TTD / TTM (from the fault's start) or TTR (from the fault's end, the recovery phase's start), in seconds */
  seconds: number;
  /** who or what: the alarm name, `ack:<by>`, or how recovery was judged */
  by: string;
  /** the timeline entry that already stands for this point: an index into `events` or `acks` (else one is added) */
  source?: { list: 'events' | 'acks'; index: number };
}

/** The label a marker carries on the charts and the timeline. */
export const MARKER_LABEL: Record<ResponseMarkerKind, string> = {
  detection: 'detected',
  mitigation: 'mitigated',
  recovery: 'recovered',
};

/** Event types the run's steps write when the fault starts (the AWS/local workflow, and older local results). */
const FAULT_START_EVENTS: ReadonlySet<string> = new Set(['fault-start', 'fault-started']);

/**
 * When the fault started, the instant TTD and TTM are counted from: the workflow's fault-start event (the fault
 * service's own start time), else the fault phase's start (which may be rounded down to a metric period).
 */
export function faultStartOf(result: Pick<Result, 'events' | 'phases'>): string | undefined {
  return result.events.find((ev) => FAULT_START_EVENTS.has(ev.type))?.at ?? result.phases.fault?.start;
}

/** The detection, mitigation and recovery points of a run, in time order; none when the result has no `response`. */
export function responseMarkers(result: Pick<Result, 'response' | 'acks' | 'events' | 'phases'>): ResponseMarker[] {
  const response = result.response;
  if (!response) return [];
  const acks = result.acks ?? [];
  const faultStart = faultStartOf(result);
  const markers: ResponseMarker[] = [];

  if (response.ttdSeconds !== null) {
    const by = response.detectedBy ?? 'unknown';
    const human = by.startsWith('ack:') ? by.slice('ack:'.length) : undefined;
    const ack = human === undefined ? -1 : acks.findIndex((a) => a.kind === 'detected' && a.by === human);
    const event = human === undefined ? result.events.findIndex((ev) => ev.type === 'detected') : -1;
    const at = ack >= 0 ? acks[ack]!.at : event >= 0 ? result.events[event]!.at : plus(faultStart, response.ttdSeconds);
    if (at !== undefined) {
      markers.push({
        kind: 'detection',
        at,
        seconds: response.ttdSeconds,
        by,
        ...(ack >= 0
          ? { source: { list: 'acks', index: ack } }
          : event >= 0
            ? { source: { list: 'events', index: event } }
            : {}),
      });
    }
  }

  if (response.ttmSeconds !== null) {
    const ack = firstAck(acks, 'mitigated');
    const at = ack >= 0 ? acks[ack]!.at : plus(faultStart, response.ttmSeconds);
    if (at !== undefined) {
      markers.push({
        kind: 'mitigation',
        at,
        seconds: response.ttmSeconds,
        by: ack >= 0 ? `ack:${acks[ack]!.by}` : 'unknown',
        ...(ack >= 0 ? { source: { list: 'acks', index: ack } } : {}),
      });
    }
  }

  // TTR is the longest probe recovery, counted from the recovery phase's start (core/steady-state/recovery.ts).
  const at = response.ttrSeconds === null ? undefined : plus(result.phases.recovery?.start, response.ttrSeconds);
  if (at !== undefined && response.ttrSeconds !== null) {
    markers.push({ kind: 'recovery', at, seconds: response.ttrSeconds, by: 'every probe back within tolerance' });
  }

  return markers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function firstAck(acks: readonly Ack[], kind: Ack['kind']): number {
  let first = -1;
  acks.forEach((a, i) => {
    if (a.kind === kind && (first < 0 || Date.parse(a.at) < Date.parse(acks[first]!.at))) first = i;
  });
  return first;
}

function plus(iso: string | undefined, seconds: number): string | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms + seconds * 1000).toISOString();
}
