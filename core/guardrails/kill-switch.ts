// Guardrail: nothing starts while the kill switch (`shaketable halt`) is on.
import type { Check } from '../result/model.js';

/** `local` experiments run in the sandbox, whose switch `resume --local` clears; the others, the SSM one. */
export function killSwitchCheck(
  killSwitch: { on: boolean; reason?: string },
  provider: 'aws' | 'local' = 'aws',
): Check {
  if (!killSwitch.on) {
    return { name: 'killSwitch', ok: true, observed: 'off', bound: 'off', message: 'killSwitch: off' };
  }
  const why = killSwitch.reason ? ` (${killSwitch.reason})` : '';
  return {
    name: 'killSwitch',
    ok: false,
    observed: 'on',
    bound: 'off',
    message: `killSwitch: on${why}, expected off; clear it with \`npx shaketable resume${provider === 'local' ? ' --local' : ''}\` when it is safe`,
  };
}
