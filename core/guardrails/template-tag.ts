// Guardrail for `templateId` experiments: the FIS template shaketable does not own must be tagged
// shaketable:experiment=<name>, so a file cannot borrow a template meant for something else.
import type { Check } from '../result/model.js';
import { EXPERIMENT_TAG } from '../run/lifecycle.js';

/** `tags` undefined means the template could not be read, which refuses. */
export function templateTagCheck(
  tags: Readonly<Record<string, string>> | undefined,
  experimentName: string,
  templateId?: string,
): Check {
  const bound = `${EXPERIMENT_TAG}=${experimentName}`;
  const template = templateId ? `template ${templateId}` : 'template';
  if (!tags) {
    return {
      name: 'templateTag',
      ok: false,
      bound,
      message: `templateTag: the tags of ${template} were not read, expected ${bound}; describe the template first`,
    };
  }
  const value = tags[EXPERIMENT_TAG];
  const observed = value === undefined ? 'no shaketable:experiment tag' : `${EXPERIMENT_TAG}=${value}`;
  const ok = value === experimentName;
  return {
    name: 'templateTag',
    ok,
    observed,
    bound,
    message: ok
      ? `templateTag: ${template} carries ${bound}`
      : `templateTag: ${template} carries ${observed}, expected ${bound}; tag the FIS template to allow this experiment`,
  };
}
