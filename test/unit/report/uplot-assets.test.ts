import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from '../../../core/report/uplot-assets.js';
import { ASSETS_MODULE, readUplotSources, uplotAssetsModule } from '../../../scripts/inline-uplot.js';

describe('core/report/uplot-assets.ts', () => {
  it('is exactly what scripts/inline-uplot.ts generates from the installed uplot (run the script when this fails)', () => {
    const sources = readUplotSources();
    expect(readFileSync(ASSETS_MODULE, 'utf8')).toBe(uplotAssetsModule(sources));
    expect(UPLOT_VERSION).toBe(sources.version);
    expect(UPLOT_JS.endsWith(sources.js)).toBe(true);
    expect(UPLOT_CSS).toBe(sources.css);
  });

  it('would be reported stale if uplot changed', () => {
    const sources = readUplotSources();
    const current = readFileSync(ASSETS_MODULE, 'utf8');
    expect(uplotAssetsModule({ ...sources, version: '1.6.33' })).not.toBe(current);
    expect(uplotAssetsModule({ ...sources, js: `${sources.js};` })).not.toBe(current);
    expect(uplotAssetsModule({ ...sources, css: `${sources.css} ` })).not.toBe(current);
  });

  it("carries uPlot's MIT license in the module header and in the inlined script", () => {
    const { license } = readUplotSources();
    expect(license).toMatch(/^The MIT License/);
    expect(
      UPLOT_JS.startsWith(`/*! uPlot v${UPLOT_VERSION} | https://github.com/leeoniya/uPlot\n${license}\n*/\n`),
    ).toBe(true);
    expect(readFileSync(ASSETS_MODULE, 'utf8')).toContain(' * Copyright (c) 2022 Leon Sorokin');
  });

  it('refuses to inline a script that could close its own script tag', () => {
    const sources = readUplotSources();
    expect(() => uplotAssetsModule({ ...sources, js: 'var s = "</script>";' })).toThrow(/cannot be inlined/);
  });
});
