// The ramp target's selectionMode in the template is the ramp's first step, written out: every step replaces it,
// and a different value would describe a run that never happens (what the template says is what step 1 hits).
import { asList, asString, at, type Rule } from './rule.js';

export const rampFirstStep: Rule = {
  name: 'ramp-first-step',
  check(raw) {
    const target = asString(at(raw, 'fault', 'ramp', 'target'));
    const first = asString(asList(at(raw, 'fault', 'ramp', 'steps'))?.[0]);
    if (target === undefined || first === undefined) return [];
    const mode = asString(at(raw, 'fault', 'template', 'targets', target, 'selectionMode'));
    if (mode === undefined || mode === first) return [];
    return [
      {
        path: ['fault', 'template', 'targets', target, 'selectionMode'],
        message: `${mode} is not the ramp's first step; the ramp replaces it step by step, so write ${first} (fault.ramp.steps[0])`,
      },
    ];
  },
};
