// `synth` never finds what `validate` missed: every valid fixture and every shipped experiment synthesizes in
// process without a throw, and an abortWhen probe with metric-math functions compiles to the alarm's queries.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, synthCatalog } from './synth.js';

const ROOT = join(import.meta.dirname, '..', '..');
const yaml = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));

describe('synth of everything validate accepts', () => {
  // One catalog holding the valid fixtures and the shipped AWS experiments (names are unique across them).
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-valid-'));
  const sources = [...yaml(join(FIXTURES, 'valid')), ...yaml(join(ROOT, 'experiments'))];
  for (const file of sources) copyFileSync(file, join(dir, `${basename(join(file, '..'))}-${basename(file)}`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synthesizes every valid fixture and shipped experiment, metric-math abortWhen probes included', () => {
    const synthesized = synthCatalog(dir);
    try {
      const catalogNames = Object.values(synthesized.json.Resources)
        .filter((r) => r.Type === 'AWS::SSM::Parameter')
        .map((r) => String(r.Properties?.Name))
        .filter((name) => name.startsWith('/shaketable/catalog/'));
      expect(catalogNames).toHaveLength(sources.length);
      const alarms = Object.values(synthesized.json.Resources)
        .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
        .map((r) => r.Properties as { AlarmName?: string; Metrics?: Array<{ Id: string; Expression?: string }> });
      const growth = alarms.find((a) => a.AlarmName === 'Shaketable-edge-overnight-window-abort-queue_growth');
      // RATE() and PERIOD() compile from the AST: PERIOD(queue_depth) is the experiment's 10-second period.
      expect(growth?.Metrics?.map((m) => m.Expression ?? m.Id).sort()).toEqual([
        'RATE(queue_depth) * 10',
        'queue_depth',
      ]);
    } finally {
      synthesized.cleanup();
    }
  }, 180_000);
});
