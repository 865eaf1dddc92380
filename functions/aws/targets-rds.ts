// Target pools of RDS clusters and DB instances for the blast-radius guardrail, apart from targets.ts because
// RDS's query-protocol client is the heaviest of them (~120 KB minified): only ResolveRdsTargets and the CLI load it.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { Target } from '../../core/experiment/schema.js';
import type { TargetPool, TargetPools } from '../../core/ports.js';
import { hasTags, isRdsType, matchesFilters, refuseParameters, tagRecord } from './targets.js';

export class RdsTargetPools implements TargetPools {
  constructor(private readonly rds: RDSClient) {}

  async resolve(name: string, target: Target): Promise<TargetPool> {
    if (!isRdsType(target.resourceType)) {
      throw new Error(`target "${name}" (${target.resourceType}) is not an RDS target; ResolveTargets resolves it`);
    }
    refuseParameters(name, target, []);
    const eligible =
      target.resourceType === 'aws:rds:cluster' ? await this.#clusters(target) : await this.#instances(target);
    return {
      target: name,
      resourceType: target.resourceType,
      eligible: [...new Set(eligible)].sort(),
      selectionMode: target.selectionMode,
    };
  }

  async #clusters(target: Target): Promise<string[]> {
    const out: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.rds.send(
        new DescribeDBClustersCommand({
          // db-cluster-id accepts identifiers and ARNs.
          ...(target.resourceArns?.length ? { Filters: [{ Name: 'db-cluster-id', Values: target.resourceArns }] } : {}),
          Marker: marker,
        }),
      );
      for (const cluster of page.DBClusters ?? []) {
        if (!cluster.DBClusterArn || !hasTags(tagRecord(cluster.TagList), target.resourceTags)) continue;
        if (matchesFilters(cluster, target.filters)) out.push(cluster.DBClusterArn);
      }
      marker = page.Marker;
    } while (marker);
    return out;
  }

  async #instances(target: Target): Promise<string[]> {
    const out: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.rds.send(
        new DescribeDBInstancesCommand({
          // db-instance-id accepts identifiers and ARNs.
          ...(target.resourceArns?.length
            ? { Filters: [{ Name: 'db-instance-id', Values: target.resourceArns }] }
            : {}),
          Marker: marker,
        }),
      );
      for (const db of page.DBInstances ?? []) {
        if (!db.DBInstanceArn || !hasTags(tagRecord(db.TagList), target.resourceTags)) continue;
        if (matchesFilters(db, target.filters)) out.push(db.DBInstanceArn);
      }
      marker = page.Marker;
    } while (marker);
    return out;
  }
}
