// The AWS calls each Lambda handler can make, derived from the code (so the list cannot drift from it):
// functions/<handler>.ts → the core step it runs and the adapters it wires (`const deps: XDeps = {port: factory(env)}`)
// → the port methods the step calls (`deps.<port>.<method>(`, and those of the run-lifecycle functions it calls) → the SDK commands those adapter methods send, following
// calls to the class's own methods, to functions of the same file and to the adapters it holds (`this.ids.read(`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** One SDK command an adapter sends, as `<sdk module>:<Command>` with the adapter class that sends it. */
export interface SdkCall {
  adapter: string;
  module: string;
  command: string;
}

/** The IAM action of an SDK command: the command's name in the service's prefix (lib-dynamodb's are renamed). */
const PREFIX: Record<string, string> = {
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-fis': 'fis',
  '@aws-sdk/client-sfn': 'states',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-rds': 'rds',
  '@aws-sdk/client-resource-groups-tagging-api': 'tag',
  '@aws-sdk/client-cloudformation': 'cloudformation',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-elasticache': 'elasticache',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
};
const DOCUMENT_CLIENT: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  TransactWrite: 'TransactWriteItems',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
};

export function iamActionOf(call: Pick<SdkCall, 'module' | 'command'>): string {
  const prefix = PREFIX[call.module];
  if (prefix === undefined) throw new Error(`no IAM prefix known for ${call.module}`);
  const name = call.command.replace(/Command$/, '');
  return `${prefix}:${call.module === '@aws-sdk/lib-dynamodb' ? (DOCUMENT_CLIENT[name] ?? name) : name}`;
}

interface Method {
  commands: SdkCall[];
  /** this.m(...), this.#m(...) */
  own: string[];
  /** this.<field>.<m>(...) → [class of field, m] */
  held: Array<[string, string]>;
  /** names that may be functions of the same file (called, or passed on) */
  functions: string[];
}

interface ParsedFile {
  classes: Map<string, Map<string, Method>>;
  functions: Map<string, Method>;
}

const files = new Map<string, ParsedFile>();
const classFile = new Map<string, string>();

function parse(file: string): ParsedFile {
  const cached = files.get(file);
  if (cached) return cached;
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.namedBindings) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      const bindings = statement.importClause.namedBindings;
      if (ts.isNamedImports(bindings)) for (const el of bindings.elements) imports.set(el.name.text, from);
    }
  }
  const parsed: ParsedFile = { classes: new Map(), functions: new Map() };
  const scan = (body: ts.Node | undefined, adapter: string, fieldTypes: Map<string, string>): Method => {
    const method: Method = { commands: [], own: [], held: [], functions: [] };
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text.endsWith('Command')) {
        const module = imports.get(node.expression.text);
        if (module?.startsWith('@aws-sdk/')) method.commands.push({ adapter, module, command: node.expression.text });
      }
      // functions of the same file, called or passed on (`const read = … ? clusters : instances`)
      if (ts.isIdentifier(node)) method.functions.push(node.text);
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee)) {
          const target = callee.expression;
          if (target.kind === ts.SyntaxKind.ThisKeyword) method.own.push(callee.name.getText());
          if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
            const held = fieldTypes.get(target.name.getText());
            if (held) method.held.push([held, callee.name.getText()]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    if (body) visit(body);
    return method;
  };
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      parsed.functions.set(statement.name.text, scan(statement.body, '', new Map()));
    }
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && ts.isArrowFunction(d.initializer)) {
          parsed.functions.set(d.name.text, scan(d.initializer.body, '', new Map()));
        }
      }
    }
    if (ts.isClassDeclaration(statement) && statement.name) {
      const name = statement.name.text;
      classFile.set(name, file);
      // Fields typed with another adapter class (constructor parameter properties and declared fields).
      const fieldTypes = new Map<string, string>();
      const typed = (field: string, type: ts.TypeNode | undefined) => {
        // the first type name of the annotation (`Pick<SsmCatalogIds, 'read'>` → SsmCatalogIds); only adapter
        // classes are followed (SDK clients are not: their commands are the `new XCommand` found above)
        const name = type?.getText().match(/\b(?!Pick\b|Readonly\b|Partial\b)[A-Z][A-Za-z0-9]+/)?.[0];
        if (name) fieldTypes.set(field, name);
      };
      const methods = new Map<string, Method>();
      for (const member of statement.members) {
        if (ts.isConstructorDeclaration(member)) {
          for (const p of member.parameters) if (ts.isIdentifier(p.name)) typed(p.name.text, p.type);
        }
        if (ts.isPropertyDeclaration(member)) typed(member.name.getText(), member.type);
      }
      for (const member of statement.members) {
        if ((ts.isMethodDeclaration(member) || ts.isGetAccessor(member)) && member.body) {
          methods.set(member.name.getText(), scan(member.body, name, fieldTypes));
        }
      }
      parsed.classes.set(name, methods);
    }
  }
  files.set(file, parsed);
  return parsed;
}

const ADAPTER_FILES = [
  'functions/aws/approval-notifier.ts',
  'functions/aws/catalog.ts',
  'functions/aws/cloudwatch.ts',
  'functions/aws/dynamodb.ts',
  'functions/aws/fis.ts',
  'functions/aws/s3.ts',
  'functions/aws/sfn.ts',
  'functions/aws/sns.ts',
  'functions/aws/ssm.ts',
  'functions/aws/targets.ts',
];

