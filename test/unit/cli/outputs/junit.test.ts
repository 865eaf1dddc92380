import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toJUnit } from '../../../../cli/outputs/junit.js';
import { Result } from '../../../../core/result/model.js';
import { parseXml, type XmlElement, XmlError } from './xml.js';

const fixture = (name: string): Result =>
  Result.parse(JSON.parse(readFileSync(new URL(`../../../fixtures/results/${name}.json`, import.meta.url), 'utf8')));

const COUNT = /^\d+$/;
const SECONDS = /^\d+(\.\d+)?$/;

/**
 * The common JUnit XML shape (the Jenkins/Ant junit.xsd most CI reporters read): testsuites › testsuite ›
 * [properties] testcase*, counts that add up, each testcase with at most one failure | error | skipped.
 */
function assertJUnitShape(root: XmlElement): void {
  expect(root.name).toBe('testsuites');
  for (const key of ['tests', 'failures', 'errors', 'skipped']) expect(root.attributes[key]).toMatch(COUNT);
  expect(root.attributes.time).toMatch(SECONDS);
  expect(root.children.length).toBeGreaterThan(0);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    expect(suite.attributes.name).toBeTruthy();
    for (const key of ['tests', 'failures', 'errors', 'skipped']) expect(suite.attributes[key]).toMatch(COUNT);
    expect(suite.attributes.time).toMatch(SECONDS);
    expect(Number.isNaN(Date.parse(suite.attributes.timestamp ?? ''))).toBe(false);
    const [first, ...rest] = suite.children;
    const cases = first?.name === 'properties' ? rest : suite.children;
    if (first?.name === 'properties') {
      for (const property of first.children) {
        expect(property.name).toBe('property');
        expect(Object.keys(property.attributes).sort()).toEqual(['name', 'value']);
      }
    }
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const testcase of cases) {
      expect(testcase.name).toBe('testcase');
      expect(testcase.attributes.classname).toBeTruthy();
      expect(testcase.attributes.name).toBeTruthy();
      expect(testcase.attributes.time).toMatch(SECONDS);
      expect(testcase.children.length).toBeLessThanOrEqual(1);
      counts.tests++;
      const outcome = testcase.children[0];
      if (!outcome) continue;
      expect(['failure', 'error', 'skipped']).toContain(outcome.name);
      if (outcome.name === 'skipped') counts.skipped++;
      else {
        expect(outcome.attributes.message).toBeTruthy();
        expect(outcome.attributes.type).toBeTruthy();
        if (outcome.name === 'failure') counts.failures++;
        else counts.errors++;
      }
    }
    for (const [key, value] of Object.entries(counts)) {
      expect(Number(suite.attributes[key])).toBe(value);
      totals[key as keyof typeof totals] += value;
    }
  }
  for (const [key, value] of Object.entries(totals)) expect(Number(root.attributes[key])).toBe(value);
}

const testcases = (root: XmlElement) => root.children[0]?.children.filter((c) => c.name === 'testcase') ?? [];

