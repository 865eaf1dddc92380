// The blast-radius resolver (core/targets/pools.ts) and the FIS action table agree on resource types: it has a pool
// read for every type an action targets and for no other, reads none where the table says the pool cannot be
// counted, and applies only target parameters FIS accepts for the type.
import { describe, expect, it } from 'vitest';
import { FIS_RESOURCE_TYPES } from '../../../core/fis/resource-types.js';
import { POOL_READS } from '../../../core/targets/pools.js';

describe('pool reads against the FIS resource types', () => {
  it('covers exactly the table\u2019s resource types', () => {
    expect(Object.keys(POOL_READS).sort()).toEqual(Object.keys(FIS_RESOURCE_TYPES).sort());
  });

  it('counts a pool exactly where the table says AWS APIs can', () => {
    for (const [type, spec] of Object.entries(FIS_RESOURCE_TYPES)) {
      expect(POOL_READS[type]?.via === 'none', type).toBe(!spec.poolCountable);
    }
  });

  it('applies only target parameters FIS accepts for the type', () => {
    for (const [type, read] of Object.entries(POOL_READS)) {
      for (const parameter of read.parameters) {
        expect(Object.keys(FIS_RESOURCE_TYPES[type]?.parameters ?? {}), `${type} ${parameter}`).toContain(parameter);
      }
    }
  });
});
