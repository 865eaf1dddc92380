// The console page: one small app without a framework, bundled by esbuild into dist/console/app.js. It talks only to
// the server that served it (every request carries the token from its own URL), builds the DOM with textContent
// (never HTML from data), and routes on the URL hash: #/ catalog, #/experiment/<name>[/<runId>], #/run/<runId>,
// #/scorecard.
import { VERDICT_COLORS } from '../../../core/report/verdict-colors.js';
import type { AckKindName, CatalogItem, ConsoleState, LiveEvent, LiveSummary, RunRow } from '../api.js';
import { ACK_KIND_NAMES, TOKEN_HEADER } from '../api.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
/** The workflow's main states in order; others (Reconcile, StopFault…) are added as they happen. */
const PHASES = ['Load', 'Preflight', 'Baseline', 'InjectFault', 'WaitForRecovery', 'Observe', 'Evaluate', 'Publish'];

type Child = Node | string | null | undefined | false;

/** Creates an element: attributes as strings (or event handlers for `on*`), children as nodes or text. */
function h(tag: string, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

function svg(tag: string, attrs: Record<string, string | number>, ...children: Node[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

function withToken(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { [TOKEN_HEADER]: token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`the console answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    throw new Error((parsed as { error?: string }).error ?? `the console answered ${response.status}`);
  }
  return parsed as T;
}

// ---- page frame: header, error line, status line, confirmation dialog ----

const errorLine = h('p', { id: 'error', role: 'alert', hidden: true });
const statusLine = h('p', { id: 'status', role: 'status' });
const view = h('main', { id: 'view', tabindex: '-1' });
const whereText = h('span', { class: 'where' });
const killText = h('span', { 'data-testid': 'kill-switch' });
const killButton = h('button', { type: 'button', class: 'secondary' });
const activeLink = h('a', { 'data-testid': 'active-run', hidden: true });
let state: ConsoleState | undefined;

function showError(error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  errorLine.textContent = text.split('\n')[0] ?? text;
  errorLine.hidden = false;
}

function clearMessages(): void {
  errorLine.hidden = true;
  errorLine.textContent = '';
  statusLine.textContent = '';
}

/** Runs an action, showing its failure as one line. */
function attempt(action: () => Promise<void>): void {
  action().catch(showError);
}

interface Confirmation {
  title: string;
  detail: string;
  confirm: string;
  /** label of an optional free-text field (reason) */
  reasonLabel?: string;
}

const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title' }) as HTMLDialogElement;

/** Asks before an action; resolves with the reason typed (or '') when confirmed, undefined when cancelled. */
function confirmAction(c: Confirmation): Promise<string | undefined> {
  const reason = h('input', { type: 'text', id: 'confirm-reason', autocomplete: 'off' }) as HTMLInputElement;
  const ok = h('button', { type: 'submit', value: 'ok', 'data-testid': 'confirm' }, c.confirm);
  dialog.replaceChildren(
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, c.title),
      h('p', {}, c.detail),
      c.reasonLabel ? h('label', { for: 'confirm-reason' }, c.reasonLabel) : null,
      c.reasonLabel ? reason : null,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, 'Cancel'),
        ok,
      ),
    ),
  );
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? reason.value.trim() : undefined), {
      once: true,
    });
    dialog.returnValue = '';
    dialog.showModal();
    (c.reasonLabel ? reason : ok).focus();
  });
}

async function refreshState(): Promise<void> {
  state = await api<ConsoleState>('/api/state');
  whereText.textContent = state.where;
  const on = state.killSwitch.on;
  killText.textContent = on
    ? `kill switch ON${state.killSwitch.reason ? `: ${state.killSwitch.reason}` : ''}`
    : 'kill switch off';
  killText.className = on ? 'kill on' : 'kill';
  killButton.textContent = on ? 'Resume' : 'Halt';
  killButton.setAttribute('data-testid', on ? 'resume' : 'halt');
  const active = state.active && !state.active.ended ? state.active : undefined;
  activeLink.hidden = !active;
  if (active) {
    activeLink.textContent = `${active.dryRun ? 'dry run' : 'run'} of ${active.experiment} in progress`;
    activeLink.setAttribute('href', `#/run/${encodeURIComponent(active.runId)}`);
  }
}

killButton.addEventListener('click', () =>
  attempt(async () => {
    const on = state?.killSwitch.on ?? false;
    const answer = await confirmAction(
      on
        ? {
            title: 'Resume?',
            detail: 'Turns the kill switch off: experiments may inject faults again. It starts nothing.',
            confirm: 'Resume',
          }
        : {
            title: 'Halt every experiment?',
            detail: 'Turns the kill switch on: runs refuse to inject, and running faults are stopped.',
            confirm: 'Halt',
            reasonLabel: 'Reason (optional)',
          },
    );
    if (answer === undefined) return;
    const { message } = await api<{ message: string }>(on ? '/api/resume' : '/api/halt', on ? {} : { reason: answer });
    await refreshState();
    statusLine.textContent = message;
  }),
);

// ---- shared pieces ----

function verdictBadge(verdict: string | undefined): HTMLElement {
  const colors = VERDICT_COLORS[verdict as keyof typeof VERDICT_COLORS];
  const badge = h('span', { class: 'verdict', 'data-verdict': verdict ?? 'none' }, verdict ?? 'never run');
  // Through the CSSOM: the page's CSP refuses style attributes, not styles set by its own script.
  if (colors) {
    badge.style.backgroundColor = colors.bg;
    badge.style.color = colors.fg;
    badge.style.borderColor = colors.bg;
  }
  return badge;
}

/** The recent verdicts as a row of bars: full height for PASSED, short for the others, each with its verdict. */
function sparkline(recent: readonly string[]): SVGElement {
  const width = 6;
  const bars = recent.map((verdict, i) => {
    const passed = verdict === 'PASSED';
    const color = VERDICT_COLORS[verdict as keyof typeof VERDICT_COLORS]?.bg ?? '#8c959f';
    return svg(
      'rect',
      { x: i * width, y: passed ? 0 : 10, width: width - 1, height: passed ? 20 : 10, fill: color },
      svg('title', {}, document.createTextNode(verdict)),
    );
  });
  return svg(
    'svg',
    {
      class: 'spark',
      width: Math.max(1, recent.length) * width,
      height: 20,
      role: 'img',
      'aria-label': recent.length ? `last ${recent.length} runs: ${recent.join(', ')}` : 'no runs yet',
    },
    ...bars,
  );
}

function seconds(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value < 120) return `${Math.round(value)} s`;
  return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
}

function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

async function startRun(experiment: string, dryRun: boolean): Promise<void> {
  const where = state?.side === 'aws' ? `on AWS (${state.where})` : 'in the local sandbox';
  const answer = await confirmAction({
    title: dryRun ? `Dry run ${experiment}?` : `Run ${experiment}?`,
    detail: dryRun
      ? `Runs preflight and the baseline ${where}, injects nothing (verdict SKIPPED).`
      : `Checks the guardrails, measures the baseline and injects the fault ${where}.`,
    confirm: dryRun ? 'Start dry run' : 'Start run',
  });
  if (answer === undefined) return;
  const live = await api<LiveSummary>('/api/runs', { experiment, dryRun });
  location.hash = `#/run/${encodeURIComponent(live.runId)}`;
  await refreshState();
}

function runButtons(experiment: string): HTMLElement {
  return h(
    'span',
    { class: 'actions' },
    h(
      'button',
      { type: 'button', 'data-action': 'run', onclick: () => attempt(() => startRun(experiment, false)) },
      'Run',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-action': 'dry-run',
        onclick: () => attempt(() => startRun(experiment, true)),
      },
      'Dry run',
    ),
  );
}

function reportFrame(runId: string): HTMLElement {
  // No allow-same-origin: the report's own script runs, but cannot reach the console's token or API.
  return h('iframe', {
    class: 'report',
    title: `report of run ${runId}`,
    sandbox: 'allow-scripts',
    src: withToken(`/api/runs/${encodeURIComponent(runId)}/report`),
    'data-testid': 'report',
  });
}

// ---- views ----

let firstRender = true;

async function catalogView(): Promise<void> {
  const items = await api<CatalogItem[]>('/api/catalog');
  const search = h('input', {
    type: 'search',
    id: 'search',
    placeholder: 'name, owner, fault…',
    'aria-label': 'Search experiments',
  }) as HTMLInputElement;
  const verdicts = ['all', ...Object.keys(VERDICT_COLORS), 'never run'];
  const filter = h(
    'select',
    { id: 'verdict-filter', 'aria-label': 'Last verdict' },
    ...verdicts.map((v) => h('option', { value: v }, v === 'all' ? 'any last verdict' : v)),
  ) as HTMLSelectElement;
  const rows = items.map((item) => {
    const row = h(
      'tr',
      { 'data-experiment': item.name },
      h(
        'td',
        { 'data-label': 'Experiment' },
        h('a', { href: `#/experiment/${encodeURIComponent(item.name)}` }, item.name),
        h('div', { class: 'muted' }, item.description),
      ),
      h('td', { 'data-label': 'Owner' }, item.owner),
      h('td', { 'data-label': 'Fault', class: 'fault' }, item.fault),
      h(
        'td',
        { 'data-label': 'Schedule' },
        item.schedule
          ? `${item.schedule.expression}${item.schedule.timezone ? ` ${item.schedule.timezone}` : ''}${item.schedule.enabled ? '' : ' (disabled)'}${item.schedule.next ? `; next ${when(item.schedule.next)}` : ''}`
          : 'on demand',
      ),
      h(
        'td',
        { 'data-label': 'Guardrails' },
        item.guardrails.length
          ? h('ul', { class: 'plain' }, ...item.guardrails.map((g) => h('li', {}, g)))
          : h('span', { class: 'muted' }, 'none'),
      ),
      h('td', { 'data-label': 'Last verdict' }, verdictBadge(item.lastRun?.verdict ?? item.lastRun?.status)),
      h(
        'td',
        { 'data-label': 'Pass rate' },
        sparkline(item.recent),
        h('span', { class: 'rate' }, item.passRate === null ? '—' : `${Math.round(item.passRate * 100)}%`),
      ),
      h('td', { 'data-label': 'Actions' }, runButtons(item.name)),
    );
    const text = [item.name, item.owner, item.description, item.fault, ...item.guardrails].join(' ').toLowerCase();
    const last = item.lastRun?.verdict ?? (item.lastRun ? item.lastRun.status : 'never run');
    return { row, text, last };
  });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const apply = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows) {
      const visible = words.every((w) => r.text.includes(w)) && (filter.value === 'all' || filter.value === r.last);
      r.row.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = `${shown} of ${rows.length} experiments`;
  };
  search.addEventListener('input', apply);
  filter.addEventListener('change', apply);
  apply();
  view.replaceChildren(
    h('h2', { tabindex: '-1' }, 'Catalog'),
    h('div', { class: 'filters' }, search, filter, count),
    items.length
      ? h(
          'table',
          { class: 'catalog', 'data-testid': 'catalog' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Experiment', 'Owner', 'Fault', 'Schedule', 'Guardrails', 'Last verdict', 'Pass rate', ''].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h('tbody', {}, ...rows.map((r) => r.row)),
        )
      : h('p', {}, 'No experiment files found under experiments/.'),
  );
  if (firstRender) {
    firstRender = false;
    performance.mark('shaketable:first-render');
    document.body.dataset.rendered = 'catalog';
  }
}

async function experimentView(name: string, runId: string | undefined): Promise<void> {
  const [items, runs] = await Promise.all([
    api<CatalogItem[]>('/api/catalog'),
    api<RunRow[]>(`/api/experiments/${encodeURIComponent(name)}/runs`),
  ]);
  const item = items.find((i) => i.name === name);
  if (!item) throw new Error(`no experiment named ${name} in this catalog`);
  if (!state) await refreshState(); // a link straight to this page: what this side can do decides the buttons
  const canApprove = state?.can.approve ?? false;
  const table = h(
    'table',
    { class: 'history', 'data-testid': 'history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Started', 'Run', 'Trigger', 'Verdict', 'Duration', 'TTD', 'TTR', ''].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...runs.map((run) =>
        h(
          'tr',
          { 'data-run': run.runId, 'aria-current': run.runId === runId ? 'true' : undefined },
          h('td', { 'data-label': 'Started' }, when(run.startedAt)),
          h('td', { 'data-label': 'Run' }, h('code', {}, run.runId)),
          h('td', { 'data-label': 'Trigger' }, run.trigger ?? '—'),
          h('td', { 'data-label': 'Verdict' }, verdictBadge(run.verdict ?? run.status)),
          h('td', { 'data-label': 'Duration' }, seconds(run.durationSeconds)),
          h('td', { 'data-label': 'TTD' }, seconds(run.ttdSeconds)),
          h('td', { 'data-label': 'TTR' }, seconds(run.ttrSeconds)),
          h(
            'td',
            {},
            run.hasReport
              ? h('a', { href: `#/experiment/${encodeURIComponent(name)}/${encodeURIComponent(run.runId)}` }, 'Report')
              : run.resultError
                ? h('span', { class: 'muted' }, run.resultError)
                : null,
            state?.active?.runId === run.runId && !state.active.ended
              ? h('a', { href: `#/run/${encodeURIComponent(run.runId)}` }, 'Live')
              : null,
            canApprove && run.status === 'RUNNING' ? approvalButtons(run.runId) : null,
          ),
        ),
      ),
    ),
  );
  view.replaceChildren(
    h('h2', { tabindex: '-1' }, item.name),
    h('p', {}, item.description),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Hypothesis'),
      h('dd', {}, item.hypothesis),
      h('dt', {}, 'Owner'),
      h('dd', {}, item.owner),
      h('dt', {}, 'Fault'),
      h('dd', {}, item.fault),
      h('dt', {}, 'Guardrails'),
      h('dd', {}, item.guardrails.join('; ') || 'none'),
      h('dt', {}, 'File'),
      h('dd', {}, h('code', {}, item.file)),
    ),
    runButtons(item.name),
    h('h3', {}, 'Runs'),
    runs.length ? table : h('p', { class: 'muted' }, 'No runs yet.'),
    ...(runId ? [h('h3', {}, `Report of run ${runId}`), reportFrame(runId)] : []),
  );
}

