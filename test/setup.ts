// Node 20: Promise.withResolvers for aws-local-stepfunctions (the CLI loads the same shim through local/workflow.ts).
import '../local/polyfills.js';
