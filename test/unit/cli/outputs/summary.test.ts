import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMarkdownSummary } from '../../../../cli/outputs/summary.js';
import { Result } from '../../../../core/result/model.js';

const fixture = (name: string): Result =>
  Result.parse(JSON.parse(readFileSync(new URL(`../../../fixtures/results/${name}.json`, import.meta.url), 'utf8')));

/** Rows of the Markdown table whose header row starts with `header`. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('toMarkdownSummary', () => {
  it('leads with the verdict badge, the experiment and the hypothesis', () => {
    const result = fixture('passed');
    const md = toMarkdownSummary(result);
    expect(md.split('\n')[0]).toBe(`### 🟢 PASSED · ${result.experiment}`);
    expect(md).toContain(`> ${result.hypothesis?.trim().split('\n')[0]}`);
  });

  it('carries the response times: TTD with the alarm that detected, — when not detected', () => {
    const result = fixture('passed');
    const detected = { detectedBy: 'checkout-5xx-high', ttdSeconds: 90, ttmSeconds: null, ttrSeconds: 120 };
    expect(toMarkdownSummary({ ...result, response: detected })).toContain(
      '**Response** · TTD 1 min 30 s (`checkout-5xx-high`) · TTR 2 min',
    );
    const missed = { detectedBy: null, ttdSeconds: null, ttmSeconds: null, ttrSeconds: null };
    expect(toMarkdownSummary({ ...result, response: missed })).toContain('**Response** · TTD —\n');
    expect(toMarkdownSummary({ ...result, response: undefined })).not.toContain('**Response**');
  });

  it("gives a ramp's progress, then one line per step reached; a run without steps has none", () => {
    const md = toMarkdownSummary(fixture('ramp-degraded'));
    expect(md).toContain(
      [
        '**Ramp** reached 2/3 (DEGRADED at PERCENT(50))',
        '',
        '- step 1/3 COUNT(1): PASSED, 1 target hit',
        '- step 2/3 PERCENT(50): DEGRADED, 2 targets hit',
        '',
      ].join('\n'),
    );
    expect(toMarkdownSummary(fixture('passed'))).not.toContain('**Ramp**');
  });

  it('lists the reasons and one table row per check, with ✅ and ❌', () => {
    const result = fixture('skipped');
    const md = toMarkdownSummary(result);
    expect(md.split('\n')[0]).toContain('⚪ SKIPPED');
    for (const reason of result.reasons) expect(md).toContain(`- ${reason}`);
    const rows = tableRows(md, '| | check | detail |');
    expect(rows).toHaveLength(result.preflight.checks.length);
    expect(rows.find((r) => r[1] === '`blackouts`')?.[0]).toBe('❌');
    expect(rows.find((r) => r[1] === '`window`')?.[0]).toBe('✅');
  });

  it('shows the run, its duration and the fault in a table', () => {
    const result = fixture('failed');
    const [row] = tableRows(toMarkdownSummary(result), '| run |');
    expect(row?.[0]).toBe(`\`${result.runId}\``);
    expect(row?.[4]).toBe(`\`${result.fis.experimentId}\` (stopped)`);
  });

  it('keeps pipes and line breaks in messages from breaking the table', () => {
    const result: Result = {
      ...fixture('passed'),
      preflight: { checks: [{ name: 'window', ok: true, message: 'a | b\nc' }] },
    };
    const rows = tableRows(toMarkdownSummary(result), '| | check | detail |');
    expect(rows).toEqual([['✅', '`window`', 'a \\| b c']]);
  });

  it('links the report, the result and the execution when given, and nothing when not', () => {
    const result = fixture('passed');
    const md = toMarkdownSummary(result, {
      report: 'https://s3.console.aws.amazon.com/s3/object/b?region=eu-central-1&prefix=runs%2Fx%2Freport.html',
      execution: 'https://eu-central-1.console.aws.amazon.com/states/home#/x',
    });
    expect(md).toContain(
      '[report](https://s3.console.aws.amazon.com/s3/object/b?region=eu-central-1&prefix=runs%2Fx%2Freport.html)',
    );
    expect(md).toContain('[execution](https://eu-central-1.console.aws.amazon.com/states/home#/x)');
    expect(md).not.toContain('[result.json]');
    expect(toMarkdownSummary(result)).not.toContain('](');
  });
});
