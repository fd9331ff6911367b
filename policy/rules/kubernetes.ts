// Kubernetes objects the components create directly (not inside Helm charts): locked-down
// containers with requests and limits and pinned images, no host paths, no stray cluster-admin.
import { Rule, list, resourceRule } from "./util";

const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob", "kubernetes:core/v1:Pod"];

/** The pod spec of a workload object's inputs. */
function podSpec(p: Record<string, any>, type: string): Record<string, any> | undefined {
    if (type.endsWith(":Pod")) return p.spec;
    if (type.endsWith(":CronJob")) return p.spec?.jobTemplate?.spec?.template?.spec;
    return p.spec?.template?.spec;
}

const containersOf = (pod: Record<string, any>) => [...list(pod.initContainers), ...list(pod.containers)] as Array<Record<string, any>>;

export const KUBERNETES_RULES: Rule[] = [
    resourceRule("k8s-no-privileged-or-root", "No container runs privileged, escalates privileges or runs as root (runAsNonRoot on the pod or the container, no runAsUser 0).", WORKLOADS, (p, _c, type) => {
        const pod = podSpec(p, type);
        if (!pod) return [];
        return containersOf(pod).flatMap((c) => {
            const sc = c.securityContext ?? {};
            const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
            const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
            return [
                ...(sc.privileged === true ? [`${c.name}: privileged`] : []),
                ...(sc.allowPrivilegeEscalation !== false ? [`${c.name}: allowPrivilegeEscalation is not false`] : []),
                ...(nonRoot !== true || user === 0 ? [`${c.name}: may run as root`] : []),
            ];
        });
    }),
    resourceRule("k8s-requests-and-limits", "Every container sets CPU and memory requests and a memory limit.", WORKLOADS, (p, _c, type) => {
        const pod = podSpec(p, type);
        if (!pod) return [];
        return containersOf(pod).flatMap((c) => {
            const r = c.resources ?? {};
            return [...(r.requests?.cpu && r.requests?.memory ? [] : [`${c.name}: no cpu and memory requests`]), ...(r.limits?.memory ? [] : [`${c.name}: no memory limit`])];
        });
    }),
    resourceRule("k8s-pinned-images", "Every image has an explicit tag or digest, never latest.", WORKLOADS, (p, _c, type) => {
        const pod = podSpec(p, type);
        if (!pod) return [];
        return containersOf(pod).flatMap((c) => {
            const image = String(c.image ?? "");
            const ref = image.includes("@") ? "digest" : image.split("/").pop()!.split(":")[1];
            return ref && ref !== "latest" ? [] : [`${c.name}: image ${image || "(none)"} is untagged or latest`];
        });
    }),
    resourceRule("k8s-no-host-path", "No pod mounts a hostPath, except the Fluent Bit DaemonSet's documented state directory (policy config fluentBitStatePath).", WORKLOADS, (p, cfg, type) => {
        const pod = podSpec(p, type);
        if (!pod) return [];
        return list(pod.volumes)
            .filter((v) => v?.hostPath && !(type.endsWith(":DaemonSet") && v.hostPath.path === cfg.fluentBitStatePath))
            .map((v) => `volume ${v.name} mounts hostPath ${v.hostPath.path}`);
    }),
    resourceRule(
        "k8s-no-stray-cluster-admin",
        "No binding to cluster-admin except for the subjects configured as admins (policy config allowedClusterAdminSubjects: Kind:namespace/name or Group:name).",
        ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"],
        (p, cfg) => {
            if (p.roleRef?.name !== "cluster-admin") return [];
            return list(p.subjects)
                .map((s) => (s.namespace ? `${s.kind}:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`))
                .filter((id) => !cfg.allowedClusterAdminSubjects.includes(id))
                .map((id) => `${id} is bound to cluster-admin`);
        },
    ),
];
