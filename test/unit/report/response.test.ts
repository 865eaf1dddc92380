import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultStartOf, responseMarkers } from '../../../core/report/response.js';
import { Result } from '../../../core/result/model.js';

const gameday = Result.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'results', 'gameday.json'), 'utf8')),
);

describe('responseMarkers', () => {
  it('places detection at the detected event, mitigation at the first mitigated ack and recovery TTR after the fault ended', () => {
    expect(responseMarkers(gameday)).toEqual([
      {
        kind: 'detection',
        at: '2026-12-07T14:10:22.051Z',
        seconds: 0.957,
        by: 'p99_slow',
        source: { list: 'events', index: 4 },
      },
      {
        kind: 'mitigation',
        at: '2026-12-07T14:10:25.794Z',
        seconds: 4.7,
        by: 'ack:bob',
        source: { list: 'acks', index: 1 },
      },
      { kind: 'recovery', at: '2026-12-07T14:10:30.000Z', seconds: 3, by: 'every probe back within tolerance' },
    ]);
  });

  it('counts from the fault-start event when no event or ack stands for a point', () => {
    const r = { ...gameday, acks: [], events: gameday.events.filter((ev) => ev.type !== 'detected') };
    expect(faultStartOf(r)).toBe('2026-12-07T14:10:21.094Z');
    expect(responseMarkers(r).map((m) => [m.kind, m.at, m.source])).toEqual([
      ['detection', '2026-12-07T14:10:22.051Z', undefined],
      ['mitigation', '2026-12-07T14:10:25.794Z', undefined],
      ['recovery', '2026-12-07T14:10:30.000Z', undefined],
    ]);
  });

  it('gives a human detection the time of that responder’s first detected ack', () => {
    const r = { ...gameday, response: { ...gameday.response!, detectedBy: 'ack:alice', ttdSeconds: 2.318 } };
    expect(responseMarkers(r)[0]).toMatchObject({ kind: 'detection', at: gameday.acks![0]!.at, by: 'ack:alice' });
  });

  it('has no marker for what is unknown, and none at all without a response', () => {
    const unknown = { detectedBy: null, ttdSeconds: null, ttmSeconds: null, ttrSeconds: null };
    expect(responseMarkers({ ...gameday, response: unknown })).toEqual([]);
    const { response: _, ...withoutResponse } = gameday;
    expect(responseMarkers(withoutResponse)).toEqual([]);
  });
});
