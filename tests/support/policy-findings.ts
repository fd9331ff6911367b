// The parliament and checkov findings the repo accepts, each with its reason: shared by every
// test that runs the real tools on what the stacks and components render.

/**
 * parliament findings we accept, each for a stated reason. Matched on issue + detail text.
 * RESOURCE_STAR (LOW) is accepted wholesale: every such statement is commented in its plan
 * function (EC2 Describe/ENI actions and autoscaling have no resource-level permissions, and the
 * AWS Load Balancer Controller policy is upstream's, vendored verbatim).
 */
export const PARLIAMENT_ACCEPTED: Array<{ issue: string; detail: RegExp; reason: string }> = [
    { issue: "UNKNOWN_ACTION", detail: /elasticloadbalancing:ModifyIpPools/, reason: "a 2025 ELB action in upstream's LB controller policy, newer than parliament's action data" },
    { issue: "UNKNOWN_CONDITION_FOR_ACTION", detail: /elasticloadbalancing:CreateAction for action elasticloadbalancing:AddTags/, reason: "upstream LB controller policy; the condition key is documented for AddTags on create" },
    { issue: "UNKNOWN_CONDITION_FOR_ACTION", detail: /kms:ResourceAliases for action kms:/, reason: "kms:ResourceAliases (2021) is newer than parliament's condition data; it is how the provisioner's KMS use is scoped to its aliases" },
];

/** checkov Kubernetes checks we do not meet, each for a stated reason. Everything else must pass. */
export const CHECKOV_ACCEPTED: Record<string, string> = {
    CKV2_K8S_6: "no NetworkPolicies yet: the VPC CNI enforces them only with its network-policy agent, which the cluster layer does not turn on",
    CKV_K8S_15: "imagePullPolicy IfNotPresent: every image is pinned to an immutable release tag",
    CKV_K8S_35: "the provisioner's `cloud` CLI takes its database DSN as $(DATABASE) on its command line",
    CKV_K8S_38: "IRSA needs the projected service account token in the pods that call AWS",
    CKV_K8S_40: "the official Thanos image runs as uid 1001 and Prometheus as 65534, not >= 10000 for all",
    CKV_K8S_43: "images are pinned by release tag, not digest (versions.ts)",
};
