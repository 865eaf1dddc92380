// DEGRADED: the system tolerated the fault (or not), but its own monitoring did not notice it in time (DESIGN §9).
import type { VerdictRule } from '../model.js';

export const detectionMissed: VerdictRule = ({ detection }) =>
  detection && !detection.detected
    ? [
        {
          verdict: 'DEGRADED',
          reason: `detect: no alarm of ${detection.alarms.join(', ')} went to ALARM within ${detection.within}`,
        },
      ]
    : [];
