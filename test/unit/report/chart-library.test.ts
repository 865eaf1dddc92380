import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CHART_LIBRARY_FILES,
  chartLibraryDir,
  readChartLibrary,
  reportRenderer,
} from '../../../core/report/chart-library.js';
import { Result } from '../../../core/result/model.js';

const installed = chartLibraryDir({});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of exactly the files the CDK copies next to the Publish and Janitor bundles. */
function copyAsDeployed(change?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-uplot-'));
  dirs.push(dir);
  for (const f of CHART_LIBRARY_FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(installed, f), join(dir, f));
  }
  change?.(dir);
  return dir;
}

describe('core/report/chart-library.ts', () => {
  it('reads the installed uplot with its MIT license in front of the script', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
    const license = readFileSync(join(installed, 'LICENSE'), 'utf8').trim();
    const library = readChartLibrary();
    expect(license).toMatch(/^The MIT License/);
    expect(library.version).toBe(pkg.version);
    expect(
      library.js.startsWith(`/*! uPlot v${pkg.version} | https://github.com/leeoniya/uPlot\n${license}\n*/\n`),
    ).toBe(true);
    expect(library.js.endsWith(readFileSync(join(installed, 'dist/uPlot.iife.min.js'), 'utf8').trim())).toBe(true);
    expect(library.css).toBe(readFileSync(join(installed, 'dist/uPlot.min.css'), 'utf8').trim());
  });

  it('needs only the files the CDK copies, found through CHART_LIBRARY_DIR', () => {
    const dir = copyAsDeployed();
    expect(chartLibraryDir({ CHART_LIBRARY_DIR: dir })).toBe(dir);
    expect(readChartLibrary(dir)).toEqual(readChartLibrary());
  });

  it('refuses a script that could close its own script tag', () => {
    const dir = copyAsDeployed((d) => writeFileSync(join(d, 'dist/uPlot.iife.min.js'), 'var s = "</script>";'));
    expect(() => readChartLibrary(dir)).toThrow(/cannot be inlined/);
  });

  it('reads the files on the first report, not when the function starts', () => {
    const missing = join(tmpdir(), 'shaketable-no-uplot-here');
    const render = reportRenderer(missing);
    const result = Result.parse(
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'results', 'passed.json'), 'utf8')),
    );
    expect(() => render(result)).toThrow(/ENOENT/);
    expect(reportRenderer(copyAsDeployed())(result)).toContain(readChartLibrary().js);
  });
});
