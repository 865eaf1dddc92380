// The `local` block (the sandbox's demo system) is required with provider: local and meaningless otherwise.
import { at, providerOf, type Rule } from './rule.js';

export const localBlock: Rule = {
  name: 'local-block',
  check(raw) {
    const hasLocal = at(raw, 'local') !== undefined;
    if (providerOf(raw) === 'local' && !hasLocal) {
      return [
        {
          path: ['local'],
          at: ['provider'],
          message: 'provider: local needs a local block (instances, rps, alarms) describing the demo system',
        },
      ];
    }
    if (providerOf(raw) === 'aws' && hasLocal) {
      return [{ path: ['local'], message: 'the local block is only allowed with provider: local' }];
    }
    return [];
  },
};
