// The script report.html runs in the browser: reads the embedded result and draws one uPlot chart per probe, with the
// baseline/fault/recovery phases shaded and the probe's bounds drawn (tolerance across the chart, `during` over the fault).
// A ramp (result.steps[]) is drawn as one band per step, side by side on the same chart: each step's phases shaded
// and the band labelled with the step's selection mode and verdict.
//
// It is plain ES2017 kept as a string (no template literals or backslashes inside): it runs in a page opened from disk or S3, with no
// bundler. After drawing it records what it drew in data attributes (data-rendered, data-series-length, data-bands on
// each chart; data-charts-rendered on <body>) so tests and readers can tell a drawn chart from an empty box; a chart that
// cannot be drawn shows its error in place and sets data-chart-error, never a blank space.

import { VERDICT_COLORS } from './verdict-colors.js';

/** A ramp step's label colour on the charts: its verdict's, as on the banner. */
const STEP_COLORS = JSON.stringify(Object.fromEntries(Object.entries(VERDICT_COLORS).map(([v, c]) => [v, c.bg])));

/**
 * Runs before uPlot, which formats numbers with `new Intl.NumberFormat(navigator.language)` as it loads: under a POSIX
 * locale (LANG=C.UTF-8) Chromium reports `en-US@posix`, an invalid tag, uPlot throws `RangeError: Invalid language tag`
 * and no chart is drawn. An invalid tag is replaced by its valid part (`en-US@posix` → `en-US`, `de_DE.UTF-8` → `de-DE`),
 * or `en-US` when nothing of it is valid; a valid tag is left alone.
 */
export const LOCALE_SCRIPT = `(function () {
  'use strict';
  function valid(tag) {
    try {
      return typeof tag === 'string' && tag !== '' && new Intl.NumberFormat(tag).resolvedOptions().locale !== undefined;
    } catch (e) {
      return false;
    }
  }
  var tag = navigator.language;
  if (valid(tag)) return;
  var base = String(tag || '').split('@')[0].split('.')[0].split('_').join('-');
  var chosen = valid(base) ? base : 'en-US';
  try {
    Object.defineProperty(navigator, 'language', { configurable: true, get: function () { return chosen; } });
  } catch (e) {
    if (window.console) window.console.error('shaketable report: cannot replace the language tag ' + tag + ': ' + e.message);
  }
})();
`;

