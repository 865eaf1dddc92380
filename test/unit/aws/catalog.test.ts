import { describe, expect, it } from 'vitest';
import { BundledCatalog, CatalogFileError, parseCatalogFile } from '../../../functions/aws/catalog.js';
import { experiment } from '../../workflow/fakes.js';

const definition = experiment();
const ids = { read: async () => ({ templateId: 'EXTabc', compiledAlarms: ['a1'] }) };

describe('functions/aws/catalog.ts', () => {
  it('takes the catalog the CDK wrote as it is and joins an entry with its deploy-time ids', async () => {
    const catalog = new BundledCatalog(
      { version: 1, experiments: { [definition.name]: definition }, holidays: {} },
      ids,
    );
    expect(await catalog.list()).toEqual([definition.name]);
    expect(await catalog.get(definition.name)).toEqual({
      experiment: definition,
      templateId: 'EXTabc',
      compiledAlarms: ['a1'],
    });
    await expect(catalog.get('constructor')).rejects.toThrow('not in the deployed catalog');
  });

  it.each([
    [null, 'expected {version: 1, experiments, holidays}'],
    [{ experiments: {} }, 'expected {version: 1, experiments, holidays}'],
    [{ version: 2, experiments: {} }, 'expected {version: 1, experiments, holidays}'],
    [{ version: 1, experiments: [] }, '"experiments" is not a mapping'],
    [{ version: 1, experiments: { other: definition } }, 'experiments.other is not the validated experiment'],
    [
      { version: 1, experiments: {}, holidays: { DE: { code: 'DE' } } },
      '"holidays" is not a mapping of holiday tables',
    ],
  ])('refuses a file that is not a catalog the CDK wrote: %j', (raw, message) => {
    expect(() => parseCatalogFile(raw)).toThrow(CatalogFileError);
    expect(() => parseCatalogFile(raw)).toThrow(message);
  });
});
