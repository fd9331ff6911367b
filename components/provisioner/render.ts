// The provisioner's Kubernetes objects as typed data: pod specs for the API server and the
// installation supervisors, the Service, the internal ALB Ingress and the PodDisruptionBudgets.
// Pure: the class hands these objects to @pulumi/kubernetes; tests read them directly.
import { albIngressAnnotations } from "../common/ingress";
import { CA_BUNDLE, NAMES } from "./plan";
import type { ProvisionerSettings } from "./schema";

/** The API port (`--listen`) and the metrics port (`--metrics-port` default) of `cloud server`. */
export const API_PORT = 8075;
export const METRICS_PORT = 8076;

/** USER_UID of the mattermost-cloud image (build/Dockerfile). */
export const CLOUD_UID = 10001;
/** The writable home: helm, kubectl and terraform keep their config and caches under it; ~/.ssh holds the kops key. */
export const HOME_DIR = "/home/cloud";
/** Keys of the provisioner Secret, named like the environment variables they become. */
export const SECRET_KEYS = { database: "DATABASE", gitToken: "GITLAB_OAUTH_TOKEN" } as const;
/** Files of the SSH Secret: kops reads ~/.ssh/id_rsa.pub by default (any key type), and cloud server checks ~/.ssh for a file starting with "ssh". */
export const SSH_FILES = { publicKey: "id_rsa.pub", privateKey: "id_rsa" } as const;

/** Readiness: a one-row page of clusters (exercises the router and the database). */
export const READINESS_PATH = "/api/clusters?page=0&per_page=1";
/** The ALB target group health check (ALB health-check paths take no query string). */
export const ALB_HEALTHCHECK_PATH = "/api/clusters";
/** In-flight kops/terraform runs finish before a pod stops (the scheduler drains on SIGTERM). */
export const TERMINATION_GRACE_SECONDS = 900;
/** Size caps of the scratch volumes: terraform providers for a kops run are several hundred MB. */
export const TMP_SIZE = "4Gi";
export const HOME_SIZE = "2Gi";

// ---------------------------------------------------------------------------------------------
// Types (the subset of the Kubernetes API used here)

