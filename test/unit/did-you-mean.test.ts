// The one "did you mean" helper of core: an edit or two away (within a third of the name), or a prefix of 4+
// characters; nothing when no candidate is close enough to be what was meant.
import { describe, expect, it } from 'vitest';
import { closestName } from '../../core/did-you-mean.js';

describe('closestName', () => {
  it('finds a misspelling, case-insensitively, and the closest of several', () => {
    expect(closestName('Instance', ['Instances', 'Clusters'])).toBe('Instances');
    expect(closestName('aws:ec2:stop-instance', ['aws:ec2:stop-instances', 'aws:ec2:start-instances'])).toBe(
      'aws:ec2:stop-instances',
    );
    expect(closestName('COUNT', ['Count', 'Sum'])).toBe('Count');
  });

  it('takes a prefix of 4+ characters for the longer name', () => {
    expect(closestName('invocationPercent', ['invocationPercentage', 'duration'])).toBe('invocationPercentage');
    expect(closestName('dur', ['duration'])).toBeUndefined();
  });

  it('says nothing when no candidate is close', () => {
    expect(closestName('aws:ec2:levitate', ['aws:ec2:terminate-instances', 'aws:fis:wait'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
