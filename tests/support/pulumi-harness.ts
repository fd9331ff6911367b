// The one Pulumi mock harness every unit test uses.
//
// It records every registered resource with its inputs and the resource options the mock
// monitor would otherwise drop (parent, provider, protect, retainOnDelete, dependsOn), answers
// the common invokes (caller identity and its session's role, region, partition, availability
// zones, EKS clusters and add-on versions) with the shapes the AWS provider returns, sets config
// per test, and awaits outputs.
import * as pulumi from "@pulumi/pulumi";

// Internal, but the only way to wait until every outstanding registration has reached the mock
// monitor. It is what `pulumi.runtime.disconnect()` awaits.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export const ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "eu-west-1";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** The inputs as the mock monitor received them (secrets unwrapped). */
    inputs: Record<string, any>;
    /** The state the mock answered with. */
    state: Record<string, any>;
    custom: boolean;
    parent: string;
    provider: string;
    protect: boolean;
    retainOnDelete: boolean;
    dependencies: string[];
    /** Input property names whose values were marked secret when registered. */
    secretInputs: string[];
    /** Property paths the resource ignores changes to (resource option ignoreChanges). */
    ignoreChanges: string[];
    /** Package name -> provider reference, as sent for component and remote component resources. */
    providers: Record<string, string>;
}

export interface RecordedInvoke {
    token: string;
    args: Record<string, any>;
}

export interface HarnessOptions {
    /** Config values keyed `namespace:key`; objects and arrays are JSON-encoded as Pulumi does. */
    config?: Record<string, unknown>;
    /** Keys (`namespace:key`) to mark secret. */
    secretKeys?: string[];
    project?: string;
    stack?: string;
    region?: string;
    availabilityZones?: string[];
    /** Extra state per resource type, merged over the harness defaults. */
    state?: (args: pulumi.runtime.MockResourceArgs) => Record<string, any> | undefined;
    /** Answer for invokes the harness does not know; return undefined to fall back. */
    call?: (args: pulumi.runtime.MockCallArgs) => Record<string, any> | undefined;
}

export class Recorder {
    readonly resources: RecordedResource[] = [];
    readonly invokes: RecordedInvoke[] = [];
    private readonly errorsAtStart: boolean;

