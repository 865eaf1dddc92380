// `observe` becomes an aws:fis:wait action in the deployed template, and FIS accepts a wait of 1 minute to
// 12 hours (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#fis-actions-reference-wait).
// Sandbox files are not deployed, so their observe may be seconds.
import { secondsToIso } from '../../duration.js';
import { fisAction } from '../../fis/actions.js';
import { observeSeconds } from './max-duration.js';
import { at, providerOf, type Rule } from './rule.js';

const WAIT = fisAction('aws:fis:wait')?.parameters['duration'];

export const observeRange: Rule = {
  name: 'observe-range',
  check(raw) {
    if (providerOf(raw) === 'local' || at(raw, 'fault', 'template') === undefined || !WAIT) return [];
    const observe = observeSeconds(raw);
    if (observe === undefined) return [];
    const min = WAIT.min ?? 0;
    const max = WAIT.max ?? Number.POSITIVE_INFINITY;
    if (observe.seconds >= min && observe.seconds <= max) return [];
    const explicit = at(raw, 'fault', 'observe') !== undefined;
    return [
      {
        path: explicit ? ['fault', 'observe'] : ['steadyState', 'period'],
        message: `${observe.label} ${secondsToIso(observe.seconds)} is outside ${secondsToIso(min)} to ${secondsToIso(max)}, the range of the aws:fis:wait action it becomes; ${explicit ? 'set observe' : 'add fault.observe'} within it`,
      },
    ];
  },
};
