// The deployed template gets `observe` as an aws:fis:wait action named shaketable-observe (infra/constructs/catalog.ts):
// a file's own action of that name would collide with it, so validate refuses it where synth would stop.
import { OBSERVE_ACTION } from '../patterns.js';
import { entriesAt, providerOf, type Rule } from './rule.js';

export const OBSERVE_ACTION_RESERVED = `the action name "${OBSERVE_ACTION}" is reserved for the aws:fis:wait action shaketable adds for fault.observe; rename this action`;

export const observeActionName: Rule = {
  name: 'observe-action-name',
  check(raw) {
    if (providerOf(raw) === 'local') return [];
    return entriesAt(raw, 'fault', 'template', 'actions')
      .filter(([name]) => name === OBSERVE_ACTION)
      .map(([name]) => ({ path: ['fault', 'template', 'actions', name], message: OBSERVE_ACTION_RESERVED }));
  },
};
