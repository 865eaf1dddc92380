// Guardrail: one run at a time per target set; the lock (keyed by lockKey) must have been acquired by this run.
import type { LockResult } from '../ports.js';
import type { Check } from '../result/model.js';

export function lockCheck(lock: LockResult): Check {
  if (lock.acquired) {
    return { name: 'lock', ok: true, observed: 'acquired', bound: 'free', message: 'lock: target lock acquired' };
  }
  const holder = lock.holder ?? 'an unknown run';
  const until = lock.expiresAt !== undefined ? ` until ${new Date(lock.expiresAt * 1000).toISOString()}` : '';
  return {
    name: 'lock',
    ok: false,
    observed: `held by ${holder}`,
    bound: 'free',
    message: `lock: the targets are locked by run ${holder}${until}, expected free; wait for that run to end`,
  };
}