    constructor() {
        this.errorsAtStart = pulumi.log.hasErrors();
    }

    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** Exactly one resource of the type (optionally with this logical name); throws otherwise. */
    one(type: string, name?: string): RecordedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${names.join(", ") || "none"})`);
        }
        return found[0];
    }

    named(name: string): RecordedResource {
        const found = this.resources.filter((r) => r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one resource named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    /** Resource count per type token, for "expected resources per type" assertions. */
    countByType(): Record<string, number> {
        const counts: Record<string, number> = {};
        for (const r of this.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
        return counts;
    }

    /** True if an error was logged through pulumi.log since this recorder was created. */
    errorsLogged(): boolean {
        return !this.errorsAtStart && pulumi.log.hasErrors();
    }
}

function arnFor(type: string, name: string, region: string): string {
    const [pkg, mod] = type.split(":");
    const service = (mod ?? "").split("/")[0] || pkg;
    const global = ["iam", "route53", "cloudfront"].includes(service);
    return `arn:aws:${service}:${global ? "" : region}:${global ? ACCOUNT_ID : ACCOUNT_ID}:${name}`;
}

/** Realistic computed outputs for the resource types our components read back. */
function defaultState(args: pulumi.runtime.MockResourceArgs, region: string, azs: string[]): Record<string, any> {
    const { type, name, inputs } = args;
    const physical = inputs.name ?? `${name}-${hash(name)}`;
    const base: Record<string, any> = { ...inputs };
    if (type.startsWith("aws:")) {
        base.arn = inputs.arn ?? arnFor(type, physical, region);
        base.name = physical;
        base.tagsAll = inputs.tags ?? {};
    }
    switch (type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            base.bucket = inputs.bucket ?? `${name}-${hash(name)}`;
            base.arn = `arn:aws:s3:::${base.bucket}`;
            base.bucketRegionalDomainName = `${base.bucket}.s3.${region}.amazonaws.com`;
            break;
        case "aws:kms/key:Key":
            base.keyId = `${hash(name)}-0000-4000-8000-${hash(name + "k")}0000`;
            base.arn = `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${base.keyId}`;
            break;
        case "aws:iam/role:Role":
            base.arn = `arn:aws:iam::${ACCOUNT_ID}:role/${physical}`;
            base.uniqueId = `AROA${hash(name).toUpperCase()}`;
            break;
        case "aws:route53/zone:Zone":
            base.zoneId = `Z${hash(name).toUpperCase()}ABCDEFG`;
            base.nameServers = ["ns-1.awsdns-00.org"];
            break;
        case "aws:sqs/queue:Queue":
            base.url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}`;
            base.arn = `arn:aws:sqs:${region}:${ACCOUNT_ID}:${physical}`;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            base.arn = `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${physical}`;
            break;
        case "aws:opensearch/domain:Domain":
            base.domainName = inputs.domainName ?? physical;
            base.arn = `arn:aws:es:${region}:${ACCOUNT_ID}:domain/${base.domainName}`;
            base.domainId = `${ACCOUNT_ID}/${base.domainName}`;
            base.endpoint = opensearchEndpointFor(base.domainName, region);
            break;
        case "aws:rds/instance:Instance":
            base.address = `${inputs.identifier ?? name}.c0abcdefgh12.${region}.rds.amazonaws.com`;
            base.port = inputs.port ?? 5432;
            base.endpoint = `${base.address}:${base.port}`;
            base.arn = `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${inputs.identifier ?? name}`;
            break;
        case "random:index/randomPassword:RandomPassword":
            base.result = `mock-password-${hash(name)}`;
            break;
        case "aws:route53/resolverEndpoint:ResolverEndpoint": {
            const ips = (inputs.ipAddresses ?? []) as Array<{ subnetId: string }>;
            base.ipAddresses = ips.map((a, n) => ({ ...a, ip: resolverIp(name, n), ipId: `rni-${n}` }));
            base.hostVpcId = "vpc-host";
            break;
        }
        case "awsx:ec2:Vpc": {
            const count = inputs.numberOfAvailabilityZones ?? inputs.availabilityZoneNames?.length ?? 3;
            const zones = (inputs.availabilityZoneNames as string[] | undefined) ?? azs.slice(0, count);
            base.vpcId = `vpc-${hash(name)}`;
            base.privateSubnetIds = zones.map((_, i) => `subnet-private${i}-${hash(name)}`);
            base.publicSubnetIds = zones.map((_, i) => `subnet-public${i}-${hash(name)}`);
            base.isolatedSubnetIds = [];
            base.natGateways = [];
            break;
        }
        case "kubernetes:networking.k8s.io/v1:Ingress": {
            // What the AWS Load Balancer Controller writes once the group's ALB exists: one ALB per IngressGroup.
            const annotations = inputs.metadata?.annotations ?? {};
            const group = String(annotations["alb.ingress.kubernetes.io/group.name"] ?? name).replace(/[^a-z0-9]/g, "");
            const internal = annotations["alb.ingress.kubernetes.io/scheme"] !== "internet-facing";
            base.status = { loadBalancer: { ingress: [{ hostname: `${internal ? "internal-" : ""}k8s-${group}-${hash(group)}.${region}.elb.amazonaws.com` }] } };
            break;
        }
        case "kubernetes:core/v1:Service":
            // What the AWS Load Balancer Controller writes for a LoadBalancer Service: its NLB's name.
            if (inputs.spec?.type === "LoadBalancer") {
                base.status = { loadBalancer: { ingress: [{ hostname: `k8s-${String(inputs.metadata?.name ?? name).replace(/[^a-z0-9]/g, "")}-${hash(name)}.elb.${region}.amazonaws.com` }] } };
            }
            break;
        case "aws:acm/certificate:Certificate": {
            base.arn = `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/${hash(name)}-0000-4000-8000-${hash(name + "c")}0000`;
            const rr = { resourceRecordName: `_${hash(name)}.${inputs.subjectAlternativeNames?.[0] ?? inputs.domainName}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${hash(name + "v")}.acm-validations.aws.` };
            base.domainValidationOptions = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map((domainName: string) => ({ domainName, ...rr }));
            break;
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            base.certificateArn = inputs.certificateArn;
            break;
        case "aws:route53/record:Record":
            base.fqdn = String(inputs.name ?? name).replace(/\.$/, "");
            break;
        case "eks:index:Cluster": {
            const clusterName = inputs.name ?? `${name}-eksCluster-${hash(name)}`;
            const oidcId = hash(name).toUpperCase().padEnd(32, "0");
            base.eksCluster = undefined;
            base.kubeconfig = {
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: clusterName, cluster: { server: `https://${oidcId}.gr7.${region}.eks.amazonaws.com` } }],
            };
            base.kubeconfigJson = JSON.stringify(base.kubeconfig);
            base.oidcIssuer = `oidc.eks.${region}.amazonaws.com/id/${oidcId}`;
            base.oidcProviderUrl = base.oidcIssuer;
            base.oidcProviderArn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${base.oidcIssuer}`;
            base.clusterSecurityGroupId = `sg-cluster-${hash(name)}`;
            base.nodeSecurityGroupId = `sg-node-${hash(name)}`;
            base.core = { cluster: { name: clusterName, endpoint: `https://${oidcId}.gr7.${region}.eks.amazonaws.com` } };
            break;
        }
    }
    return base;
}

