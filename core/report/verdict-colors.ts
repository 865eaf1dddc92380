// The colour of each verdict, shared by report.html, the scorecard and the console page (which bundles this file
// alone, without the report's stylesheet).

/** Banner colours per verdict: green/yellow/red for the decided outcomes, grey/blue when nothing was decided, dark red for ERROR. */
export const VERDICT_COLORS = {
  PASSED: { bg: '#1a7f37', fg: '#ffffff' },
  DEGRADED: { bg: '#d4a72c', fg: '#24292f' },
  FAILED: { bg: '#cf222e', fg: '#ffffff' },
  SKIPPED: { bg: '#6e7781', fg: '#ffffff' },
  INCONCLUSIVE: { bg: '#0969da', fg: '#ffffff' },
  ERROR: { bg: '#82071e', fg: '#ffffff' },
} as const;
