// The three sets the drift alerts and the Fleet dashboard compare, as PromQL, each with a
// `clusterID` label so they join `on (clusterID)`:
//   registered  the registrar's leaf Query targets, scraped by the C&C Prometheus (job
//               fleet-leaf-query, label registered_cluster: a `clusterID` target label would be
//               overwritten by the C&C's external label when read back through Thanos);
//   reporting   clusters whose own series reach Thanos Query (their external label `clusterID`),
//               the C&C itself and series without the label left out;
//   provisioned the provisioner's stable clusters (json_exporter over its API).
// One definition, used by rules.ts and dashboards/fleet.ts.
import { PROVISIONER_LABELS, PROVISIONER_METRICS, SCRAPE_JOBS, LEAF_QUERY_CLUSTER_LABEL } from "./scrape";

/** A PromQL string literal. */
export function promString(value: string): string {
    return JSON.stringify(value);
}

/** `up` of every registered cluster's leaf Query target. */
export const LEAF_UP = `up{job=${promString(SCRAPE_JOBS.leafQuery)}}`;

/** `inner` with its `label` copied to `clusterID` (the join label). */
export function asClusterId(inner: string, label: string): string {
    return `label_replace(${inner}, "clusterID", "$1", ${promString(label)}, "(.+)")`;
}

/** One series per registered cluster (max over its targets): 1 when its leaf Query answers, 0 when not. */
export const REGISTERED_UP = `max by (${LEAF_QUERY_CLUSTER_LABEL}) (${LEAF_UP})`;

export interface FleetSets {
    registered: string;
    reporting: string;
    provisionedStable: string;
}

/** The three sets; `cncClusterId` is the C&C's own clusterID, never a workload cluster. */
export function fleetSets(cncClusterId: string): FleetSets {
    return {
        registered: asClusterId(REGISTERED_UP, LEAF_QUERY_CLUSTER_LABEL),
        reporting: `count by (clusterID) (up{clusterID!="", clusterID!=${promString(cncClusterId)}})`,
        provisionedStable: asClusterId(
            `max by (${PROVISIONER_LABELS.provisionedCluster}) (${PROVISIONER_METRICS.clusterInfo}{${PROVISIONER_LABELS.state}="stable"})`,
            PROVISIONER_LABELS.provisionedCluster,
        ),
    };
}
