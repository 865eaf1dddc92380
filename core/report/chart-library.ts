// uPlot, the chart library every report.html inlines, read from the package's own files instead of being bundled
// into the Publish and Janitor functions: ~53 KB those functions never run, only copy into the page. The CDK
// copies the files next to those two bundles (CHART_LIBRARY_DIR); the CLI, the sandbox and tests read node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Result } from '../result/model.js';
import { type ChartLibrary, renderReport } from './render.js';

/** The files of the uplot package a report needs, relative to the package: what the CDK copies. */
export const CHART_LIBRARY_FILES = ['package.json', 'LICENSE', 'dist/uPlot.iife.min.js', 'dist/uPlot.min.css'];

/** The installed uplot package, or CHART_LIBRARY_DIR when set (the Lambda functions: /var/task/uplot). */
export function chartLibraryDir(env: Record<string, string | undefined> = process.env): string {
  return env.CHART_LIBRARY_DIR ?? dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
}

/**
 * uPlot as the report inlines it: the minified script, with the package's MIT license in front of it (every
 * report.html redistributes uPlot, so it carries the notice), and the stylesheet.
 */
export function readChartLibrary(dir: string = chartLibraryDir()): ChartLibrary {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${join(dir, 'package.json')} has no version`);
  const license = readFileSync(join(dir, 'LICENSE'), 'utf8').trim();
  if (license.includes('*/')) throw new Error('uPlot LICENSE contains "*/" and cannot be put in a comment');
  const js = `/*! uPlot v${pkg.version} | https://github.com/leeoniya/uPlot\n${license}\n*/\n${readFileSync(
    join(dir, 'dist', 'uPlot.iife.min.js'),
    'utf8',
  ).trim()}`;
  if (/<\/script/i.test(js) || /<!--/.test(js)) {
    throw new Error('uPlot JS contains "</script" or "<!--"; it cannot be inlined');
  }
  return { version: pkg.version, js, css: readFileSync(join(dir, 'dist', 'uPlot.min.css'), 'utf8').trim() };
}

/** `renderReport` with uPlot read on the first report (not at cold start) and kept for the container's life. */
export function reportRenderer(dir?: string): (result: Result) => string {
  let library: ChartLibrary | undefined;
  return (result) => {
    library ??= readChartLibrary(dir);
    return renderReport(result, library);
  };
}
