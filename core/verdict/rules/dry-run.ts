// SKIPPED: a dry run measures preflight and baseline and injects nothing (DESIGN §4).
import type { VerdictRule } from '../model.js';

export const dryRun: VerdictRule = (input) =>
  input.dryRun ? [{ verdict: 'SKIPPED', reason: 'dry run: observed dryRun true, nothing injected' }] : [];