describe('toJUnit', () => {
  it('writes a passed run as one suite of passing testcases, one per check plus the verdict', () => {
    const result = fixture('passed');
    const root = parseXml(toJUnit(result));
    assertJUnitShape(root);
    const cases = testcases(root);
    expect(cases.map((c) => c.attributes.name)).toEqual([...result.preflight.checks.map((c) => c.name), 'verdict']);
    expect(cases.every((c) => c.children.length === 0)).toBe(true);
    expect(root.children[0]?.attributes).toMatchObject({
      name: result.experiment,
      tests: String(cases.length),
      failures: '0',
    });
    const properties = root.children[0]?.children[0]?.children ?? [];
    expect(properties.find((p) => p.attributes.name === 'verdict')?.attributes.value).toBe('PASSED');
  });

  it('turns a FAILED verdict into a failure carrying every reason', () => {
    const result = fixture('failed');
    const root = parseXml(toJUnit(result));
    assertJUnitShape(root);
    const verdict = testcases(root).find((c) => c.attributes.name === 'verdict');
    expect(verdict?.children[0]?.name).toBe('failure');
    expect(verdict?.children[0]?.attributes.type).toBe('FAILED');
    expect(verdict?.children[0]?.attributes.message).toBe(`FAILED: ${result.reasons[0]}`);
    for (const reason of result.reasons) expect(verdict?.children[0]?.text).toContain(reason);
  });

  it('marks a SKIPPED run and the guardrail that refused it as skipped, not failed', () => {
    const result = fixture('skipped');
    const root = parseXml(toJUnit(result));
    assertJUnitShape(root);
    const cases = testcases(root);
    expect(root.attributes).toMatchObject({ failures: '0', errors: '0', skipped: '2' });
    const blackout = cases.find((c) => c.attributes.name === 'blackouts');
    expect(blackout?.children[0]?.name).toBe('skipped');
    expect(blackout?.children[0]?.attributes.message).toContain('inside blackout');
  });

  it('reports probe checks under the hypothesis class and breached ones as failures', () => {
    const result: Result = {
      ...fixture('failed'),
      verdict: 'DEGRADED',
      preflight: {
        checks: [
          { name: 'alarms', ok: true, message: 'alarms OK' },
          {
            name: 'latency_p99.fault.during',
            ok: false,
            observed: 0.74,
            bound: { max: 0.5 },
            message: 'latency_p99 (fault phase): observed max 0.74, bound ≤ 0.5',
          },
          { name: 'errors.recovery.recovery', ok: true, message: 'errors recovered' },
        ],
      },
    };
    const root = parseXml(toJUnit(result));
    assertJUnitShape(root);
    const probe = testcases(root).find((c) => c.attributes.name === 'latency_p99.fault.during');
    expect(probe?.attributes.classname).toBe(`${result.experiment}.hypothesis`);
    expect(probe?.children[0]).toMatchObject({ name: 'failure', attributes: { type: 'latency_p99.fault.during' } });
    expect(probe?.children[0]?.text).toContain('bound: {"max":0.5}');
    expect(testcases(root).find((c) => c.attributes.name === 'alarms')?.attributes.classname).toBe(
      `${result.experiment}.preflight`,
    );
  });

  it('reports INCONCLUSIVE and ERROR verdicts as errors, and an undecided check as skipped', () => {
    for (const verdict of ['INCONCLUSIVE', 'ERROR'] as const) {
      const base = fixture('passed');
      const undecided = {
        name: 'errors.fault.coverage',
        ok: false,
        decided: false,
        message: 'errors (fault phase): 2 of 10 datapoints',
      };
      const result = {
        ...base,
        verdict,
        reasons: ['not enough data'],
        preflight: { checks: [...base.preflight.checks, undecided] },
      } as Result;
      const root = parseXml(toJUnit(result));
      assertJUnitShape(root);
      const cases = testcases(root);
      expect(cases.find((c) => c.attributes.name === 'verdict')?.children[0]).toMatchObject({
        name: 'error',
        attributes: { type: verdict },
      });
      expect(cases.find((c) => c.attributes.name === 'errors.fault.coverage')?.children[0]?.name).toBe('skipped');
    }
  });

  it('escapes markup, quotes, line breaks and characters XML cannot carry, so the document stays well formed', () => {
    const nasty = 'a <b> & "c" \'d\' ]]> \u0001 \n line two';
    const result: Result = {
      ...fixture('failed'),
      experiment: 'exp-<&>',
      hypothesis: nasty,
      reasons: [nasty],
      preflight: {
        checks: [
          { name: 'window', ok: false, message: nasty },
          { name: 'window', ok: false, message: 'again' },
        ],
      },
    };
    const xml = toJUnit(result);
    const root = parseXml(xml);
    assertJUnitShape(root);
    const cases = testcases(root);
    expect(cases[0]?.children[0]?.attributes.message).toBe(nasty.replace('\u0001', '\uFFFD'));
    expect(cases[1]?.attributes.name).toBe('window #2');
    expect(root.children[0]?.attributes.name).toBe('exp-<&>');
  });

  it('is checked by a reader that refuses malformed XML', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(XmlError);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(XmlError);
    expect(() => parseXml('<a>1 & 2</a>')).toThrow(XmlError);
    expect(() => parseXml('<a/><b/>')).toThrow(XmlError);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(XmlError);
    expect(parseXml('<a x="&lt;&#10;">t&amp;</a>')).toMatchObject({ attributes: { x: '<\n' }, text: 't&' });
  });
});
