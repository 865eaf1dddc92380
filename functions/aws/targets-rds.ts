// Target pools of RDS clusters, DB instances and ElastiCache replication groups for the blast-radius guardrail,
// apart from targets.ts because the query-protocol clients are the heaviest (RDS ~120 KB minified, ElastiCache
// shares its XML stack): only ResolveRdsTargets and the CLI load them.
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import {
  type DBCluster,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import type { Target } from '../../core/experiment/schema.js';
import type { TargetPool, TargetPools } from '../../core/ports.js';
import {
  ec2ZoneNames,
  hasTags,
  isRdsType,
  matchesFilters,
  readPool,
  TargetsUnresolvableError,
  tagRecord,
  type ZoneNames,
  zoneList,
} from './targets.js';

export interface RdsTargetClients {
  elasticache: ElastiCacheClient;
  /** AZ names of AZ identifiers: RDS and ElastiCache describe placement by AZ name, FIS takes names or AZ ids */
  zones: ZoneNames;
}

// DescribeDBInstances takes at most 100 values per filter.
const RDS_FILTER_LIMIT = 100;

export class RdsTargetPools implements TargetPools {
  readonly #given: Partial<RdsTargetClients>;
  #made: Promise<RdsTargetClients> | undefined;

  /** The ElastiCache client and AZ lookup are made in the RDS client's Region when not given. */
  constructor(
    private readonly rds: RDSClient,
    clients: Partial<RdsTargetClients> = {},
  ) {
    this.#given = clients;
  }

  get #clients(): Promise<RdsTargetClients> {
    this.#made ??= this.rds.config.region().then((region) => ({
      elasticache: this.#given.elasticache ?? new ElastiCacheClient({ region }),
      zones: this.#given.zones ?? ec2ZoneNames(new EC2Client({ region })),
    }));
    return this.#made;
  }

  async resolve(name: string, target: Target): Promise<TargetPool> {
    if (!isRdsType(target.resourceType)) {
      throw new Error(`target "${name}" (${target.resourceType}) is not an RDS target; ResolveTargets resolves it`);
    }
    return readPool(name, target, (n, t) => this.#eligible(n, t));
  }

  async #eligible(name: string, target: Target): Promise<string[]> {
    switch (target.resourceType) {
      case 'aws:rds:cluster':
        return this.#clusters(target);
      case 'aws:rds:db':
        return this.#instances(target);
      default:
        return this.#replicationGroups(name, target);
    }
  }

  /** Aurora clusters; `writerAvailabilityZoneIdentifiers` keeps those whose writer instance is in one of the AZs. */
  async #clusters(target: Target): Promise<string[]> {
    const zones = zoneList(target.parameters?.writerAvailabilityZoneIdentifiers);
    const wanted = zones ? await (await this.#clients).zones(zones) : undefined;
    const matching: DBCluster[] = [];
    await this.#pages(target, 'cluster', (resource) => matching.push(resource as DBCluster));
    if (!wanted) return matching.map((c) => c.DBClusterArn as string);
    // A cluster's writer is one of its members; its AZ is on the DB instance.
    const writers = new Map<string, string>();
    for (const cluster of matching) {
      const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
      if (writer) writers.set(writer, cluster.DBClusterArn as string);
    }
    const out: string[] = [];
    const ids = [...writers.keys()];
    for (let i = 0; i < ids.length; i += RDS_FILTER_LIMIT) {
      let marker: string | undefined;
      do {
        const page = await this.rds.send(
          new DescribeDBInstancesCommand({
            Filters: [{ Name: 'db-instance-id', Values: ids.slice(i, i + RDS_FILTER_LIMIT) }],
            Marker: marker,
          }),
        );
        for (const db of page.DBInstances ?? []) {
          const cluster = db.DBInstanceIdentifier ? writers.get(db.DBInstanceIdentifier) : undefined;
          if (cluster && db.AvailabilityZone && wanted.has(db.AvailabilityZone)) out.push(cluster);
        }
        marker = page.Marker;
      } while (marker);
    }
    return out;
  }

  /** DB instances; `availabilityZoneIdentifiers` keeps those in one of the AZs. */
  async #instances(target: Target): Promise<string[]> {
    const zones = zoneList(target.parameters?.availabilityZoneIdentifiers);
    const wanted = zones ? await (await this.#clients).zones(zones) : undefined;
    const out: string[] = [];
    await this.#pages(target, 'instance', (resource) => {
      const az = (resource as { AvailabilityZone?: string }).AvailabilityZone;
      if (!wanted || (az !== undefined && wanted.has(az)))
        out.push((resource as { DBInstanceArn: string }).DBInstanceArn);
    });
    return out;
  }

  /** DB clusters or instances (one Describe call per Marker page) carrying the target's tags and filters. */
  async #pages(target: Target, kind: 'cluster' | 'instance', keep: (resource: unknown) => void): Promise<void> {
    // db-cluster-id and db-instance-id accept identifiers and ARNs.
    const ids = target.resourceArns?.length ? target.resourceArns : undefined;
    let marker: string | undefined;
    do {
      const page = await (kind === 'cluster' ? clusters : instances)(this.rds, ids, marker);
      for (const resource of page.resources) {
        if (!resource.arn || !hasTags(tagRecord(resource.tags), target.resourceTags)) continue;
        if (matchesFilters(resource.described, target.filters)) keep(resource.described);
      }
      marker = page.marker;
    } while (marker);
  }

  /**
   * ElastiCache replication groups with a node in `availabilityZoneIdentifier` (required by FIS), carrying the
   * target's tags (ListTagsForResource: DescribeReplicationGroups returns none) and filters.
   */
  async #replicationGroups(name: string, target: Target): Promise<string[]> {
    const az = target.parameters?.availabilityZoneIdentifier;
    if (!az) {
      throw new TargetsUnresolvableError(
        name,
        target.resourceType,
        'parameter availabilityZoneIdentifier is required (the AZ whose nodes lose power)',
      );
    }
    const { elasticache, zones } = await this.#clients;
    const wanted = await zones([az]);
    const ids = target.resourceArns?.length ? target.resourceArns.map((arn) => arn.split(':').at(-1) as string) : [];
    const groups: ReplicationGroup[] = [];
    if (ids.length) {
      for (const ReplicationGroupId of ids) {
        const page = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId }));
        groups.push(...(page.ReplicationGroups ?? []));
      }
    } else {
      let Marker: string | undefined;
      do {
        const page = await elasticache.send(new DescribeReplicationGroupsCommand({ Marker }));
        groups.push(...(page.ReplicationGroups ?? []));
        Marker = page.Marker;
      } while (Marker);
    }
    const out: string[] = [];
    for (const group of groups) {
      if (!group.ARN || !matchesFilters(group, target.filters)) continue;
      const inZone = (group.NodeGroups ?? []).some((ng) =>
        (ng.NodeGroupMembers ?? []).some((m) => m.PreferredAvailabilityZone && wanted.has(m.PreferredAvailabilityZone)),
      );
      if (!inZone) continue;
      if (Object.keys(target.resourceTags ?? {}).length) {
        const tags = await elasticache.send(new ListTagsForResourceCommand({ ResourceName: group.ARN }));
        if (!hasTags(tagRecord(tags.TagList), target.resourceTags)) continue;
      }
      out.push(group.ARN);
    }
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