function approvalButtons(runId: string): HTMLElement {
  const answer = (approve: boolean) =>
    attempt(async () => {
      const reason = await confirmAction({
        title: approve ? `Approve run ${runId}?` : `Reject run ${runId}?`,
        detail: approve
          ? 'The run goes on to the baseline and the fault (if it is waiting for approval).'
          : 'Nothing is injected and the run is SKIPPED.',
        confirm: approve ? 'Approve' : 'Reject',
        ...(approve ? {} : { reasonLabel: 'Reason' }),
      });
      if (reason === undefined) return;
      const { message } = await api<{ message: string }>(
        `/api/runs/${encodeURIComponent(runId)}/${approve ? 'approve' : 'reject'}`,
        approve ? {} : { reason },
      );
      statusLine.textContent = message;
    });
  return h(
    'span',
    { class: 'actions' },
    h('button', { type: 'button', onclick: () => answer(true) }, 'Approve'),
    h('button', { type: 'button', class: 'secondary', onclick: () => answer(false) }, 'Reject'),
  );
}

/**
 * A GameDay responder's buttons on a running run (DESIGN §9): each acknowledgement, after a confirmation with an
 * optional note, goes through the code of `shaketable ack`; the answer is the line that command prints.
 */
function ackButtons(runId: string): HTMLElement {
  const meaning: Record<AckKindName, string> = {
    detected: 'Records that you noticed the fault, now, under your name; time-to-detect counts it if it came first.',
    mitigated:
      'Records that you mitigated the fault, now, under your name; a GameDay held for it goes on to its verdict.',
  };
  const ack = (kind: AckKindName) =>
    attempt(async () => {
      const note = await confirmAction({
        title: `Acknowledge ${kind} for run ${runId}?`,
        detail: meaning[kind],
        confirm: `Ack ${kind}`,
        reasonLabel: 'Note (optional, shown on the report timeline)',
      });
      if (note === undefined) return;
      const { message } = await api<{ message: string }>(
        `/api/runs/${encodeURIComponent(runId)}/ack`,
        note ? { kind, note } : { kind },
      );
      statusLine.textContent = message;
    });
  return h(
    'p',
    { class: 'actions', 'data-testid': 'ack' },
    ...ACK_KIND_NAMES.map((kind) =>
      h('button', { type: 'button', 'data-ack': kind, onclick: () => ack(kind) }, `Ack ${kind}`),
    ),
  );
}

