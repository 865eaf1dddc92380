import { describe, expect, it } from 'vitest';
import { templateTagCheck } from '../../../core/guardrails/template-tag.js';

describe('templateTagCheck', () => {
  it('allows a template tagged for this experiment', () => {
    const check = templateTagCheck({ 'shaketable:experiment': 'az-outage', team: 'sre' }, 'az-outage', 'EXT123');
    expect(check).toMatchObject({ name: 'templateTag', ok: true });
  });

  it('refuses a template tagged for another experiment', () => {
    const check = templateTagCheck({ 'shaketable:experiment': 'other' }, 'az-outage', 'EXT123');
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'templateTag: template EXT123 carries shaketable:experiment=other, expected shaketable:experiment=az-outage; tag the FIS template to allow this experiment',
    );
  });

  it('refuses an untagged template', () => {
    expect(templateTagCheck({}, 'az-outage').ok).toBe(false);
  });

  it('refuses when the tags were not read', () => {
    const check = templateTagCheck(undefined, 'az-outage', 'EXT123');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('EXT123');
  });
});
