// Guardrail: nothing starts while the kill switch (`shaketable halt`) is on.
import type { Check } from '../result/model.js';

export function killSwitchCheck(killSwitch: { on: boolean; reason?: string }): Check {
  if (!killSwitch.on) {
    return { name: 'killSwitch', ok: true, observed: 'off', bound: 'off', message: 'killSwitch: off' };
  }
  const why = killSwitch.reason ? ` (${killSwitch.reason})` : '';
  return {
    name: 'killSwitch',
    ok: false,
    observed: 'on',
    bound: 'off',
    message: `killSwitch: on${why}, expected off; clear it with \`shaketable resume\` when it is safe`,
  };
}
