import { describe, expect, it } from 'vitest';
import { EnvironmentError, loadEnv } from '../../../functions/aws/clients.js';

const complete = {
  AWS_REGION: 'eu-central-1',
  RESULTS_BUCKET: 'shaketable-results',
  TOPIC_ARN: 'arn:aws:sns:eu-central-1:111122223333:shaketable',
  RUN_TABLE: 'shaketable-runs',
};

describe('loadEnv', () => {
  it('accepts a complete environment and fills the defaults', () => {
    expect(loadEnv(complete)).toEqual({
      ...complete,
      HALT_PARAMETER: '/shaketable/halt',
      CATALOG_PREFIX: '/shaketable/catalog',
      INGESTION_DELAY_SECONDS: 180,
    });
  });

  it('names every missing variable at once', () => {
    const { RUN_TABLE: _table, TOPIC_ARN: _topic, ...partial } = complete;
    const error = (() => {
      try {
        loadEnv(partial);
      } catch (e) {
        return e as EnvironmentError;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error?.name).toBe('Shaketable.Environment');
    expect(error?.message).toContain('TOPIC_ARN is not set');
    expect(error?.message).toContain('RUN_TABLE is not set');
  });

  it('refuses a malformed value with its name', () => {
    expect(() => loadEnv({ ...complete, INGESTION_DELAY_SECONDS: 'soon' })).toThrow(/INGESTION_DELAY_SECONDS/);
  });
});
