// A synthesized template with its intrinsic functions resolved to the values CloudFormation would give them in one
// sample account and region, so IAM policies can be read as AWS evaluates them (ARNs, not tokens).
import type { Synthesized } from './synth.js';

export const SAMPLE = { partition: 'aws', region: 'us-east-1', account: '123456789012' } as const;
const { partition, region, account } = SAMPLE;

type Resources = Synthesized['json']['Resources'];

const PSEUDO: Record<string, string> = {
  'AWS::Partition': partition,
  'AWS::Region': region,
  'AWS::AccountId': account,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Shaketable',
};

/** What `Ref` returns for a resource of the template: its physical name or ARN, per resource type. */
function ref(resources: Resources, id: string): string {
  const r = resources[id];
  if (r === undefined) throw new Error(`Ref to unknown resource ${id}`);
  const p = (r.Properties ?? {}) as Record<string, unknown>;
  const named = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : id.toLowerCase());
  switch (r.Type) {
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${named('TopicName')}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${account}/${named('QueueName')}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${partition}:states:${region}:${account}:stateMachine:${named('StateMachineName')}`;
    case 'AWS::FIS::ExperimentTemplate':
      return `EXT${id.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`;
    case 'AWS::SSM::Parameter':
      return named('Name');
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName');
    case 'AWS::S3::Bucket':
      return named('BucketName');
    case 'AWS::DynamoDB::Table':
      return named('TableName');
    case 'AWS::Lambda::Function':
      return named('FunctionName');
    case 'AWS::IAM::Role':
      return named('RoleName');
    case 'AWS::Scheduler::ScheduleGroup':
      return named('Name');
    default:
      return id;
  }
}

/** What `Fn::GetAtt [id, attribute]` returns. */
function getAtt(resources: Resources, id: string, attribute: string): string {
  const r = resources[id];
  if (r === undefined) throw new Error(`GetAtt of unknown resource ${id}`);
  const name = ref(resources, id);
  if (attribute !== 'Arn') return `${name}.${attribute}`;
  switch (r.Type) {
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${id.toLowerCase()}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${id.toLowerCase()}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${name}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return name;
    default:
      return `arn:${partition}:${r.Type.split('::')[1]!.toLowerCase()}:${region}:${account}:${id}`;
  }
}

/** `value` with every Ref, GetAtt, Join, Select, Split and Sub of `resources` resolved. */
export function concrete(resources: Resources, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => concrete(resources, v));
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = v[key];
    if (key === 'Ref') return PSEUDO[arg as string] ?? ref(resources, arg as string);
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
      return getAtt(resources, id, attribute);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return (concrete(resources, parts) as unknown[]).map(String).join(sep);
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number, unknown];
      return (concrete(resources, list) as unknown[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [sep, text] = arg as [string, unknown];
      return String(concrete(resources, text)).split(sep);
    }
    if (key === 'Fn::Sub' && typeof arg === 'string') {
      return arg.replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
        String(
          PSEUDO[name] ??
            (name.includes('.') ? getAtt(resources, name.split('.')[0]!, name.split('.')[1]!) : ref(resources, name)),
        ),
      );
    }
  }
  return Object.fromEntries(keys.map((k) => [k, concrete(resources, v[k])]));
}

export interface RolePolicies {
  /** logical id of the role */
  role: string;
  /** its identity policy documents, resolved */
  policies: Array<{ name: string; policy: { Version: string; Statement: unknown[] } }>;
}

/** Every role's identity policies (inline and AWS::IAM::Policy), resolved, by role logical id. */
export function rolePolicies(json: Synthesized['json']): Map<string, RolePolicies> {
  const resources = json.Resources;
  const out = new Map<string, RolePolicies>();
  const add = (role: string, name: string, doc: unknown) => {
    const entry = out.get(role) ?? { role, policies: [] };
    entry.policies.push({ name, policy: concrete(resources, doc) as RolePolicies['policies'][number]['policy'] });
    out.set(role, entry);
  };
  for (const [id, r] of Object.entries(resources)) {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::IAM::Role') {
      out.set(id, out.get(id) ?? { role: id, policies: [] });
      for (const policy of (p.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: unknown }>) {
        add(id, policy.PolicyName, policy.PolicyDocument);
      }
    }
    if (r.Type === 'AWS::IAM::Policy') {
      for (const role of (p.Roles ?? []) as Array<{ Ref: string }>) add(role.Ref, id, p.PolicyDocument);
    }
  }
  return out;
}
