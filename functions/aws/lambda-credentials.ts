// Bundled in place of @aws-sdk/credential-provider-node (esbuild alias in the ExperimentWorkflow construct): in
// Lambda the runtime always sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN for the function's
// role, so the default chain's STS, SSO and INI providers (~85 KB per bundle) are dead weight on a cold start.
// Outside Lambda (CLI, tests) the real default chain is used: only the Lambda bundles are aliased.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = () => fromEnv();
