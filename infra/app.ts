// The CDK app (`npx cdk synth|deploy`): one stack, default name Shaketable (`-c stackName=…`), deploying the
// catalog `experiments/*.yaml` (`-c catalog=<dir>`), checked by cdk-nag's AwsSolutions pack.
// An invalid catalog stops synth with the validate-style lines and exit code 2, never a stack trace.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ValidationError } from '../core/experiment/issues.js';
import { ExpressionError } from '../core/expression/parse.js';
import { InvalidSelectionModeError } from '../core/targets/selection.js';
import { CatalogInvalidError, CatalogNotFoundError, readCatalog } from './catalog-source.js';
import { CatalogCompileError } from './constructs/catalog.js';
import { UnknownFisActionError } from './fis-permissions.js';
import { ShaketableStack } from './stack.js';

/**
 * Errors that mean "your catalog is wrong", reported as lines rather than a crash: the catalog's own, and the
 * core errors its compilation can raise on input validation should have refused (so never a stack trace).
 */
const USER_ERRORS = [
  CatalogInvalidError,
  CatalogNotFoundError,
  CatalogCompileError,
  UnknownFisActionError,
  ValidationError,
  ExpressionError,
  InvalidSelectionModeError,
];

function buildApp(app: App): ShaketableStack {
  const stackName = String(app.node.tryGetContext('stackName') ?? 'Shaketable');
  const catalogDir = String(app.node.tryGetContext('catalog') ?? 'experiments');
  const stack = new ShaketableStack(app, stackName, {
    stackName,
    description: 'shaketable: chaos experiments with AWS FIS and Step Functions',
    experiments: readCatalog(catalogDir),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

try {
  buildApp(new App());
} catch (error) {
  if (USER_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  throw error;
}
