// Guardrail: every alarm that guards the experiment (guardrails.alarms, the template's stop conditions, the alarms
// compiled from abortWhen) must be OK before the fault starts; an alarm that does not exist refuses.
import type { AlarmState } from '../ports.js';
import type { Check } from '../result/model.js';

export function alarmsCheck(states: readonly AlarmState[], allowInsufficientData = false): Check {
  const observed = Object.fromEntries(states.map((s) => [s.name, s.state]));
  const bound = allowInsufficientData ? 'OK or INSUFFICIENT_DATA' : 'OK';
  if (states.length === 0) {
    return { name: 'alarms', ok: true, observed, bound, message: 'alarms: no alarm to check' };
  }
  const accepted = (s: AlarmState) => s.state === 'OK' || (allowInsufficientData && s.state === 'INSUFFICIENT_DATA');
  const refusing = states.filter((s) => !accepted(s));
  if (refusing.length === 0) {
    return { name: 'alarms', ok: true, observed, bound, message: `alarms: all ${states.length} alarm(s) are ${bound}` };
  }
  const listed = refusing.map((s) => `${s.name} is ${s.state === 'MISSING' ? 'MISSING (no such alarm)' : s.state}`);
  const hint =
    refusing.some((s) => s.state === 'INSUFFICIENT_DATA') && !allowInsufficientData
      ? '; wait for data or set guardrails.allowInsufficientData'
      : '';
  return {
    name: 'alarms',
    ok: false,
    observed,
    bound,
    message: `alarms: ${listed.join(', ')}; expected ${bound}${hint}`,
  };
}
