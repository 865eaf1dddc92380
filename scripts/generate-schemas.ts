// `npm run schema`: writes schema/experiment.schema.json and schema/result.schema.json from the zod schemas,
// so editors (yaml-language-server) and other tools validate against exactly what the code accepts.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { Experiment } from '../core/experiment/schema.js';
import { Result } from '../core/result/model.js';

const ROOT = new URL('../', import.meta.url);

/** The generated files, by path relative to the repository root, as they are written (2-space JSON + newline). */
export function renderSchemas(): Record<string, string> {
  return {
    'schema/experiment.schema.json': render(
      // The input side: what a user writes (parameters may be numbers, `for` may be omitted…).
      z.toJSONSchema(Experiment, { io: 'input', target: 'draft-2020-12' }),
      'https://shaketable.dev/schema/experiment.schema.json',
      'shaketable experiment file (experiments/*.yaml)',
    ),
    'schema/result.schema.json': render(
      z.toJSONSchema(Result, { io: 'output', target: 'draft-2020-12' }),
      'https://shaketable.dev/schema/result.schema.json',
      'shaketable run result (result.json)',
    ),
  };
}

function render(schema: Record<string, unknown>, id: string, title: string): string {
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, $id: id, title, ...rest }, null, 2)}\n`;
}

async function main(): Promise<void> {
  for (const [path, content] of Object.entries(renderSchemas())) {
    await writeFile(new URL(path, ROOT), content);
    process.stdout.write(`wrote ${path}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
