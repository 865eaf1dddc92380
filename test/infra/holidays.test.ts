// The deployed catalog carries the public holidays its experiments name, computed at synth, so the Preflight
// Lambda needs no holiday library (and BundledCatalog hands the table to Load).
import { describe, expect, it } from 'vitest';
import { BundledCatalog } from '../../functions/aws/catalog.js';
import { synthCatalog } from './synth.js';

describe('holidays in the deployed catalog', () => {
  it('bundles this year and the next two of every calendar the catalog names, and Load joins them in', async () => {
    const synth = synthCatalog('experiments');
    try {
      const file = JSON.parse(synth.stack.catalog.catalogJson) as {
        holidays: Record<string, { from: string; to: string; dates: Record<string, string[]> }>;
      };
      expect(Object.keys(file.holidays).sort()).toEqual(['DE-BE', 'IE', 'US']);
      const year = new Date().getUTCFullYear();
      expect(file.holidays['DE-BE']).toMatchObject({ from: `${year}-01-01`, to: `${year + 2}-12-31` });
      expect(file.holidays['DE-BE']?.dates[`${year}-12-25`]).toEqual(['Christmas Day']);

      const catalog = new BundledCatalog(file, { read: async () => ({ compiledAlarms: [] }) });
      const entry = await catalog.get('checkout-instance-loss');
      expect(entry.holidays?.map((t) => t.code)).toEqual(['DE-BE']);
    } finally {
      synth.cleanup();
    }
  });
});