/**
 * The version the mock answers aws.eks.getAddonVersion with: `v<minor>.0-eksbuild.1` for
 * kube-proxy (it follows the control plane), `v1.0.<minor>-eksbuild.1` for the others; build 9
 * instead of 1 when asked for the most recent rather than the default.
 */
export function mockAddonVersion(addonName: string, kubernetesVersion: string, mostRecent = false): string {
    const build = mostRecent ? 9 : 1;
    if (addonName === "kube-proxy") return `v${kubernetesVersion}.0-eksbuild.${build}`;
    return `v1.0.${kubernetesVersion.split(".")[1]}-eksbuild.${build}`;
}

/** The VPC endpoint the mock gives an OpenSearch domain. */
export function opensearchEndpointFor(domainName: string, region: string = DEFAULT_REGION): string {
    return `vpc-${domainName}-${hash(domainName)}.${region}.es.amazonaws.com`;
}

/** The route table ID the mock answers for a subnet (awsx gives each subnet its own table). */
export function routeTableFor(subnetId: string): string {
    return `rtb-${subnetId}`;
}

/** The IP the mock gives the n-th address of a Resolver endpoint. */
export function resolverIp(endpointName: string, n: number): string {
    return `10.${endpointName.includes("inbound") ? 1 : 2}.0.${10 + n}`;
}

/** A short stable hash so mock IDs are deterministic across runs. */
export function hash(s: string): string {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 16777619);
    }
    return (h >>> 0).toString(16).padStart(8, "0");
}

function encodeConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

let current: Recorder | undefined;

/**
 * Installs fresh mocks and config for one test and returns the recorder that sees every
 * resource registered from now on.
 */
