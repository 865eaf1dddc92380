// No one gets in: IAM of the stack synthesized from the repository catalog (no `*` action, StartExperiment only on
// the catalog's templates, each FIS role exactly its actions' permissions), TLS-only bucket, topic and queue, and no
// secret from an event in the Lambda logs — even with POWERTOOLS_LOGGER_LOG_EVENT switched on in the console.
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { permissionsFor } from '../../infra/fis-permissions.js';
import { FIXTURES, flat, iamStatements, ids, type Synthesized, synthCatalog } from '../infra/synth.js';
import { createWorld, experiment } from '../workflow/fakes.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe.each([
  ['the repository catalog (experiments/)', join(ROOT, 'experiments')],
  ['the fixture catalog with an existing template', join(FIXTURES, 'catalog-basic')],
])('IAM and TLS of the stack synthesized from %s', (_name, catalog) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthCatalog(catalog);
  });
  afterAll(() => s.cleanup());

  const allows = () => iamStatements(s.json).filter((st) => st.effect === 'Allow');
  const resources = (type: string) =>
    ids(s.json, type).map((id) => ({ id, props: s.json.Resources[id]!.Properties as Record<string, unknown> }));

  it('grants no `*` action and no service-wide `service:*` action to any role', () => {
    const statements = allows();
    expect(statements.length).toBeGreaterThan(20);
    const wild = statements.flatMap((st) => st.actions.filter((a) => a.includes('*')).map((a) => `${st.role}: ${a}`));
    expect(wild).toEqual([]);
    // Managed policies would escape the statement check: there are none.
    for (const { id, props } of resources('AWS::IAM::Role')) expect(props.ManagedPolicyArns, id).toBeUndefined();
  });

  it('limits fis:StartExperiment to the catalog’s template ARNs and experiment/*, for InjectFault alone', () => {
    const starts = allows().filter((st) => st.actions.includes('fis:StartExperiment'));
    expect(new Set(starts.map((st) => st.role.replace(/Role.*/, '')))).toEqual(new Set(['WorkflowInjectFault']));
    const granted = new Set(starts.flatMap((st) => st.resources));
    const prefix = 'arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:';
    const owned = ids(s.json, 'AWS::FIS::ExperimentTemplate').map((id) => `${prefix}experiment-template/<${id}>`);
    expect(owned.length).toBeGreaterThan(0);
    for (const arn of owned) expect(granted).toContain(arn);
    expect(granted).toContain(`${prefix}experiment/*`);
    const others = [...granted].filter((r) => !owned.includes(r) && r !== `${prefix}experiment/*`);
    // Anything else is an existing template named by id in the catalog (templateId: EXT…), never a wildcard.
    for (const r of others)
      expect(r).toMatch(
        new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}experiment-template/EXT[A-Za-z0-9]+$`),
      );
  });

  it('gives each FIS role exactly the permissions of its own actions, plus logging and its report prefix', () => {
    const templates = resources('AWS::FIS::ExperimentTemplate');
    for (const { id, props } of templates) {
      const roleId = flat(props.RoleArn).replace(/^<|\.Arn>$/g, '');
      const targets = props.Targets as Record<
        string,
        { ResourceType: string; ResourceArns?: string[]; SelectionMode: string }
      >;
      const actions = props.Actions as Record<string, { ActionId: string; Targets?: Record<string, string> }>;
      const scope = new Stack(new App(), 'Expected');
      const expected = new Set<string>([
        'logs:CreateLogDelivery',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
        's3:PutObject',
        's3:GetObject',
      ]);
      for (const [name, action] of Object.entries(actions)) {
        const own = Object.values(action.Targets ?? {}).flatMap((t) => {
          const target = targets[t];
          return target
            ? [
                {
                  resourceType: target.ResourceType,
                  selectionMode: target.SelectionMode,
                  ...(target.ResourceArns ? { resourceArns: target.ResourceArns } : {}),
                },
              ]
            : [];
        });
        for (const p of permissionsFor(scope, 'x.yaml', name, action.ActionId, own))
          for (const a of p.actions) expected.add(a);
      }
      const granted = new Set(
        allows()
          .filter((st) => st.role === roleId)
          .flatMap((st) => st.actions),
      );
      expect([...granted].sort(), `${id} → ${roleId}`).toEqual([...expected].sort());
      // and nobody else may act with it: only FIS of this account assumes it
      const trust = JSON.stringify(s.json.Resources[roleId]!.Properties!.AssumeRolePolicyDocument);
      expect(trust).toContain('fis.amazonaws.com');
      expect(trust).toContain('aws:SourceAccount');
    }
  });

  it('denies every non-TLS request to the results bucket, the topic and the dead-letter queue', () => {
    const denies = (type: string, target: string) =>
      resources(type)
        .filter(({ props }) => JSON.stringify(props).includes(target))
        .flatMap(({ props }) => (props.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement)
        .filter(
          (st) =>
            st.Effect === 'Deny' &&
            ['"*"', '{"AWS":"*"}'].includes(JSON.stringify(st.Principal)) &&
            JSON.stringify(st.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
        );
    const bucket = denies('AWS::S3::BucketPolicy', 'ResultsBucket');
    expect(bucket.length).toBeGreaterThan(0);
    expect(bucket.flatMap((st) => [st.Action].flat())).toContain('s3:*');
    const bucketResources = bucket.flatMap((st) => [st.Resource].flat().map(flat));
    expect(bucketResources.some((r) => /ResultsBucket.*\.Arn>$/.test(r))).toBe(true);
    expect(bucketResources.some((r) => /ResultsBucket.*\.Arn>\/\*$/.test(r))).toBe(true);

    const topic = denies('AWS::SNS::TopicPolicy', 'ResultsTopic');
    expect(topic.length).toBeGreaterThan(0);
    expect(topic.flatMap((st) => [st.Action].flat())).toContain('sns:Publish');

    const queue = denies('AWS::SQS::QueuePolicy', 'DeadLetters');
    expect(queue.flatMap((st) => [st.Action].flat())).toContain('sqs:*');
  });

  it('never turns on event logging or debug logging in a Lambda function', () => {
    for (const { id, props } of resources('AWS::Lambda::Function')) {
      const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
        {}) as Record<string, unknown>;
      expect(variables.POWERTOOLS_LOGGER_LOG_EVENT, id).toBeUndefined();
      expect(String(variables.POWERTOOLS_LOG_LEVEL ?? 'INFO'), id).not.toMatch(/DEBUG|TRACE/);
    }
  });
});

describe('no secrets or credentials in the logs', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
  const TOKEN = 'AAAAKgAAAAIAAAAAAAAAAeXmZiW0zMLWpbqTOKEN';
  let written = '';
  const saved = { ...process.env };

  beforeAll(() => {
    const capture = (chunk: unknown, ...rest: unknown[]) => {
      written += String(chunk);
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
  });
  afterEach(() => {
    written = '';
  });
  afterAll(() => {
    vi.restoreAllMocks();
    process.env = saved;
  });

  const context = {
    functionName: 'shaketable-Load',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:shaketable-Load',
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/shaketable-Load',
    logStreamName: '2026/01/01/[$LATEST]abc',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };

  it('logs neither the event nor its secrets, even with POWERTOOLS_LOGGER_LOG_EVENT=true', async () => {
    // The worst configuration an operator could set in the console, read when the logger is built.
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    process.env.POWERTOOLS_DEV = 'false';
    vi.resetModules();
    const { stepHandler } = await import('../../functions/handler.js');
    const { load } = await import('../../core/steps/load.js');
    const world = createWorld({ experiment: experiment() });
    const handler = stepHandler('Load', (event: Parameters<typeof load>[1]) => load(world.deps, event));

    // A valid run whose input also carries credentials (refused as unknown fields), and one that succeeds.
    const leaky = {
      input: { experiment: 'checkout-instance-loss', awsSecretAccessKey: SECRET, credentials: { ACCESS_KEY, TOKEN } },
      runId: 'r-1',
      startedAt: new Date().toISOString(),
    };
    await expect(handler(leaky, context as never)).rejects.toMatchObject({ name: 'Shaketable.InvalidInput' });
    const ok = {
      input: { experiment: 'checkout-instance-loss' },
      runId: `r-${TOKEN}`,
      startedAt: new Date().toISOString(),
    };
    await handler(ok, context as never);

    // The handler did log (the capture is live), and nothing of the event's secrets.
    expect(written).toContain('Load failed');
    expect(written).toContain('Load done');
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain(ACCESS_KEY);
    expect(written).not.toContain(TOKEN);
  });

  it('keeps task tokens out of the InjectFault and FaultEnded handler logs by construction', async () => {
    // Every handler logs only its state name, the outcome objects of FaultEnded and the Janitor, and Publish's
    // metric: none of which carries the event. This reads the handlers to keep it that way.
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = join(ROOT, 'functions');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      if (!/export const handler\b/.test(source)) continue; // shared modules (chart-library.ts) log nothing
      // what each logger call passes, its message strings left out
      const logged = [...source.matchAll(/logger\.(?:info|warn|error|debug)\(([^;]*)\);/g)].map((m) =>
        m[1]!.replace(/'[^']*'|`[^`]*`|"[^"]*"/g, "''"),
      );
      expect(logged.length + (source.includes('stepHandler(') ? 1 : 0), file).toBeGreaterThan(0);
      for (const call of logged) expect(call, `${file}: ${call}`).not.toMatch(/\bevent\b|token|Payload/i);
      expect(source, file).not.toMatch(/logEvent:\s*true|appendKeys\(\s*event|console\.log/);
    }
  });
});
