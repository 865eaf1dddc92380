// The one writer of the CI outputs (AWS and --local runs): --summary appends, --junit is written whole.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendSummary, writeJUnitFile } from '../../../../cli/outputs/write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shaketable-outputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appendSummary', () => {
  it('creates the file (and its folder), then appends each summary after a blank line, keeping what was there', async () => {
    const file = join(dir, 'steps/summary.md');
    await appendSummary(file, '### 🟢 PASSED · a\n');
    expect(readFileSync(file, 'utf8')).toBe('### 🟢 PASSED · a\n');
    await appendSummary(file, '### 🔴 FAILED · b\n');
    expect(readFileSync(file, 'utf8')).toBe('### 🟢 PASSED · a\n\n### 🔴 FAILED · b\n');
  });

  it('never erases an earlier step summary', async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, '## Build\n\nok\n');
    await appendSummary(file, '### 🟢 PASSED · a\n');
    expect(readFileSync(file, 'utf8')).toBe('## Build\n\nok\n\n### 🟢 PASSED · a\n');
  });
});

describe('writeJUnitFile', () => {
  it('writes the report whole, replacing an older one', async () => {
    const file = join(dir, 'out/junit.xml');
    await writeJUnitFile(file, '<old/>');
    await writeJUnitFile(file, '<new/>');
    expect(readFileSync(file, 'utf8')).toBe('<new/>');
  });
});