export async function setupPulumi(options: HarnessOptions = {}): Promise<Recorder> {
    const region = options.region ?? DEFAULT_REGION;
    const azs = options.availabilityZones ?? ["a", "b", "c"].map((s) => `${region}${s}`);
    const config = { "aws:region": region, ...(options.config ?? {}) };
    pulumi.runtime.setAllConfig(encodeConfig(config), options.secretKeys ?? []);

    const recorder = new Recorder();
    current = recorder;
    const pendingOptions = new Map<string, Pick<RecordedResource, "parent" | "provider" | "protect" | "retainOnDelete" | "dependencies" | "ignoreChanges" | "providers">>();
    const pendingSecrets = new Map<string, string[]>();

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const extra = options.state?.(args) ?? {};
                const state = { ...defaultState(args, region, azs), ...extra };
                const id = args.id || (args.custom === false ? "" : `${args.name}-id`);
                const key = `${args.type}::${args.name}`;
                const opts = pendingOptions.get(key);
                pendingOptions.delete(key);
                const secretInputs = pendingSecrets.get(key) ?? [];
                pendingSecrets.delete(key);
                recorder.resources.push({
                    type: args.type,
                    name: args.name,
                    urn: "",
                    // Provider inputs reach the mock monitor with secrets still wrapped; unwrap them
                    // so every recorded resource reads the same way (secretInputs keeps the marks).
                    inputs: unwrapSecrets(args.inputs),
                    state,
                    custom: args.custom !== false,
                    parent: opts?.parent ?? "",
                    provider: args.provider ?? opts?.provider ?? "",
                    protect: opts?.protect ?? false,
                    retainOnDelete: opts?.retainOnDelete ?? false,
                    dependencies: opts?.dependencies ?? [],
                    secretInputs,
                    ignoreChanges: opts?.ignoreChanges ?? [],
                    providers: opts?.providers ?? {},
                });
                return { id, state };
            },
            call(args) {
                recorder.invokes.push({ token: args.token, args: args.inputs });
                const custom = options.call?.(args);
                if (custom !== undefined) return custom;
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return {
                            accountId: ACCOUNT_ID,
                            arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/session`,
                            userId: "AROAEXAMPLE:session",
                            id: ACCOUNT_ID,
                        };
                    case "aws:index/getRegion:getRegion":
                        return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
                    case "aws:index/getPartition:getPartition":
                        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
                    case "aws:index/getAvailabilityZones:getAvailabilityZones":
                        return {
                            names: azs,
                            zoneIds: azs.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                            groupNames: azs.map(() => region),
                            id: region,
                        };
                    case "aws:ec2/getRouteTable:getRouteTable": {
                        // awsx gives each subnet its own route table: rtb-<subnet id>.
                        const subnetId = args.inputs.subnetId as string;
                        const id = routeTableFor(subnetId);
                        return {
                            id,
                            routeTableId: id,
                            arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:route-table/${id}`,
                            subnetId,
                            vpcId: args.inputs.vpcId,
                            ownerId: ACCOUNT_ID,
                            associations: [{ subnetId, routeTableId: id, main: false }],
                            routes: [],
                            tags: {},
                            gatewayId: "",
                            region,
                        };
                    }
                    case "aws:iam/getSessionContext:getSessionContext": {
                        // An assumed role's session gives the role (the real data source also finds its path); anything else passes through.
                        const arn = String(args.inputs.arn);
                        const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
                        return m
                            ? { arn, issuerArn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`, issuerName: m[3], sessionName: m[4], issuerId: `AROA${hash(m[3]).toUpperCase()}`, id: arn }
                            : { arn, issuerArn: arn, issuerName: "", sessionName: "", issuerId: "", id: arn };
                    }
                    case "aws:eks/getClusters:getClusters":
                        // No cluster exists yet: every deployment under mocks is a first one.
                        return { names: [], id: region, region };
                    case "aws:eks/getAddonVersion:getAddonVersion":
                        return {
                            ...args.inputs,
                            version: mockAddonVersion(args.inputs.addonName, args.inputs.kubernetesVersion, args.inputs.mostRecent === true),
                            id: `${args.inputs.addonName}-${args.inputs.kubernetesVersion}`,
                            region,
                        };
                    case "aws:lb/getHostedZoneId:getHostedZoneId":
                        // The canonical hosted zones of eu-west-1 (Elastic Load Balancing endpoints and quotas): ALB, NLB.
                        return { id: args.inputs.loadBalancerType === "network" ? "Z2IFOLAFXWLO4F" : "Z32O12XQLNTSW2", loadBalancerType: args.inputs.loadBalancerType };
                    case "aws:iam/getPolicyDocument:getPolicyDocument":
                        return { json: JSON.stringify({ Version: "2012-10-17", Statement: args.inputs.statements ?? [] }), id: "doc" };
                    default:
                        return { ...args.inputs };
                }
            },
        },
        options.project ?? "cloud-cnc",
        options.stack ?? "test",
        false,
    );

    // The mock monitor receives the full RegisterResourceRequest but passes only type, name,
    // inputs, provider, custom and id to newResource. Wrap it to keep the options we assert on.
    const monitor = pulumi.runtime.getMonitor() as any;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const key = `${req.getType()}::${req.getName()}`;
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((ref: string, pkg: string) => (providers[pkg] = ref));
        pendingOptions.set(key, {
            parent: req.getParent(),
            provider: req.getProvider(),
            protect: req.getProtect() ?? false,
            retainOnDelete: req.getRetainondelete() ?? false,
            dependencies: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(),
            providers,
        });
        pendingSecrets.set(key, secretPaths(req.getObject()?.toJavaScript() ?? {}));
        original(req, (err: any, resp: any) => {
            if (!err && resp) {
                const rec = [...recorder.resources].reverse().find((r) => r.type === req.getType() && r.name === req.getName());
                if (rec) rec.urn = resp.getUrn();
            }
            callback(err, resp);
        });
    };
    return recorder;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

function unwrapSecrets(v: any): any {
    if (v === null || typeof v !== "object") return v;
    if (v[SIG_KEY] === SECRET_SIG) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
}

/** Top-level input names whose serialized value is (or contains) a secret. */
function secretPaths(obj: Record<string, any>): string[] {
    const contains = (v: any): boolean => {
        if (v === null || typeof v !== "object") return false;
        if (v[SIG_KEY] === SECRET_SIG) return true;
        return Object.values(v).some(contains);
    };
    return Object.entries(obj)
        .filter(([, v]) => contains(v))
        .map(([k]) => k);
}

/** Waits until every resource registered so far has reached the mock monitor. */
export async function settle(): Promise<Recorder> {
    // Registrations chain on outputs; loop until the RPC queue is quiet.
    await settings.waitForRPCs();
    await new Promise((r) => setImmediate(r));
    await settings.waitForRPCs();
    if (!current) throw new Error("setupPulumi() was not called");
    return current;
}

/** The resolved value of an Output (or plain value). */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise<T>((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** Whether the Output is marked secret. */
export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
    return pulumi.isSecret(o);
}

/** Runs a Pulumi program function the way the engine does (inside a root Stack) and returns its outputs. */
export async function runProgram(program: () => Promise<Record<string, any>> | Record<string, any>): Promise<Record<string, any>> {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => program());
    await settle();
    const resolved: Record<string, any> = {};
    for (const [k, v] of Object.entries(outputs ?? {})) {
        resolved[k] = await valueOf(v);
    }
    return resolved;
}