let following: EventSource | undefined;

function liveView(runId: string): void {
  const phases = h('ol', { class: 'phases', 'data-testid': 'phases' });
  const phaseItems = new Map<string, HTMLElement>();
  const addPhase = (name: string) => {
    let li = phaseItems.get(name);
    if (!li) {
      li = h('li', { 'data-phase': name, 'data-state': 'pending' }, name);
      phaseItems.set(name, li);
      phases.append(li);
    }
    return li;
  };
  for (const name of PHASES) addPhase(name);
  const current = h('p', { 'data-testid': 'current-phase', class: 'current' }, 'starting…');
  const probes = h('table', { class: 'probes', 'data-testid': 'probes', hidden: true });
  const log = h('pre', { class: 'log', 'data-testid': 'log', 'aria-live': 'polite', tabindex: '0' });
  const outcome = h('div', { 'data-testid': 'outcome' });
  const acks = state?.can.ack ? ackButtons(runId) : null;
  view.replaceChildren(
    h('h2', { tabindex: '-1' }, `Run ${runId}`),
    current,
    acks ?? '',
    phases,
    probes,
    h('h3', {}, 'Progress'),
    log,
    outcome,
  );
  let active: HTMLElement | undefined;
  const source = new EventSource(withToken(`/api/live/${encodeURIComponent(runId)}`));
  following = source;
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as LiveEvent;
    log.append(`${event.text}\n`);
    log.scrollTop = log.scrollHeight;
    if (event.kind === 'phase') {
      active?.setAttribute('data-state', 'done');
      active = addPhase(event.state);
      active.setAttribute('data-state', 'current');
      active.setAttribute('aria-current', 'step');
      current.textContent = `${event.state}: ${event.message}`;
    } else if (event.kind === 'probes') {
      probes.hidden = false;
      probes.replaceChildren(
        h('caption', {}, 'Current probe values'),
        ...Object.entries(event.values).map(([name, value]) =>
          h(
            'tr',
            { 'data-probe': name },
            h('th', { scope: 'row' }, name),
            h('td', {}, value === null ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(2)),
          ),
        ),
      );
    } else if (event.kind === 'verdict') {
      source.close();
      acks?.remove(); // evaluated: the run takes no more acks
      active?.setAttribute('data-state', 'done');
      active?.removeAttribute('aria-current');
      current.textContent = 'ended';
      outcome.replaceChildren(
        h('h3', {}, 'Verdict ', h('span', { 'data-testid': 'verdict' }, verdictBadge(event.verdict))),
        h('ul', { class: 'reasons' }, ...event.reasons.map((r) => h('li', {}, r))),
        reportFrame(event.runId),
      );
      attempt(refreshState);
    } else if (event.kind === 'error') {
      source.close();
      acks?.remove();
      current.textContent = 'ended without a verdict';
      showError(event.text);
      attempt(refreshState);
    }
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      showError(`the live view of run ${runId} is not available (was it started by this console?)`);
    }
  };
}

