// Target pools of RDS clusters and DB instances for the blast-radius guardrail, apart from targets.ts because
// RDS's query-protocol client is the heaviest of them (~120 KB minified): only ResolveRdsTargets and the CLI load it.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient, type Tag } from '@aws-sdk/client-rds';
import type { Target } from '../../core/experiment/schema.js';
import type { TargetPool, TargetPools } from '../../core/ports.js';
import { hasTags, isRdsType, matchesFilters, refuseParameters, tagRecord, targetPool } from './targets.js';

export class RdsTargetPools implements TargetPools {
  constructor(private readonly rds: RDSClient) {}

  async resolve(name: string, target: Target): Promise<TargetPool> {
    if (!isRdsType(target.resourceType)) {
      throw new Error(`target "${name}" (${target.resourceType}) is not an RDS target; ResolveTargets resolves it`);
    }
    refuseParameters(name, target, []);
    const read = target.resourceType === 'aws:rds:cluster' ? clusters : instances;
    return targetPool(name, target, await this.#eligible(target, read));
  }

  /** DB clusters or instances (one Describe call per Marker page) carrying the target's tags and filters. */
  async #eligible(target: Target, read: RdsPageReader): Promise<string[]> {
    // db-cluster-id and db-instance-id accept identifiers and ARNs.
    const filters = target.resourceArns?.length ? target.resourceArns : undefined;
    const out: string[] = [];
    let marker: string | undefined;
    do {
      const page = await read(this.rds, filters, marker);
      for (const resource of page.resources) {
        if (!resource.arn || !hasTags(tagRecord(resource.tags), target.resourceTags)) continue;
        if (matchesFilters(resource.described, target.filters)) out.push(resource.arn);
      }
      marker = page.marker;
    } while (marker);
    return out;
  }
}

interface RdsPage {
  resources: Array<{ arn: string | undefined; tags: Tag[] | undefined; described: unknown }>;
  marker: string | undefined;
}
type RdsPageReader = (rds: RDSClient, ids: string[] | undefined, marker: string | undefined) => Promise<RdsPage>;

const clusters: RdsPageReader = async (rds, ids, Marker) => {
  const page = await rds.send(
    new DescribeDBClustersCommand({ ...(ids ? { Filters: [{ Name: 'db-cluster-id', Values: ids }] } : {}), Marker }),
  );
  return {
    resources: (page.DBClusters ?? []).map((c) => ({ arn: c.DBClusterArn, tags: c.TagList, described: c })),
    marker: page.Marker,
  };
};

const instances: RdsPageReader = async (rds, ids, Marker) => {
  const page = await rds.send(
    new DescribeDBInstancesCommand({ ...(ids ? { Filters: [{ Name: 'db-instance-id', Values: ids }] } : {}), Marker }),
  );
  return {
    resources: (page.DBInstances ?? []).map((d) => ({ arn: d.DBInstanceArn, tags: d.TagList, described: d })),
    marker: page.Marker,
  };
};
