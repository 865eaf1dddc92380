// The report page's own CSS (uPlot's comes from chart-library.ts): verdict colours, sections, tables, timeline.

import { VERDICT_COLORS } from './verdict-colors.js';

export { VERDICT_COLORS };

const verdictRules = Object.entries(VERDICT_COLORS)
  .map(([v, c]) => `.banner[data-verdict="${v}"]{background:${c.bg};color:${c.fg}}`)
  .join('\n');

// A ramp step's verdict badge (report.html's steps table) in its verdict's colours.
const stepVerdictRules = Object.entries(VERDICT_COLORS)
  .map(([v, c]) => `.badge.verdict[data-verdict="${v}"]{background:${c.bg};color:${c.fg}}`)
  .join('\n');

export const REPORT_CSS = `
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--ok:#1a7f37;--bad:#cf222e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
main,.banner-inner{max-width:1120px;margin:0 auto;padding:0 24px}
.banner{padding:22px 0 18px}
${verdictRules}
${stepVerdictRules}
table.steps ul.reasons{padding-left:18px}
table.steps code{white-space:nowrap;word-break:normal}
table.steps tr[data-reached="false"] td{color:var(--muted)}
.banner .verdict{margin:0;font-size:13px;font-weight:700;letter-spacing:.12em;text-transform:uppercase;opacity:.92}
.banner h1{margin:2px 0 4px;font-size:28px;line-height:1.2;word-break:break-word}
.banner .meaning{margin:0 0 8px;font-size:15px}
.banner .meta{margin:0;font-size:13px;opacity:.92}
.banner code{font-size:13px;background:rgba(255,255,255,.18);padding:1px 5px;border-radius:4px}
section{margin:28px 0}
h2{font-size:18px;margin:0 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0}
.hypothesis blockquote{margin:0;padding:12px 16px;border-left:4px solid var(--line);background:var(--soft);font-size:17px}
.description{color:var(--muted);margin:8px 0 0}
.empty{color:var(--muted);font-style:italic;margin:6px 0}
ul.reasons{margin:0;padding-left:22px}
ul.reasons li{margin:3px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600}
td code,li code{font-size:13px;word-break:break-all}
tr[data-ok="false"] td{background:#fff5f4}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.ok{background:#dafbe1;color:var(--ok)}
.badge.refused{background:#ffebe9;color:var(--bad)}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;color:var(--muted);margin:0 0 12px;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:18px;height:12px;border:1px solid rgba(0,0,0,.12);border-radius:2px}
.swatch[data-phase="baseline"]{background:rgba(84,110,140,.18)}
.swatch[data-phase="fault"]{background:rgba(207,34,46,.22)}
.swatch[data-phase="recovery"]{background:rgba(26,127,55,.2)}
.swatch.line{height:0;border:0;border-top:2px solid #0550ae;border-radius:0}
.swatch.tolerance{height:0;border:0;border-top:2px dashed #9a6700;border-radius:0}
.swatch.during{height:0;border:0;border-top:2px solid #cf222e;border-radius:0}
.probe{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 16px;min-width:0}
.probe header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;margin-bottom:8px}
.probe .bounds{font-size:13px;color:var(--muted)}
.chart{min-width:0;overflow:hidden;min-height:40px}
.probe details{margin-top:6px;font-size:13px;color:var(--muted)}
.probe dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0}
.probe dt{font-weight:600}
.probe dd{margin:0}
ol.timeline{list-style:none;margin:0;padding:0;border-left:2px solid var(--line)}
ol.timeline li{position:relative;padding:3px 0 7px 16px}
ol.timeline li::before{content:"";position:absolute;left:-6px;top:9px;width:10px;height:10px;border-radius:50%;background:#8c959f}
ol.timeline time{font-variant-numeric:tabular-nums;color:var(--muted);font-size:13px;margin-right:8px}
ol.timeline .offset{color:var(--muted);font-size:12px;margin-right:8px}
ol.timeline .type{font-weight:600;margin-right:6px}
ol.timeline li.marker::before{background:#bf8700;box-shadow:0 0 0 3px #fff8c5}
ol.timeline li[data-marker="mitigation"]::before{background:#8250df;box-shadow:0 0 0 3px #fbefff}
ol.timeline li[data-marker="recovery"]::before{background:#1a7f37;box-shadow:0 0 0 3px #dafbe1}
ol.timeline li.note .by{margin-right:6px}
ol.timeline q.note{display:block;margin:2px 0 0;padding:2px 10px;border-left:3px solid var(--line);color:var(--fg);font-style:italic;quotes:none;white-space:pre-wrap;word-break:break-word}
ol.response{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px 12px}
ol.response li{border:1px solid var(--line);border-left:4px solid #8c959f;border-radius:6px;padding:6px 12px;font-size:14px}
ol.response li[data-marker="detection"]{border-left-color:#bf8700}
ol.response li[data-marker="mitigation"]{border-left-color:#8250df}
ol.response li[data-marker="recovery"]{border-left-color:#1a7f37}
ol.response li[data-marker="none"]{border-left-color:var(--bad)}
.swatch.marker{width:0;height:14px;border:0;border-left:2px dashed #bf8700;border-radius:0}
dl.links{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.links dt{font-weight:600}
dl.links dd{margin:0;word-break:break-all}
footer{max-width:1120px;margin:36px auto 24px;padding:12px 24px 0;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
@media print{.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}.probe{break-inside:avoid}}
`;
