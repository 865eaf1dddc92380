// Stack traces of a bundled function mapped back to the TypeScript sources, when an error is logged. Node's
// --enable-source-maps would map every frame too, but it decodes the whole map at every cold start (7–20 ms for
// these bundles, measured by `npm run bench`); a failing step is rare, so the map is read for the first error only.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

// `at fn (file:///var/task/index.mjs:24:87040)` or `at file:///var/task/index.mjs:24:87040`
const FRAME = /(file:\/\/[^\s()]+):(\d+):(\d+)/g;

/**
 * `stack` with every frame of the bundle at `bundleUrl` rewritten to its source (`functions/publish.ts:18:5`).
 * Without a map beside the bundle (tests run the sources themselves) the stack is returned as it is.
 */
export function stackMapper(bundleUrl: string): (stack: string) => string {
  let map: SourceMap | null | undefined;
  const sourceMap = (): SourceMap | null => {
    if (map === undefined) map = readSourceMap(`${fileURLToPath(bundleUrl)}.map`);
    return map;
  };
  return (stack) =>
    stack.replace(FRAME, (frame, url: string, line: string, column: string) => {
      if (url !== bundleUrl) return frame;
      const found = sourceMap()?.findEntry(Number(line) - 1, Number(column) - 1);
      if (!found || !('originalSource' in found)) return frame;
      return `${sourcePath(found.originalSource)}:${found.originalLine + 1}:${found.originalColumn + 1}`;
    });
}

function readSourceMap(file: string): SourceMap | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return new SourceMap(JSON.parse(text));
}

/** `../../core/steps/publish.ts` (relative to the bundle's folder at build time) → `core/steps/publish.ts`. */
function sourcePath(source: string): string {
  return source.replace(/^(?:\.\.\/)+/, '').replace(/^file:\/\//, '');
}