/** The SDK calls `Class.method` can make, following its calls. */
export function callsOf(className: string, methodName: string, seen = new Set<string>()): SdkCall[] {
  for (const file of ADAPTER_FILES) parse(file);
  const key = `${className}.${methodName}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const file = classFile.get(className);
  if (file === undefined) throw new Error(`adapter class ${className} not found in ${ADAPTER_FILES.join(', ')}`);
  const parsed = parse(file);
  const method = parsed.classes.get(className)?.get(methodName);
  if (method === undefined) throw new Error(`${className} has no method ${methodName}`);
  const out: SdkCall[] = [];
  const follow = (m: Method, adapter: string) => {
    out.push(...m.commands.map((c) => ({ ...c, adapter })));
    for (const own of m.own) {
      if (parsed.classes.get(className)?.has(own)) out.push(...callsOf(className, own, seen));
    }
    for (const [held, name] of m.held) if (classFile.has(held)) out.push(...callsOf(held, name, seen));
    for (const fn of m.functions) {
      const f = parsed.functions.get(fn);
      if (f && !seen.has(`${file}#${fn}`)) {
        seen.add(`${file}#${fn}`);
        follow(f, adapter);
      }
    }
  };
  follow(method, className);
  return out;
}

/** `export const factory = (env) => new Class(…)` of wiring.ts, by factory name. */
function factories(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['functions/aws/wiring.ts']) {
    const text = read(file);
    for (const m of text.matchAll(
      /export const (\w+) = \([^)]*\)\s*(?::[^=]+)?=>\s*(?:\{[\s\S]*?return\s+)?new (\w+)/g,
    )) {
      out.set(m[1]!, m[2]!);
    }
    for (const m of text.matchAll(/export const (\w+) = \([^)]*\) =>\s*\n?\s*(\w+)\.from\w*\(/g)) out.set(m[1]!, m[2]!);
  }
  return out;
}

export interface HandlerCalls {
  /** port.method pairs the handler's step calls */
  portCalls: string[];
  /** port → adapter class */
  adapters: Record<string, string>;
  calls: SdkCall[];
}

/** The SDK calls of functions/<file>.ts (e.g. `inject-fault`). */
export function handlerCalls(handlerFile: string): HandlerCalls {
  const text = read(`functions/${handlerFile}.ts`);
  const step = text.match(/from '\.\.\/core\/steps\/([\w-]+)\.js'/g)?.map((m) => m.slice(6, -1)) ?? [];
  const stepFile = step.map((s) => s.replace('../', '')).find((s) => !s.endsWith('settings.js'));
  if (!stepFile) throw new Error(`functions/${handlerFile}.ts imports no core step`);
  const portCalls = [...new Set(portCallsOf(stepFile.replace(/\.js$/, '.ts')))];
  const wired = text.match(/const deps: \w+ = \{([\s\S]*?)\};/)?.[1] ?? '';
  const byFactory = factories();
  const adapters: Record<string, string> = {};
  for (const m of wired.matchAll(/(\w+):\s*(?:aws\.)?(\w+)\(env\)/g)) {
    const cls = byFactory.get(m[2]!);
    if (cls === undefined) throw new Error(`functions/${handlerFile}.ts: factory ${m[2]} not found in the wiring`);
    adapters[m[1]!] = cls;
  }
  const calls: SdkCall[] = [];
  for (const pc of portCalls) {
    const [port, method] = pc.split('.') as [string, string];
    const cls = adapters[port];
    if (cls === undefined) continue; // clock, settings: no AWS
    calls.push(...callsOf(cls, method));
  }
  return { portCalls, adapters, calls };
}

/** The run lifecycle the steps share: its functions' port calls count for the step that calls them. */
const LIFECYCLE = 'core/run/lifecycle.ts';

/** `deps.<port>.<method>(` in a core file, plus those of each run-lifecycle function it calls (transitively). */
function portCallsOf(file: string, seen = new Set<string>()): string[] {
  const source = read(file);
  const direct = [...source.matchAll(/deps\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
  if (file === LIFECYCLE) return direct;
  const imported = source.match(/import \{([^}]*)\} from '[./]*run\/lifecycle\.js'/)?.[1] ?? '';
  const names = imported
    .split(',')
    .map((n) => n.replace(/^\s*type\s+/, '').trim())
    .filter((n) => n && new RegExp(`\\b${n}\\(`).test(source));
  return [...direct, ...names.flatMap((name) => lifecycleCalls(name, seen))];
}

/** The port calls of one exported function of the run lifecycle, following its calls to the module's others. */
function lifecycleCalls(name: string, seen: Set<string>): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const source = read(LIFECYCLE);
  const start = source.indexOf(`export async function ${name}(`);
  if (start < 0) return []; // a pure helper (isTerminalStatus, outcomeOfStop, …): no port calls
  const next = source.indexOf('\nexport ', start + 1);
  const body = source.slice(start, next < 0 ? undefined : next);
  const own = [...body.matchAll(/deps\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
  const called = [...body.matchAll(/await (\w+)\(deps/g)].map((m) => m[1]!);
  return [...own, ...called.flatMap((fn) => lifecycleCalls(fn, seen))];
}
