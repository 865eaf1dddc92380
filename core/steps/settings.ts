// What differs between a run in AWS and one in the sandbox (kept apart from plan.ts, which needs zod).

/** Knobs that differ between AWS and the sandbox. */
export interface Settings {
  provider: 'aws' | 'local';
  /** how far behind now CloudWatch data is complete (DESIGN §1: PT3M in AWS; 0 locally) */
  defaultIngestionDelaySeconds: number;
  /** extra time InjectFault waits for the FIS event beyond maxDuration before asking FIS (Reconcile) */
  injectMarginSeconds: number;
  /** default approval timeout when the file sets none */
  defaultApprovalSeconds: number;
}

export const AWS_SETTINGS: Settings = {
  provider: 'aws',
  defaultIngestionDelaySeconds: 180,
  injectMarginSeconds: 120,
  defaultApprovalSeconds: 3600,
};

export const LOCAL_SETTINGS: Settings = {
  provider: 'local',
  defaultIngestionDelaySeconds: 0,
  injectMarginSeconds: 10,
  defaultApprovalSeconds: 300,
};