export interface EnvVar {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface Probe {
    httpGet?: { path: string; port: string };
    tcpSocket?: { port: string };
    initialDelaySeconds?: number;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

export interface ContainerSecurityContext {
    allowPrivilegeEscalation: false;
    privileged: false;
    readOnlyRootFilesystem: true;
    runAsNonRoot: true;
    runAsUser: number;
    runAsGroup: number;
    capabilities: { drop: ["ALL"] };
    seccompProfile: { type: "RuntimeDefault" };
}

export interface Resources {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

export interface VolumeMount {
    name: string;
    mountPath: string;
    readOnly?: boolean;
}

export interface Container {
    name: string;
    image: string;
    imagePullPolicy: "IfNotPresent";
    args: string[];
    env: EnvVar[];
    ports?: { name: string; containerPort: number; protocol: "TCP" }[];
    resources: Resources;
    startupProbe?: Probe;
    readinessProbe?: Probe;
    livenessProbe?: Probe;
    securityContext: ContainerSecurityContext;
    volumeMounts: VolumeMount[];
}

export interface Volume {
    name: string;
    emptyDir?: { sizeLimit: string };
    secret?: { secretName: string; defaultMode: number };
    configMap?: { name: string; defaultMode: number };
}

export interface PodSpec {
    serviceAccountName: string;
    automountServiceAccountToken: false;
    enableServiceLinks: false;
    securityContext: { runAsNonRoot: true; runAsUser: number; runAsGroup: number; fsGroup: number; seccompProfile: { type: "RuntimeDefault" } };
    terminationGracePeriodSeconds: number;
    topologySpreadConstraints?: unknown[];
    initContainers: Container[];
    containers: Container[];
    volumes: Volume[];
}

export interface DeploymentManifest {
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: {
        replicas: number;
        revisionHistoryLimit: number;
        selector: { matchLabels: Record<string, string> };
        strategy: { type: "RollingUpdate"; rollingUpdate: { maxSurge: number; maxUnavailable: number } };
        template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    };
}

// ---------------------------------------------------------------------------------------------
// Labels and arguments

export function selectorLabels(instance: string): Record<string, string> {
    return { "app.kubernetes.io/name": "provisioner", "app.kubernetes.io/instance": instance };
}

export function labels(instance: string, component: string, version: string): Record<string, string> {
    return {
        ...selectorLabels(instance),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "cloud-cnc",
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/version": version,
    };
}

/** The init container's command: bring the schema to the server's version before it starts. */
export function migrateArgs(): string[] {
    return ["schema", "migrate", "--database", `$(${SECRET_KEYS.database})`];
}

/**
 * `cloud server` arguments (cmd/cloud/server_flag.go at the pinned release). Booleans are passed
 * explicitly so `--dev` never flips the keep-data defaults behind the operator's back. `$(DATABASE)`
 * is expanded by the kubelet from the Secret; the pod spec never holds the connection string.
 * `--installation-enable-route53=true`: the server exits unless an installation DNS provider is
 * registered (Route 53 with this flag, or Cloudflare with CLOUDFLARE_API_TOKEN); Route 53 in the
 * `route53ZoneIds` zones is the one the IAM policies allow.
 */
export function serverArgs(s: ProvisionerSettings, extra: string[] = []): string[] {
    return [
        "server",
        `--state-store=${s.stateBucketName}`,
        `--utilities-git-url=${s.utilitiesGitUrl}`,
        `--utilities-git-path=${s.utilitiesGitPath}`,
        `--database=$(${SECRET_KEYS.database})`,
        "--installation-enable-route53=true",
        `--listen=:${API_PORT}`,
        `--metrics-port=${METRICS_PORT}`,
        `--keep-database-data=${s.flags.keepDatabaseData}`,
        `--keep-filestore-data=${s.flags.keepFilestoreData}`,
        `--poll=${s.flags.poll}`,
        `--cluster-resource-threshold=${s.flags.clusterResourceThreshold}`,
        `--dev=${s.flags.dev}`,
        "--machine-readable-logs=true",
        ...extra,
    ];
}

/** The extra flags of the installation-supervisor Deployment (as the original ran it). */
export const SUPERVISOR_EXTRA_ARGS = ["--cluster-supervisor=false"];

// ---------------------------------------------------------------------------------------------
// Pod pieces

export function containerSecurityContext(): ContainerSecurityContext {
    return {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: CLOUD_UID,
        runAsGroup: CLOUD_UID,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function resources(s: ProvisionerSettings): Resources {
    return {
        requests: { cpu: s.resources.cpuRequest, memory: s.resources.memoryRequest },
        limits: { cpu: s.resources.cpuLimit, memory: s.resources.memoryLimit },
    };
}

/** The migration is short-lived and light. */
export function initResources(): Resources {
    return { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
}

const secretEnv = (name: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: NAMES.secret, key } } });

/** Environment shared by every container: a writable HOME and tool homes under it, the region, no phone-home. */
export function baseEnv(region: string): EnvVar[] {
    return [
        { name: "HOME", value: HOME_DIR },
        { name: "TMPDIR", value: "/tmp" },
        { name: "HELM_CACHE_HOME", value: `${HOME_DIR}/.cache/helm` },
        { name: "HELM_CONFIG_HOME", value: `${HOME_DIR}/.config/helm` },
        { name: "HELM_DATA_HOME", value: `${HOME_DIR}/.local/share/helm` },
        { name: "CHECKPOINT_DISABLE", value: "1" },
        { name: "TF_IN_AUTOMATION", value: "1" },
        { name: "AWS_REGION", value: region },
        { name: "AWS_DEFAULT_REGION", value: region },
        { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
    ];
}

export function volumes(): Volume[] {
    return [
        { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE } },
        { name: "home", emptyDir: { sizeLimit: HOME_SIZE } },
        // 0440: readable by the container's group (fsGroup), never world-readable.
        { name: "ssh", secret: { secretName: NAMES.sshSecret, defaultMode: 0o440 } },
        // Public CA certificates: the RDS bundle the database connection verifies the server against.
        { name: "rds-ca", configMap: { name: NAMES.caBundle, defaultMode: 0o444 } },
    ];
}

/** The RDS CA bundle, read-only, in every container that connects to the database. */
export const CA_BUNDLE_MOUNT: VolumeMount = { name: "rds-ca", mountPath: CA_BUNDLE.mountPath, readOnly: true };

export function serverMounts(): VolumeMount[] {
    return [
        { name: "tmp", mountPath: "/tmp" },
        { name: "home", mountPath: HOME_DIR },
        { name: "ssh", mountPath: `${HOME_DIR}/.ssh`, readOnly: true },
        CA_BUNDLE_MOUNT,
    ];
}

export function probes(): Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
    return {
        // Start-up checks terraform/kops/helm versions and builds the AWS client cache.
        startupProbe: { tcpSocket: { port: "api" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: READINESS_PATH, port: "api" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        // Liveness does not depend on the database: a database outage must not restart pods mid kops run.
        livenessProbe: { tcpSocket: { port: "api" }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
    };
}

export function migrateContainer(image: string, region: string): Container {
    return {
        name: "migrate-schema",
        image,
        imagePullPolicy: "IfNotPresent",
        args: migrateArgs(),
        env: [...baseEnv(region), secretEnv(SECRET_KEYS.database, SECRET_KEYS.database)],
        resources: initResources(),
        securityContext: containerSecurityContext(),
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, CA_BUNDLE_MOUNT],
    };
}

export function serverContainer(s: ProvisionerSettings, image: string, region: string, args: string[]): Container {
    return {
        name: "provisioner",
        image,
        imagePullPolicy: "IfNotPresent",
        args,
        env: [...baseEnv(region), secretEnv(SECRET_KEYS.database, SECRET_KEYS.database), secretEnv(SECRET_KEYS.gitToken, SECRET_KEYS.gitToken)],
        ports: [
            { name: "api", containerPort: API_PORT, protocol: "TCP" },
            { name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" },
        ],
        resources: resources(s),
        ...probes(),
        securityContext: containerSecurityContext(),
        volumeMounts: serverMounts(),
    };
}

/** The image reference: repository:tag, never latest (validated before this runs). */
export function imageRef(s: ProvisionerSettings): string {
    return `${s.image}:${s.imageTag}`;
}

/**
 * One of the two Deployments: `provisioner` (API + cluster supervisor) or, with `supervisors`,
 * the installation supervisors. Plain data from the settings alone (the region is an arg), so
 * previews show the exact spec.
 */
export function deployment(s: ProvisionerSettings, supervisors: boolean): DeploymentManifest {
    const name = supervisors ? NAMES.supervisors : NAMES.deployment;
    const component = supervisors ? "installation-supervisors" : "server";
    const replicas = supervisors ? s.supervisors.replicas : s.replicas;
    const image = imageRef(s);
    const podLabels = labels(name, component, s.imageTag);
    const args = serverArgs(s, supervisors ? SUPERVISOR_EXTRA_ARGS : []);
    return {
        metadata: { name, namespace: s.namespace, labels: podLabels },
        spec: {
            replicas,
            revisionHistoryLimit: 5,
            selector: { matchLabels: selectorLabels(name) },
            // A new pod (and its schema migration) comes up before an old one stops.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
                metadata: { labels: podLabels },
                spec: {
                    serviceAccountName: NAMES.serviceAccount,
                    // No Kubernetes API token: `cloud server` never talks to the C&C cluster's own API (it
                    // manages workload clusters through the kubeconfigs kops/EKS give it; InClusterConfig
                    // appears only in upstream's e2e tests), and a kubeconfig-less client fails closed. The
                    // IRSA web identity token is a separate projected volume the EKS pod identity webhook
                    // adds whatever this field says (README).
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: { runAsNonRoot: true, runAsUser: CLOUD_UID, runAsGroup: CLOUD_UID, fsGroup: CLOUD_UID, seccompProfile: { type: "RuntimeDefault" } },
                    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
                    ...(replicas > 1
                        ? {
                              topologySpreadConstraints: [
                                  { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(name) } },
                                  { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(name) } },
                              ],
                          }
                        : {}),
                    initContainers: [migrateContainer(image, s.region)],
                    containers: [serverContainer(s, image, s.region, args)],
                    volumes: volumes(),
                },
            },
        },
    };
}

/** PDB: at most one pod of each Deployment voluntarily evicted at a time (never blocks a drain of a singleton). */
export function podDisruptionBudget(instance: string, namespace: string) {
    return {
        metadata: { name: instance, namespace, labels: selectorLabels(instance) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(instance) } },
    };
}

/** ClusterIP Service in front of the API Deployment only (the supervisors serve no traffic). */
export function service(namespace: string) {
    return {
        metadata: { name: NAMES.service, namespace, labels: selectorLabels(NAMES.deployment) },
        spec: {
            type: "ClusterIP",
            selector: selectorLabels(NAMES.deployment),
            ports: [
                { name: "api", port: API_PORT, targetPort: "api", protocol: "TCP" },
                { name: "metrics", port: METRICS_PORT, targetPort: "metrics", protocol: "TCP" },
            ],
        },
    };
}

/**
 * AWS Load Balancer Controller annotations of the internal ALB (shared IngressGroup), from the
 * project's one builder (common/ingress.ts): with a certificate, HTTPS 443 with the shared TLS
 * policy and HTTP 80 redirected to it; without one, HTTP 80 only.
 */
export function ingressAnnotations(groupName: string, certificateArn?: string): Record<string, string> {
    return albIngressAnnotations({ group: groupName, scheme: "internal", certificateArn, healthcheckPath: ALB_HEALTHCHECK_PATH, successCodes: "200" });
}

/** The host the DNS layer points at the IngressGroup's ALB. */
export function ingressHost(internalDomain: string): string {
    return `provisioner.${internalDomain}`;
}

export function ingress(namespace: string, host: string, groupName: string, certificateArn?: string) {
    return {
        metadata: { name: NAMES.ingress, namespace, labels: selectorLabels(NAMES.deployment), annotations: ingressAnnotations(groupName, certificateArn) },
        spec: {
            ingressClassName: "alb",
            rules: [
                {
                    host,
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: NAMES.service, port: { name: "api" } } } }] },
                },
            ],
        },
    };
}

/** In-cluster URL of the API. */
export function internalUrl(namespace: string): string {
    return `http://${NAMES.service}.${namespace}.svc:${API_PORT}`;
}
