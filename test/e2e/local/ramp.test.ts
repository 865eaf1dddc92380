// The shipped sandbox ramps end to end (DESIGN §9 "Ramp"): the real sandbox on 127.0.0.1, the real ASL looping over
// the steps, the real steps. A ramp whose every step passes is PASSED; one that breaks its hypothesis at its second
// step is DEGRADED there after a PASSED first step and never runs the third; one whose last step is over blastRadius
// is refused whole at preflight: SKIPPED, nothing injected, not even its first step.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../core/experiment/validate.js';
import { isAlive } from '../../../local/files/pids.js';
import { runLocal } from '../../../local/runner.js';

const base = mkdtempSync(join(tmpdir(), 'shaketable-e2e-ramp-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function run(name: string) {
  const experiment = await loadExperiment(`experiments/local/${name}.yaml`, (p) => readFile(p));
  const outcome = await runLocal(experiment, { baseDir: join(base, name) });
  const html = await readFile(new URL(outcome.reportUri), 'utf8');
  return { ...outcome, html, why: outcome.result.reasons.join('\n') };
}

const stepRows = (html: string) =>
  [...html.matchAll(/<tr data-step="(\d)" data-reached="(true|false)"(?: data-verdict="([A-Z]+)")?/g)].map((m) =>
    [m[1], m[3] ?? 'not reached'].join(' '),
  );

describe('the shipped sandbox ramps', () => {
  it('local-ramp: every step passes (one, then two of four instances killed) and the run is PASSED', {
    timeout: 180_000,
  }, async () => {
    const { result, html, why, childPids } = await run('local-ramp');
    expect(result.verdict, why).toBe('PASSED');
    expect(result.ramp).toEqual({ target: 'web', steps: ['COUNT(1)', 'PERCENT(50)'] });
    expect(result.steps!.map((s) => [s.index, s.selectionMode, s.verdict, s.fis.targets.length])).toEqual([
      [1, 'COUNT(1)', 'PASSED', 1],
      [2, 'PERCENT(50)', 'PASSED', 2],
    ]);
    // each step its own fault, the second after the first's recovery
    const ids = result.steps!.map((s) => s.fis.experimentId);
    expect(new Set(ids).size).toBe(2);
    const [first, second] = result.steps!.map((s) => s.phases);
    expect(Date.parse(second!.fault!.start)).toBeGreaterThanOrEqual(Date.parse(first!.recovery!.end));
    // the run's top level is the last step's
    expect(result.fis.experimentId).toBe(ids[1]);
    expect(result.reasons[0]).toBe('ramp: all 2 steps passed (COUNT(1), PERCENT(50))');
    expect(html).toContain('ramp reached 2/2 (PASSED)');
    expect(stepRows(html)).toEqual(['1 PASSED', '2 PASSED']);
    expect(childPids.filter(isAlive)).toEqual([]);
  });

  it('local-ramp-degraded: step 1 PASSED, step 2 DEGRADED (two of four down), step 3 never runs', {
    timeout: 180_000,
  }, async () => {
    const { result, html, why, childPids } = await run('local-ramp-degraded');
    expect(result.verdict, why).toBe('DEGRADED');
    expect(result.steps!.map((s) => [s.index, s.selectionMode, s.verdict, s.fis.targets.length])).toEqual([
      [1, 'COUNT(1)', 'PASSED', 1],
      [2, 'PERCENT(50)', 'DEGRADED', 2],
    ]);
    expect(result.reasons).toEqual([
      'step 2 of 3 (PERCENT(50)): healthy (fault phase): observed min 2, bound expect.during min 3',
      'ramp: stopped at step 2 of 3; passed before it: step 1 of 3 (COUNT(1))',
    ]);
    expect(result.fis.experimentId).toBe(result.steps![1]!.fis.experimentId);
    expect(html).toContain('ramp reached 2/3 (DEGRADED at PERCENT(50))');
    expect(stepRows(html)).toEqual(['1 PASSED', '2 DEGRADED', '3 not reached']);
    expect(childPids.filter(isAlive)).toEqual([]);
  });

  it('local-ramp-blast-radius: the last step is over maxTargets, so preflight refuses the whole run (SKIPPED, nothing injected)', {
    timeout: 120_000,
  }, async () => {
    const { result, html, why, childPids } = await run('local-ramp-blast-radius');
    expect(result.verdict, why).toBe('SKIPPED');
    expect(why).toMatch(/step 3 of 3 \(COUNT\(3\)\): would hit 3 of 4 local:instance, above maxTargets 2/);
    expect(result.fis.experimentId).toBeUndefined();
    expect((result.steps ?? []).filter((s) => s.fis.experimentId !== undefined)).toEqual([]);
    expect(result.events.filter((e) => e.type === 'fault-started')).toEqual([]);
    expect(result.phases.fault).toBeUndefined();
    expect(html).toContain('ramp reached 0/3 (SKIPPED before COUNT(1))');
    expect(childPids.filter(isAlive)).toEqual([]);
  });
});
