// expect.detect.within is a positive duration no longer than fault.maxDuration: the workflow stops the fault at
// maxDuration, so a longer window would wait for a detection of a fault that is no longer running.
import { secondsToIso } from '../../duration.js';
import { at, type Rule, secondsOf } from './rule.js';

export const detectWithin: Rule = {
  name: 'detect-within',
  check(raw) {
    const within = secondsOf(at(raw, 'expect', 'detect', 'within'));
    if (within === undefined) return [];
    const path = ['expect', 'detect', 'within'];
    if (within <= 0) return [{ path, message: 'within must be a positive duration such as PT3M' }];
    const max = secondsOf(at(raw, 'fault', 'maxDuration'));
    if (max !== undefined && within > max) {
      return [
        {
          path,
          message: `within ${secondsToIso(within)} is longer than fault.maxDuration ${secondsToIso(max)}; lower it to at most that`,
        },
      ];
    }
    return [];
  },
};