export const CHART_SCRIPT = `(function () {
  'use strict';
  var PHASES = ['baseline', 'fault', 'recovery'];
  var BAND_FILL = { baseline: 'rgba(84, 110, 140, 0.10)', fault: 'rgba(207, 34, 46, 0.13)', recovery: 'rgba(26, 127, 55, 0.11)' };
  var BAND_TEXT = { baseline: '#3d4f63', fault: '#a40e26', recovery: '#116329' };
  var BOUND_COLOR = { tolerance: '#9a6700', during: '#cf222e' };
  var LINE_COLOR = '#0550ae';
  var MARKER_COLOR = { detection: '#bf8700', mitigation: '#8250df', recovery: '#1a7f37' };
  var STEP_COLOR = ${STEP_COLORS};
  var body = document.body;

  function report(where, error) {
    var message = where + ': ' + (error && error.message ? error.message : String(error));
    body.setAttribute('data-chart-error', message);
    if (window.console) window.console.error('shaketable report: ' + message);
    return message;
  }

  var result;
  try {
    result = JSON.parse(document.getElementById('shaketable-result').textContent);
  } catch (e) {
    report('embedded result', e);
    return;
  }
  if (typeof window.uPlot !== 'function') {
    report('charts', new Error('uPlot did not load'));
    return;
  }
  var uPlot = window.uPlot;

  function seconds(iso) {
    return Date.parse(iso) / 1000;
  }

  function spansOf(phases) {
    var out = {};
    PHASES.forEach(function (phase) {
      var span = phases && phases[phase];
      if (!span) return;
      var a = seconds(span.start);
      var b = seconds(span.end);
      if (isFinite(a) && isFinite(b) && b > a) out[phase] = [a, b];
    });
    return out;
  }

  function has(map, key) {
    return !!map && Object.prototype.hasOwnProperty.call(map, key);
  }

  // A ramp draws one band per step reached; any other run one band, its own phases.
  var steps = Array.isArray(result.steps) && result.steps.length ? result.steps : null;
  var bands = steps
    ? steps.map(function (step) { return { step: step, spans: spansOf(step.phases) }; })
    : [{ step: null, spans: spansOf(result.phases) }];

  // The probe as measured by every band: each step's own for a ramp, the run's otherwise.
  function measured(name) {
    if (!steps) return has(result.probes, name) ? [result.probes[name]] : [];
    return steps
      .map(function (step) { return has(step.probes, name) ? step.probes[name] : null; })
      .filter(function (probe) { return probe !== null; });
  }

  // All phases of a probe (of every step) as one sorted series; a timestamp present twice (a boundary) is kept once.
  function seriesOf(probes) {
    var points = [];
    probes.forEach(function (probe) {
      PHASES.forEach(function (phase) {
        (probe.series[phase] || []).forEach(function (p) {
          var t = seconds(p[0]);
          if (isFinite(t) && typeof p[1] === 'number' && isFinite(p[1])) points.push([t, p[1]]);
        });
      });
    });
    points.sort(function (a, b) { return a[0] - b[0]; });
    var xs = [];
    var ys = [];
    points.forEach(function (p) {
      if (xs.length && xs[xs.length - 1] === p[0]) ys[ys.length - 1] = p[1];
      else { xs.push(p[0]); ys.push(p[1]); }
    });
    // A gap much longer than the usual period (e.g. between the baseline window and the fault) is left open with a null
    // instead of a straight line that would suggest data nobody measured.
    var steps = [];
    for (var i = 1; i < xs.length; i++) steps.push(xs[i] - xs[i - 1]);
    steps.sort(function (a, b) { return a - b; });
    var step = steps.length ? steps[Math.floor(steps.length / 2)] : 0;
    var gx = [];
    var gy = [];
    for (var j = 0; j < xs.length; j++) {
      if (j > 0 && step > 0 && xs[j] - xs[j - 1] > 2.5 * step) { gx.push((xs[j] + xs[j - 1]) / 2); gy.push(null); }
      gx.push(xs[j]);
      gy.push(ys[j]);
    }
    return [gx, gy, xs.length];
  }

  function boundLines(probe) {
    var lines = [];
    var tolerance = probe.tolerance || {};
    var during = probe.during || {};
    ['max', 'min'].forEach(function (edge) {
      if (typeof tolerance[edge] === 'number') lines.push({ kind: 'tolerance', edge: edge, value: tolerance[edge] });
    });
    bands.forEach(function (band) {
      var fault = band.spans.fault;
      if (!fault) return;
      ['max', 'min'].forEach(function (edge) {
        if (typeof during[edge] === 'number') lines.push({ kind: 'during', edge: edge, value: during[edge], from: fault[0], to: fault[1] });
      });
    });
    return lines;
  }

  function xRange(xs) {
    var lo = xs[0];
    var hi = xs[xs.length - 1];
    bands.forEach(function (band) {
      PHASES.forEach(function (phase) {
        var span = band.spans[phase];
        if (!span) return;
        lo = Math.min(lo, span[0]);
        hi = Math.max(hi, span[1]);
      });
    });
    if (hi === lo) { lo -= 30; hi += 30; }
    return [lo, hi];
  }

  // The y scale always shows the bounds, so a line at "max 0" is visible even when every value is 0.
  function yRange(ys, lines) {
    var lo = Infinity;
    var hi = -Infinity;
    ys.concat(lines.map(function (l) { return l.value; })).forEach(function (v) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    // Metrics that cannot be negative (counts, latencies) never get a negative axis.
    var nonNegative = lo >= 0;
    if (hi === lo) { var d = Math.abs(hi) * 0.1 || 1; lo -= d; hi += d; }
    var pad = (hi - lo) * 0.12;
    var min = lo - pad;
    if (nonNegative && min < 0) min = 0;
    return [min, hi + pad * 1.6];
  }

  function unitLabel(unit) {
    var short = { Milliseconds: 'ms', Seconds: 's', Microseconds: 'µs', Percent: '%', Count: '', None: '' };
    return unit ? (Object.prototype.hasOwnProperty.call(short, unit) ? short[unit] : unit) : '';
  }

  function drawBands(u, el) {
    var ctx = u.ctx;
    var drawn = [];
    var px = uPlot.pxRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    var labelled = [];
    ctx.font = (11 * px) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    bands.forEach(function (band) {
      // A step's phase labels sit under its own label line.
      var phaseTop = u.bbox.top + (band.step ? 20 : 4) * px;
      var from = Infinity;
      var to = -Infinity;
      PHASES.forEach(function (phase) {
        var span = band.spans[phase];
        if (!span) return;
        var left = Math.max(u.valToPos(span[0], 'x', true), u.bbox.left);
        var right = Math.min(u.valToPos(span[1], 'x', true), u.bbox.left + u.bbox.width);
        if (right - left < 1) return;
        from = Math.min(from, left);
        to = Math.max(to, right);
        ctx.fillStyle = BAND_FILL[phase];
        ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
        ctx.fillStyle = BAND_TEXT[phase];
        if (ctx.measureText(phase).width + 8 * px < right - left) ctx.fillText(phase, left + 4 * px, phaseTop);
        drawn.push(band.step ? band.step.index + ':' + phase : phase);
      });
      if (!band.step || !(to > from)) return;
      // The step's edge, then its label: a square in the verdict's colour, the step, its selection and verdict.
      ctx.fillStyle = '#57606a';
      ctx.fillRect(from, u.bbox.top, px, u.bbox.height);
      var text = 'step ' + band.step.index + ' · ' + band.step.selectionMode + ' · ' + band.step.verdict;
      var square = 9 * px;
      var fits = ctx.measureText(text).width + square + 12 * px < to - from;
      if (!fits) text = String(band.step.index);
      ctx.fillStyle = STEP_COLOR[band.step.verdict] || '#57606a';
      ctx.fillRect(from + 4 * px, u.bbox.top + 5 * px, square, square);
      ctx.fillStyle = '#1f2328';
      ctx.font = '600 ' + (11 * px) + 'px system-ui, sans-serif';
      ctx.fillText(text, from + 6 * px + square, u.bbox.top + 4 * px);
      ctx.font = (11 * px) + 'px system-ui, sans-serif';
      labelled.push(band.step.index + ':' + band.step.selectionMode + ':' + band.step.verdict);
    });
    ctx.restore();
    el.setAttribute('data-bands', drawn.join(' '));
    if (steps) el.setAttribute('data-step-labels', labelled.join(' '));
  }

  function drawBounds(u, lines, unit) {
    var ctx = u.ctx;
    var px = uPlot.pxRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    lines.forEach(function (line) {
      var y = Math.round(u.valToPos(line.value, 'y', true)) + 0.5;
      var x0 = line.from === undefined ? u.bbox.left : Math.max(u.bbox.left, u.valToPos(line.from, 'x', true));
      var x1 = line.to === undefined ? u.bbox.left + u.bbox.width : Math.min(u.bbox.left + u.bbox.width, u.valToPos(line.to, 'x', true));
      ctx.strokeStyle = BOUND_COLOR[line.kind];
      ctx.lineWidth = (line.kind === 'during' ? 2 : 1.5) * px;
      ctx.setLineDash(line.kind === 'during' ? [] : [6 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x1, y);
      ctx.stroke();
      var label = (line.kind === 'during' ? 'during ' : 'tolerance ') + (line.edge === 'max' ? '≤ ' : '≥ ') + line.value + (unit ? ' ' + unit : '');
      ctx.setLineDash([]);
      ctx.fillStyle = BOUND_COLOR[line.kind];
      ctx.font = (11 * px) + 'px system-ui, sans-serif';
      ctx.textBaseline = line.edge === 'max' ? 'bottom' : 'top';
      var w = ctx.measureText(label).width;
      ctx.fillText(label, Math.max(x0 + 2 * px, x1 - w - 4 * px), line.edge === 'max' ? y - 2 * px : y + 2 * px);
    });
    ctx.restore();
  }

  // The response (detection, mitigation, recovery), read from the page's Response section, as labelled dashed vertical
  // lines; the kinds drawn, in time order, go to data-markers.
  var markers = Array.prototype.map.call(document.querySelectorAll('#response [data-marker][data-at]'), function (li) {
    return { kind: li.getAttribute('data-marker'), at: li.getAttribute('data-at'), label: li.getAttribute('data-label') };
  });
  function drawMarkers(u, el) {
    var ctx = u.ctx;
    var px = uPlot.pxRatio || 1;
    var drawn = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    markers.forEach(function (m, i) {
      var t = seconds(m.at);
      if (!isFinite(t)) return;
      var x = Math.round(u.valToPos(t, 'x', true)) + 0.5;
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.strokeStyle = MARKER_COLOR[m.kind] || '#59636e';
      ctx.lineWidth = 2 * px;
      ctx.setLineDash([3 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = MARKER_COLOR[m.kind] || '#59636e';
      ctx.font = 'bold ' + (11 * px) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      // Staggered down the plot so markers seconds apart do not print over each other.
      ctx.fillText(m.label, x + 3 * px, u.bbox.top + (18 + 14 * i) * px);
      drawn.push(m.kind);
    });
    ctx.restore();
    el.setAttribute('data-markers', drawn.join(' '));
  }

  function chartWidth(el) {
    return Math.max(320, Math.floor(el.clientWidth || 720));
  }

  var charts = [];
  window.shaketableCharts = charts;
  var containers = document.querySelectorAll('[data-chart]');
  Array.prototype.forEach.call(containers, function (el) {
    var name = el.getAttribute('data-chart');
    var probes = measured(name);
    if (!probes.length) return;
    // Bounds are the experiment's, the same in every step: the last measurement's are drawn.
    var probe = probes[probes.length - 1];
    var series = seriesOf(probes);
    var data = [series[0], series[1]];
    if (series[2] === 0) return;
    try {
      var lines = boundLines(probe);
      var unit = unitLabel(probe.unit);
      var xr = xRange(data[0]);
      var yr = yRange(data[1].filter(function (v) { return v !== null; }), lines);
      var opts = {
        width: chartWidth(el),
        height: 240,
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
        scales: {
          x: { time: true, range: function () { return xr; } },
          y: { range: function () { return yr; } },
        },
        axes: [{ label: 'time (UTC)', labelSize: 20 }, { label: unit || null, size: 56 }],
        series: [
          { label: 'time' },
          { label: name + (unit ? ' (' + unit + ')' : ''), stroke: LINE_COLOR, width: 2, points: { show: series[2] <= 60, size: 5 }, spanGaps: false },
        ],
        legend: { show: true },
        cursor: { drag: { x: true, y: false } },
        hooks: {
          drawClear: [function (u) { drawBands(u, el); }],
          draw: [function (u) { drawBounds(u, lines, unit); drawMarkers(u, el); }],
        },
      };
      el.textContent = '';
      var plot = new uPlot(opts, data, el);
      charts.push({ probe: name, plot: plot, el: el });
      el.setAttribute('data-rendered', 'true');
      el.setAttribute('data-series-length', String(plot.data[1].filter(function (v) { return v !== null; }).length));
    } catch (e) {
      el.setAttribute('data-chart-error', report('chart ' + name, e));
      el.textContent = 'This chart could not be drawn: ' + (e && e.message ? e.message : String(e));
    }
  });
  body.setAttribute('data-charts-rendered', String(charts.length));

  var pending = false;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      charts.forEach(function (c) { c.plot.setSize({ width: chartWidth(c.el), height: 240 }); });
    });
  });
})();
`;