function scorecardView(days: number): void {
  const select = h(
    'select',
    { 'aria-label': 'Days of history' },
    ...[7, 30, 90, 365].map((d) => h('option', { value: String(d), selected: d === days }, `last ${d} days`)),
  ) as HTMLSelectElement;
  const frame = () =>
    h('iframe', {
      class: 'report',
      title: `scorecard of the last ${select.value} days`,
      sandbox: '',
      src: withToken(`/api/scorecard?days=${select.value}`),
      'data-testid': 'scorecard',
    });
  const holder = h('div', {}, frame());
  select.addEventListener('change', () => holder.replaceChildren(frame()));
  view.replaceChildren(h('h2', { tabindex: '-1' }, 'Scorecard'), h('div', { class: 'filters' }, select), holder);
}

async function route(): Promise<void> {
  following?.close();
  following = undefined;
  clearMessages();
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${parts[0] ?? ''}`);
  }
  try {
    if (parts[0] === 'experiment' && parts[1]) await experimentView(parts[1], parts[2]);
    else if (parts[0] === 'run' && parts[1]) liveView(parts[1]);
    else if (parts[0] === 'scorecard') scorecardView(30);
    else await catalogView();
  } catch (error) {
    view.replaceChildren(h('h2', { tabindex: '-1' }, 'Something went wrong'));
    showError(error);
  }
  (view.querySelector('h2') as HTMLElement | null)?.focus();
}

function start(): void {
  document.body.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, h('a', { href: '#/' }, 'shaketable console')),
      h(
        'nav',
        { 'aria-label': 'Pages' },
        h('a', { href: '#/' }, 'Catalog'),
        h('a', { href: '#/scorecard' }, 'Scorecard'),
      ),
      h('div', { class: 'side' }, activeLink, whereText, killText, killButton),
    ),
    errorLine,
    statusLine,
    view,
    dialog,
  );
  window.addEventListener('hashchange', () => void route());
  // The header's state and the first view load side by side: the catalog does not wait for the kill switch.
  attempt(async () => {
    await Promise.all([refreshState(), route()]);
  });
}

start();
