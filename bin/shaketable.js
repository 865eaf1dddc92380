#!/usr/bin/env node
// Launcher: runs the CLI that `npm run build` compiled into dist/ (`npm ci` and `npm install` build it through the
// `prepare` script). After editing the TypeScript, run `npm run build` again.
const entry = new URL('../dist/main.js', import.meta.url);
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
try {
  await import(entry.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write(
    'error: the shaketable CLI is not built (no dist/main.js): run `npm run build` (npm ci runs it)\n',
  );
  process.exitCode = 4;
}
