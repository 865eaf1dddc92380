// Validation of the templates read back from FIS against the experiment schema. Apart from fis.ts because it needs
// zod, and only Load and the CLI read templates.
import { Template } from '../../core/experiment/schema.js';
import { messageFor } from '../../core/experiment/zod-issues.js';
import { ExternalTemplateInvalidError, type TemplateValidator } from './fis.js';

export const validateTemplate: TemplateValidator = (raw, templateId) => {
  const parsed = Template.safeParse(raw, { error: messageFor });
  if (!parsed.success) {
    throw new ExternalTemplateInvalidError(
      templateId,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
};
