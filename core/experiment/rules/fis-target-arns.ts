// A target's `resourceArns` are ARNs of its resource type, in the shape the FIS action table gives for that type
// (core/fis/resource-types.ts): the stack puts them into the FIS role's policy as they are, and CloudFormation refuses
// a resource that is not an ARN (an account that is not 12 digits, a missing field), so `synth` would find it first.
import type { FisResourceTypeSpec } from '../../fis/resource-types.js';
import { awsTargets } from './fis-table.js';
import { asList, asString, at, type Rule, type RuleIssue } from './rule.js';

export const fisTargetArns: Rule = {
  name: 'fis-target-arns',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const target of awsTargets(raw).values()) {
      if (target.spec === undefined) continue; // an unknown type is fis-target-parameters' to report
      const shape = arnShape(target.spec);
      for (const [i, value] of (asList(at(target.raw, 'resourceArns')) ?? []).entries()) {
        const arn = asString(value);
        if (arn === undefined || shape.test(arn)) continue;
        issues.push({
          path: [...target.path, 'resourceArns', i],
          message: `"${arn}" is not an ARN of ${target.spec.type}; write it as ${arnExample(target.spec)}`,
        });
      }
    }
    return issues;
  },
};

/** What each `${Name}` placeholder of the table's patterns stands for. */
const PLACEHOLDER: Readonly<Record<string, string>> = {
  Partition: 'aws(?:-[a-z]+)*',
  // non-empty: a REPLACE-ME placeholder passes; FIS refuses a Region that does not exist when the template is created
  Region: '[A-Za-z0-9-]+',
  Account: '\\d{12}',
};
const IN_MESSAGE: Readonly<Record<string, string>> = {
  Partition: 'aws',
  Region: '<region>',
  Account: '<12-digit account>',
};
const NAMED = /\$\{(\w+)\}/;

/** The table's pattern as a regular expression; `*` is any non-empty text within its field (an optional account). */
function arnShape(spec: FisResourceTypeSpec): RegExp {
  const fields = spec.arnPattern.split(':');
  const resource = fields.splice(5).join(':');
  const wildcards = ['arn', '[a-z-]+', '[a-z0-9-]+', '[A-Za-z0-9-]+', '(?:\\d{12})?', '.+'];
  const source = [...fields, resource]
    .map((field, i) =>
      field
        .split(/(\$\{\w+\}|\*)/)
        .map((piece) => {
          const name = NAMED.exec(piece)?.[1];
          if (name !== undefined && Object.hasOwn(PLACEHOLDER, name)) return PLACEHOLDER[name];
          return piece === '*' ? wildcards[i] : escapeRegExp(piece);
        })
        .join(''),
    )
    .join(':');
  return new RegExp(`^${source}$`);
}

/** How the type's ARNs read, for the message: `arn:aws:dynamodb:<region>:<12-digit account>:table/<name>`. */
function arnExample(spec: FisResourceTypeSpec): string {
  return spec.arnPattern
    .replace(/\$\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(IN_MESSAGE, name) ? IN_MESSAGE[name]! : whole))
    .replace(/\*/g, '<name>');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
