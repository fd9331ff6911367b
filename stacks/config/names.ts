// Physical names that share one namespace across the stack's components: S3 buckets (global) and
// KMS aliases (per account and region). Each component checks its own names; only the stack sees
// two components picking the same one (`monitoring.bucketName: cloud-dev-kops-state`), which
// would make the second create fail half-way through a deployment, or, for a bucket that already
// exists in the account, put two components' data in one bucket.
import { clusterName } from "../args";
import { secretsKeyAlias } from "../../components/cluster/plan";
import { Problem } from "../../components/common/errors";
import { physicalName } from "../../components/common/naming";
import { defaultDomainName } from "../../components/logging/schema";
import { physicalNames as provisionerNames } from "../../components/provisioner/plan";
import { defaultStateBucketName } from "../../components/provisioner/schema";
import { defaultBucketName } from "../../components/thanos-federation/schema";
import type { StackConfig } from "./index";
import { NAMESPACE } from "./validate";

/** One physical name of the stack and the config key that decides it. */
export interface StackName {
    kind: "S3 bucket" | "KMS alias";
    name: string;
    /** The config key that sets it (or, for a derived name, the key it is derived from). */
    key: string;
    /** Whether the stack file sets this name itself (rather than the default deriving it). */
    explicit: boolean;
    /** What it is for, for the message. */
    what: string;
    /** The value of `key` in the stack file. */
    value: string;
}

type NamesConfig = Pick<StackConfig, "prefix" | "environment" | "monitoring" | "logging" | "provisioner">;

/** Every bucket and key alias the stack creates, with the key that decides each. */
export function stackNames(cfg: NamesConfig): StackName[] {
    const derived = { key: `${NAMESPACE}:prefix`, explicit: false, value: cfg.prefix };
    /** The name a section's key sets, or the default derived from the prefix. */
    const chosen = (section: string, field: string, set: string | undefined, fallback: string) =>
        set !== undefined ? { name: set, key: `${NAMESPACE}:${section}.${field}`, explicit: true, value: set } : { ...derived, name: fallback };
    const metrics = chosen("monitoring", "bucketName", cfg.monitoring.bucketName, defaultBucketName(cfg.prefix, cfg.environment));
    const kops = chosen("provisioner", "stateBucketName", cfg.provisioner.stateBucketName, defaultStateBucketName(cfg.prefix, cfg.environment));
    const domain = chosen("logging", "domainName", cfg.logging.domainName, defaultDomainName(cfg.prefix, cfg.environment));
    const provisioner = provisionerNames(cfg);
    return [
        { ...metrics, kind: "S3 bucket", what: "the metrics bucket" },
        { ...kops, kind: "S3 bucket", what: "the kops state bucket" },
        { ...metrics, kind: "KMS alias", name: `alias/${metrics.name}`, what: "the metrics bucket's key" },
        { ...domain, kind: "KMS alias", name: `alias/${domain.name}-opensearch`, what: "the OpenSearch domain's key" },
        { ...derived, kind: "KMS alias", name: secretsKeyAlias(clusterName(cfg)), what: "the EKS secrets key" },
        { ...derived, kind: "KMS alias", name: `alias/${physicalName(cfg.prefix, cfg.environment, "alarms", 256)}`, what: "the alarm topic's key" },
        { ...derived, kind: "KMS alias", name: provisioner.dbKeyAlias, what: "the provisioner database's key" },
        { ...derived, kind: "KMS alias", name: provisioner.stateKeyAlias, what: "the kops state bucket's key" },
    ];
}

/**
 * Two names of one kind that are equal: reported at the key the stack file set (the later one
 * when it set both), naming the other.
 */
export function nameCollisionProblems(cfg: NamesConfig): Problem[] {
    const names = stackNames(cfg);
    const problems: Problem[] = [];
    const reported = new Set<string>();
    names.forEach((b, j) => {
        const a = names.slice(0, j).find((n) => n.kind === b.kind && n.name === b.name);
        if (!a) return;
        // Report at a key the stack file set: the later one, else the earlier one.
        const [at, other] = b.explicit || !a.explicit ? [b, a] : [a, b];
        const id = `${at.key}\u0000${at.name}`;
        if (reported.has(id)) return;
        reported.add(id);
        problems.push({ field: at.key, expected: `a name no other resource of the stack takes (${at.what} and ${other.what} would both be the ${at.kind} ${at.name})`, found: at.value });
    });
    return problems;
}
