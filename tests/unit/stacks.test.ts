// The dev and prod stacks, built from the committed stack files under mocks: zero errors, the
// expected resources per type, the three layers in order, prod's stateful resources protected.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ConfigError, PRIVATE_ENDPOINT_WARNING, UNPROTECTED_PRODUCTION_WARNING } from "../../stacks/config";
import { alarmTopicKeyPolicy, alarmTopicPolicy } from "../../components/common/alarms";
import { ACCOUNT_ID, Recorder, mockAddonVersion, runProgram, setupPulumi } from "../support/pulumi-harness";
import { TEST_SECRETS, stackTestConfig } from "../support/stack-files";
import * as fc from "fast-check";
import type { PolicyDocument } from "../../components/common/iam";
import {
    STATE_BUCKET_ACTIONS,
    STATE_KEY_ACTIONS,
    STATE_OBJECT_READ_WRITE,
    physicalNames,
    policyArn,
    protectedArnsOf,
    provisionerBoundary,
    provisionerPolicies,
} from "../../components/provisioner/plan";
import { defaultStateBucketName } from "../../components/provisioner/schema";
import { decide, statementCovers } from "../support/provisioner-harness";
import { NamedResource, instantiate, namedResources } from "../support/stack-resources";
import { ALERT_NAMES, REPLACED_DEFAULT_ALERTS } from "../../components/fleet-observability/rules";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const program: () => Promise<Record<string, pulumi.Output<unknown>>> = require("../../stacks");

/** Resource types that hold data: protected and retained in prod. */
const STATEFUL = ["aws:route53/zone:Zone", "aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:rds/instance:Instance", "aws:opensearch/domain:Domain"];

interface Built {
    rec: Recorder;
    outputs: Record<string, any>;
    /** What the program logged with pulumi.log.warn (the preview's warnings). */
    warnings: string[];
}

async function build(stack: "dev" | "prod" | "staging", override: Record<string, string | undefined> = {}, extraSecrets: Record<string, string> = {}): Promise<Built> {
    const { config: base, secretKeys: baseSecretKeys } = stackTestConfig(stack);
    const config = { ...base, ...override, ...extraSecrets };
    const secretKeys = [...baseSecretKeys, ...Object.keys(extraSecrets)];
    for (const [k, v] of Object.entries(config)) if (v === undefined) delete config[k];
    // The stack's name is its environment's (an override of the environment renames the stack too).
    const rec = await setupPulumi({ config, secretKeys, stack: config["cloud-cnc:environment"] ?? stack, region: config["aws:region"] });
    const log = pulumi.log as { warn: typeof pulumi.log.warn };
    const original = log.warn;
    const warnings: string[] = [];
    log.warn = async (message: string) => void warnings.push(message);
    try {
        const outputs = await runProgram(program);
        return { rec, outputs, warnings };
    } finally {
        log.warn = original;
    }
}

function release(rec: Recorder, chart: string) {
    return rec.one("kubernetes:helm.sh/v3:Release", rec.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)?.name);
}

describe("stacks: dev, staging and prod under mocks", function () {
    this.timeout(180_000);
    const built: Partial<Record<"dev" | "prod" | "staging", Built>> = {};

    before(async () => {
        built.dev = await build("dev");
        built.prod = await build("prod");
        built.staging = await build("staging");
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: builds with zero errors and exports the outputs`, () => {
            const { rec, outputs } = built[stack]!;
            assert.equal(rec.errorsLogged(), false);
            for (const key of ["clusterName", "kubeconfig", "clusterEndpoint", "grafanaUrl", "thanosQueryUrl", "alertmanagerUrl", "grafanaAdminPassword", "metricsBucket", "registrarFunctionName", "registrarDlqUrl", "openSearchDashboardsUrl", "openSearchEndpoint", "provisionerUrl", "provisionerHost", "provisionerDatabaseEndpoint", "kopsStateBucket", "vpcId", "privateSubnetIds", "monitoringZoneName", "internalZoneName"]) {
                assert.ok(outputs[key] !== undefined && outputs[key] !== "", `output ${key} is missing`);
            }
            assert.equal(outputs.monitoringZoneName, stack === "dev" ? "monitoring.dev.cnc.internal" : "monitoring.cnc.internal");
            assert.equal(outputs.clusterName, `cloud-${stack}-cnc`);
            assert.equal(outputs.metricsBucket, `cloud-${stack}-prometheus-metrics`);
            // With the ingress section every UI output is the https URL operators sign in at.
            const domain = stack === "dev" ? "apps.dev.cnc.internal" : "apps.cnc.example.com";
            assert.equal(outputs.appsDomain, domain);
            for (const [key, app] of Object.entries({ grafanaUrl: "grafana", thanosQueryUrl: "thanos", alertmanagerUrl: "alertmanager", provisionerUrl: "provisioner" })) {
                assert.equal(outputs[key], `https://${app}.${domain}`, key);
            }
            assert.equal(outputs.headlampUrl, stack === "prod" ? `https://headlamp.${domain}` : undefined);
            assert.deepEqual(outputs.publicUrls, {});
        });

        it(`${stack}: every AWS resource goes through the stack's provider with default tags`, () => {
            const { rec } = built[stack]!;
            const provider = rec.one("pulumi:providers:aws", "aws");
            assert.equal(provider.inputs.region, "eu-west-1");
            assert.deepEqual(JSON.parse(provider.inputs.defaultTags).tags, {
                Team: "platform",
                CostCenter: `cloud-${stack}`,
                Environment: stack,
                Project: "cloud-cnc",
                ManagedBy: "pulumi",
            });
            // Route 53 API events reach EventBridge only in us-east-1: the registrar's rule there uses
            // its own us-east-1 provider and carries the same tags explicitly.
            const eastProvider = rec.ofType("pulumi:providers:aws").find((p) => p.inputs.region === "us-east-1")!;
            for (const r of rec.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
                if (r.provider.includes("::registrar-us-east-1::")) {
                    assert.equal(eastProvider.name, "registrar-us-east-1");
                    if (r.type === "aws:cloudwatch/eventTarget:EventTarget") continue; // not taggable
                    assert.deepEqual(r.inputs.tags, JSON.parse(provider.inputs.defaultTags).tags, `${r.type} ${r.name} in us-east-1 lacks the stack's tags`);
                    continue;
                }
                assert.match(r.provider, /[:$]pulumi:providers:aws::aws::/, `${r.type} ${r.name} does not use the stack's aws provider: ${r.provider}`);
            }
        });
    }

    it("prod: every UI on one internal ALB group with HTTPS 443 and OIDC, an ACM certificate covering every host, a private record per host (opensearch a CNAME), https outputs", () => {
        const { rec, outputs } = built.prod!;
        const A = (k: string) => `alb.ingress.kubernetes.io/${k}`;
        const ingresses = rec.ofType("kubernetes:networking.k8s.io/v1:Ingress");
        const internal = ingresses.filter((i) => i.inputs.metadata.annotations[A("group.name")] === "cnc-internal");
        assert.equal(internal.length, ingresses.length, "every Ingress is on the internal group (nothing public in the stack files)");
        assert.ok(internal.length >= 5, `${internal.length} internal Ingresses`);
        const hosts = internal.map((i) => i.inputs.spec.rules[0].host as string).sort();
        assert.deepEqual(hosts, ["alertmanager", "grafana", "headlamp", "provisioner", "thanos"].map((a) => `${a}.apps.cnc.example.com`));
        const cert = rec.one("aws:acm/certificate:Certificate").inputs;
        assert.deepEqual([cert.domainName, cert.subjectAlternativeNames], ["*.apps.cnc.example.com", ["apps.cnc.example.com"]]);
        const certArn = rec.one("aws:acm/certificateValidation:CertificateValidation").inputs.certificateArn;
        for (const ing of internal) {
            const a = ing.inputs.metadata.annotations;
            assert.equal(a[A("scheme")], "internal");
            assert.deepEqual(JSON.parse(a[A("listen-ports")]), [{ HTTP: 80 }, { HTTPS: 443 }]);
            assert.equal(a[A("ssl-redirect")], "443");
            assert.match(a[A("ssl-policy")], /^ELBSecurityPolicy-TLS13-1-[23]-/);
            assert.equal(a[A("certificate-arn")], certArn);
            assert.equal(a[A("auth-type")], "oidc", ing.inputs.spec.rules[0].host);
            assert.equal(JSON.parse(a[A("auth-idp-oidc")]).issuer, "https://idp.example.com");
            // Only private ranges: the VPC first, then the workload and office networks.
            assert.equal(a[A("inbound-cidrs")], "10.80.0.0/16,10.100.0.0/14,192.168.0.0/20");
        }
        // The provisioner's own Ingress (no sign-in) is off: nothing else answers provisioner.<domain>.
        assert.equal(ingresses.filter((i) => i.inputs.spec.rules[0].host.startsWith("provisioner.")).length, 1);
        // One record per Ingress host (alias to the ALB) plus OpenSearch's custom endpoint (CNAME), all in the private zone.
        const records = rec.ofType("aws:route53/record:Record").filter((r) => r.parent.includes("ServiceDnsRecords"));
        assert.equal(new Set(records.map((r) => r.inputs.zoneId)).size, 1, "one zone holds them all");
        assert.notEqual(records[0].inputs.zoneId, "Z0PROD0PUBLIC0000000A", "the private zone, not the public one");
        const aliases = records.filter((r) => r.inputs.type === "A");
        assert.deepEqual(aliases.map((r) => r.inputs.name).sort(), hosts);
        for (const r of aliases) assert.match(r.inputs.aliases[0].name, /^internal-k8s-cncinternal-/);
        const cnames = records.filter((r) => r.inputs.type === "CNAME");
        assert.deepEqual(cnames.map((r) => [r.inputs.name, r.inputs.records[0]]), [["opensearch.apps.cnc.example.com", outputs.openSearchEndpoint]]);
        assert.deepEqual([...aliases, ...cnames].map((r) => r.inputs.name).sort(), ["alertmanager", "grafana", "headlamp", "opensearch", "provisioner", "thanos"].map((a) => `${a}.apps.cnc.example.com`));
        // The outputs are the https URLs.
        for (const key of ["grafanaUrl", "thanosQueryUrl", "alertmanagerUrl", "provisionerUrl", "headlampUrl", "openSearchDashboardsUrl"]) assert.match(outputs[key], /^https:\/\/[a-z]+\.apps\.cnc\.example\.com(\/_dashboards)?$/, key);
    });

    it("the DNS layer comes last: after the Ingresses whose load balancers it points at, and after the OpenSearch domain", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            // A dependency on a component is recorded as dependencies on its children.
            const dns = rec.one("cloud-cnc:index:ServiceDnsRecords");
            for (const i of rec.ofType("kubernetes:networking.k8s.io/v1:Ingress")) assert.ok(dns.dependencies.includes(i.urn), `${stack}: DNS does not wait for ${i.name}`);
            assert.ok(dns.dependencies.includes(rec.one("aws:opensearch/domain:Domain").urn), `${stack}: DNS does not wait for the domain`);
            const ingress = rec.one("cloud-cnc:index:AppIngress");
            assert.ok(ingress.dependencies.includes(rec.one("kubernetes:helm.sh/v3:Release", "monitoring-kube-prometheus-stack").urn), `${stack}: the Ingresses do not wait for Grafana's release`);
            assert.ok(ingress.dependencies.includes(rec.one("kubernetes:core/v1:Service", "provisioner-service").urn), `${stack}: the Ingresses do not wait for the provisioner's Service`);
        }
    });

    it("has the expected resources per type in each environment", () => {
        const expected: Record<string, [number, number]> = {
            // type: [dev, prod]
            "awsx:ec2:Vpc": [1, 1],
            "aws:route53/zone:Zone": [2, 2],
            "aws:ec2/vpcEndpoint:VpcEndpoint": [5, 7],
            "aws:ec2/flowLog:FlowLog": [1, 1],
            "aws:route53/resolverEndpoint:ResolverEndpoint": [0, 1],
            "eks:index:Cluster": [1, 1],
            "aws:eks/addon:Addon": [4, 4],
            "aws:eks/nodeGroup:NodeGroup": [1, 1],
            // LB controller, autoscaler, metrics-server, kube-prometheus-stack, Fluent Bit, blackbox exporter, json exporter (+ Headlamp in prod).
            "kubernetes:helm.sh/v3:Release": [7, 8],
            "cloud-cnc:index:FleetObservability": [1, 1],
            "kubernetes:monitoring.coreos.com/v1:PrometheusRule": [1, 1],
            "kubernetes:monitoring.coreos.com/v1alpha1:ScrapeConfig": [3, 3],
            "aws:kms/key:Key": [6, 6],
            "cloud-cnc:index:LoggingPipeline": [1, 1],
            "aws:opensearch/domain:Domain": [1, 1],
            "aws:lambda/invocation:Invocation": [1, 1],
            "cloud-cnc:index:ThanosFederation": [1, 1],
            "aws:s3/bucket:Bucket": [2, 2],
            "kubernetes:apps/v1:StatefulSet": [3, 3],
            "kubernetes:apps/v1:Deployment": [2, 4],
            "kubernetes:policy/v1:PodDisruptionBudget": [1, 5],
            "cloud-cnc:index:DnsRegistrar": [1, 1],
            "aws:lambda/function:Function": [2, 2],
            "aws:sqs/queue:Queue": [1, 1],
            // The registrar's 4 (errors, throttles, DLQ depth, no successful run) and the OpenSearch domain's 10.
            "aws:cloudwatch/metricAlarm:MetricAlarm": [14, 14],
            "aws:eks/accessEntry:AccessEntry": [1, 1],
            // The registrar's, and the LB controller's reader of the alb-oidc Secret per OIDC namespace (monitoring, provisioner, + headlamp in prod).
            "kubernetes:rbac.authorization.k8s.io/v1:Role": [3, 4],
            "cloud-cnc:index:ProvisionerServer": [1, 1],
            "aws:rds/instance:Instance": [1, 1],
            // AppIngress: grafana, thanos, alertmanager, provisioner (+ headlamp in prod); the provisioner's own is off.
            "kubernetes:networking.k8s.io/v1:Ingress": [4, 5],
            "cloud-cnc:index:AppIngress": [1, 1],
            "cloud-cnc:index:IngressCertificate": [1, 1],
            "aws:acm/certificate:Certificate": [1, 1],
            // DNS validation in prod's public zone; dev's certificate comes from the Private CA.
            "aws:acm/certificateValidation:CertificateValidation": [0, 1],
            "cloud-cnc:index:ServiceDnsRecords": [1, 1],
            "aws:wafv2/webAcl:WebAcl": [0, 0],
        };
        for (const [type, [dev, prod]] of Object.entries(expected)) {
            assert.equal(built.dev!.rec.ofType(type).length, dev, `dev ${type}`);
            assert.equal(built.prod!.rec.ofType(type).length, prod, `prod ${type}`);
        }
        const vpc = (s: "dev" | "prod") => built[s]!.rec.one("awsx:ec2:Vpc").inputs;
        assert.equal(vpc("dev").natGateways.strategy, "Single");
        assert.equal(vpc("prod").natGateways.strategy, "OnePerAz");
        assert.equal(vpc("dev").numberOfAvailabilityZones, 2);
        assert.equal(vpc("prod").numberOfAvailabilityZones, 3);
    });

    it("exports the kubeconfig as a secret", async () => {
        const rec = await setupPulumi({ ...stackTestConfig("dev"), stack: "dev" });
        let outputs: Record<string, pulumi.Output<unknown>> = {};
        await pulumi.runtime.runInPulumiStack(async () => (outputs = await program()));
        assert.equal(await pulumi.isSecret(outputs.kubeconfig), true);
        assert.equal(await pulumi.isSecret(outputs.grafanaAdminPassword), true);
        assert.equal(await pulumi.isSecret(outputs.clusterName), false);
        assert.ok(rec.resources.length > 0);
    });

    it("deploys the layers in order: cluster after network, post-installation after the cluster", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            const vpc = rec.one("awsx:ec2:Vpc");
            const cluster = rec.one("cloud-cnc:index:CommandControlCluster");
            assert.ok(cluster.dependencies.includes(vpc.urn), `${stack}: the cluster does not depend on the VPC`);
            const monitoring = rec.one("cloud-cnc:index:ThanosFederation");
            const eks = rec.one("eks:index:Cluster");
            assert.ok(monitoring.dependencies.includes(eks.urn), `${stack}: monitoring does not wait for the EKS cluster`);
            assert.ok(monitoring.providers.kubernetes, `${stack}: monitoring gets no kubernetes provider`);
            const registrar = rec.one("cloud-cnc:index:DnsRegistrar");
            const seed = rec.ofType("kubernetes:core/v1:ConfigMap").find((c) => c.inputs.metadata?.name === "thanos-query-endpoints")!;
            assert.ok(registrar.dependencies.includes(seed.urn), `${stack}: the registrar does not wait for the seeded ConfigMaps`);
            const release = rec.ofType("kubernetes:helm.sh/v3:Release")[0];
            assert.match(release.provider, /pulumi:providers:kubernetes::/, `${stack}: in-cluster resources do not use the cluster's provider`);
        }
    });

    it("never puts a config secret in a plain input; each reaches exactly one Kubernetes Secret", () => {
        for (const stack of ["dev", "prod"] as const) {
            for (const value of Object.values(TEST_SECRETS)) {
                for (const r of built[stack]!.rec.resources) {
                    for (const [key, input] of Object.entries(r.inputs)) {
                        if (JSON.stringify(input ?? "").includes(value)) {
                            assert.ok(r.secretInputs.includes(key), `${stack}: ${r.type} ${r.name}.${key} carries ${value} in plain text`);
                        }
                    }
                }
                const secrets = built[stack]!.rec.ofType("kubernetes:core/v1:Secret").filter((s) => JSON.stringify(s.inputs).includes(value));
                if (value === TEST_SECRETS["cloud-cnc:oidcClientSecret"]) {
                    // The OIDC client secret: the LB controller reads it from the namespace of each Ingress that signs in (one alb-oidc Secret
                    // per such namespace), and Grafana's own sign-in from grafana-oidc.
                    const namespaces = [...new Set(built[stack]!.rec.ofType("kubernetes:networking.k8s.io/v1:Ingress").map((i) => i.inputs.metadata.namespace as string))].sort();
                    const albSecrets = secrets.filter((s) => s.inputs.metadata.name === "alb-oidc");
                    assert.deepEqual(albSecrets.map((s) => s.inputs.metadata.namespace).sort(), namespaces, `${stack}: one alb-oidc Secret per Ingress namespace`);
                    assert.deepEqual(secrets.filter((s) => s.inputs.metadata.name !== "alb-oidc").map((s) => s.inputs.metadata.name), ["grafana-oidc"], `${stack}: ${value} in other Secrets`);
                    continue;
                }
                assert.equal(secrets.length, 1, `${stack}: ${value} reaches ${secrets.length} Kubernetes Secrets`);
            }
        }
    });

    it("monitoring: Grafana's CloudWatch region is the stack's (not the bucket's); no heartbeat unless its secret is set", () => {
        const values = release(built.dev!.rec, "kube-prometheus-stack").inputs.values;
        assert.equal(values.grafana.additionalDataSources.find((d: any) => d.uid === "cloudwatch").jsonData.defaultRegion, stackTestConfig("dev").config["aws:region"]);
        assert.equal(JSON.stringify(values.alertmanager.config).includes("deadmansswitch"), false);
    });

    it("monitoring: the optional dead man's switch secret reaches only its Kubernetes Secret and routes the Watchdog; the CloudWatch region stays the stack's with the bucket elsewhere", async () => {
        const url = "https://hc-ping.com/0d3c4e2a-0000-4000-8000-000000000000";
        const monitoring = JSON.parse(stackTestConfig("dev").config["cloud-cnc:monitoring"] ?? "{}");
        const { rec } = await build("dev", { "cloud-cnc:monitoring": JSON.stringify({ ...monitoring, bucketRegion: "eu-central-1" }) }, { "cloud-cnc:deadMansSwitchUrl": url });
        assert.equal(rec.errorsLogged(), false);
        for (const r of rec.resources) {
            for (const [k, input] of Object.entries(r.inputs)) {
                if (JSON.stringify(input ?? "").includes(url)) assert.ok(r.secretInputs.includes(k), `${r.type} ${r.name}.${k} carries the heartbeat URL in plain text`);
            }
        }
        const secrets = rec.ofType("kubernetes:core/v1:Secret").filter((x) => JSON.stringify(x.inputs).includes(url));
        assert.deepEqual(secrets.map((x) => x.inputs.metadata.name), ["alertmanager-deadmansswitch"]);
        const values = release(rec, "kube-prometheus-stack").inputs.values;
        assert.equal(values.alertmanager.config.route.routes[0].receiver, "deadmansswitch");
        assert.ok(values.alertmanager.alertmanagerSpec.secrets.includes("alertmanager-deadmansswitch"));
        assert.equal(values.grafana.additionalDataSources.find((d: any) => d.uid === "cloudwatch").jsonData.defaultRegion, "eu-west-1");
    });

    it("monitoring: each alert is evaluated in one place (the replaced kps defaults are disabled, the Ruler's meta alerts are off)", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            const values = release(rec, "kube-prometheus-stack").inputs.values;
            assert.deepEqual(Object.keys(values.defaultRules.disabled).sort(), Object.keys(REPLACED_DEFAULT_ALERTS).sort());
            const alertsOf = (groups: { rules: { alert?: string }[] }[]) => groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
            const local = rec.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").flatMap((r) => alertsOf(r.inputs.spec.groups));
            const rulerFiles = rec.ofType("kubernetes:core/v1:ConfigMap").find((c) => c.inputs.metadata.name === "thanos-ruler-rules")!.inputs.data as Record<string, string>;
            const ruler = Object.values(rulerFiles).flatMap((text) => alertsOf(YAML.parse(text).groups));
            const all = [...local, ...ruler];
            assert.deepEqual(all.filter((a, i) => all.indexOf(a) !== i), [], `${stack}: alerts defined twice`);
            for (const name of ALERT_NAMES) assert.ok(all.includes(name), `${stack}: ${name} is evaluated nowhere`);
            // Every replaced default alert has its replacement in the stack.
            for (const replacement of Object.values(REPLACED_DEFAULT_ALERTS)) assert.ok(all.includes(replacement), replacement);
        }
    });

    it("runs the registrar in the cluster's private subnets, watching the monitoring zone", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            const fn = rec.one("aws:lambda/function:Function", "registrar-function");
            assert.deepEqual(fn.inputs.vpcConfig.subnetIds, rec.one("awsx:ec2:Vpc").state.privateSubnetIds);
            const zone = rec.ofType("aws:route53/zone:Zone").find((z) => z.inputs.name.startsWith("monitoring."))!;
            assert.equal(fn.inputs.environment.variables.REGISTRAR_THANOS_ZONE_ID, zone.state.zoneId);
        }
    });

    it("names the registrar's function, log group, DLQ and rules <prefix>-<env>-dns-registrar-...; the stack's retention, else the profile's", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            const fn = rec.one("aws:lambda/function:Function", "registrar-function");
            assert.equal(fn.inputs.name, `cloud-${stack}-dns-registrar`);
            const logs = rec.one("aws:cloudwatch/logGroup:LogGroup", "registrar-logs");
            assert.equal(logs.inputs.name, `/aws/lambda/cloud-${stack}-dns-registrar`);
            assert.equal(logs.inputs.retentionInDays, stack === "dev" ? 14 : 90, "the stack file's logRetentionDays");
            assert.equal(rec.one("aws:sqs/queue:Queue", "registrar-dlq").inputs.name, `cloud-${stack}-dns-registrar-dlq`);
            assert.equal(rec.one("aws:iam/role:Role", "registrar-role").inputs.namePrefix, `cloud-${stack}-dns-registrar-`);
            assert.equal(rec.one("aws:cloudwatch/eventRule:EventRule", "registrar-route53-changes").inputs.name, `cloud-${stack}-dns-registrar-route53-changes`);
        }
        // Without a retention in the stack file, the production profile's 90 days apply.
        const { config } = stackTestConfig("prod");
        const section = JSON.parse(config["cloud-cnc:registrar"]);
        delete section.logRetentionDays;
        const noRetention = await build("prod", { "cloud-cnc:registrar": JSON.stringify(section), "cloud-cnc:profile": "production", "cloud-cnc:environment": "staging" });
        assert.equal(noRetention.rec.errorsLogged(), false);
        const logs = noRetention.rec.one("aws:cloudwatch/logGroup:LogGroup", "registrar-logs");
        assert.equal(logs.inputs.retentionInDays, 90);
        assert.equal(logs.inputs.name, "/aws/lambda/cloud-staging-dns-registrar");
    });

    it("sends the registrar's and the OpenSearch domain's alarms to a stack-owned topic under a customer-managed key CloudWatch may use, and lists the C&C once", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec, outputs } = built[stack]!;
            const topic = rec.one("aws:sns/topic:Topic", "alarms");
            // Not the AWS-managed alias/aws/sns: CloudWatch cannot use it, and the alarms would notify nobody.
            const key = rec.one("aws:kms/key:Key", "alarms-key");
            assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
            assert.equal(rec.one("aws:kms/alias:Alias", "alarms-key-alias").inputs.name, `alias/cloud-${stack}-alarms`);
            const scope = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID };
            assert.deepEqual(JSON.parse(key.inputs.policy), alarmTopicKeyPolicy(scope));
            assert.deepEqual(JSON.parse(rec.one("aws:sns/topicPolicy:TopicPolicy", "alarms-policy").inputs.policy), alarmTopicPolicy(topic.state.arn, scope));
            assert.equal(key.protect, stack === "prod");
            assert.equal(outputs.alarmTopicArn, topic.state.arn);
            const alarms = rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepEqual(alarms.map((a) => a.name.split("-")[0]).sort(), [...Array(10).fill("logging"), ...Array(4).fill("registrar")]);
            for (const a of alarms) {
                assert.deepEqual(a.inputs.alarmActions, [topic.state.arn], `${a.name} notifies nobody`);
                assert.deepEqual(a.inputs.okActions, [topic.state.arn], `${a.name} does not say when it is over`);
            }
            // OpenSearch alarms are named after the domain and read its metrics in this account.
            const red = alarms.find((a) => a.name === "logging-cluster-red-alarm")!;
            assert.equal(red.inputs.name, `cloud-${stack}-logs-cluster-red`);
            assert.deepEqual(red.inputs.dimensions, { DomainName: `cloud-${stack}-logs`, ClientId: ACCOUNT_ID });
            const fn = rec.one("aws:lambda/function:Function", "registrar-function");
            assert.equal(fn.inputs.environment.variables.REGISTRAR_SELF_PROMETHEUS_TARGET, "");
            // The registrar keeps the C&C's in-cluster StoreAPIs in the endpoints file (Query has no --endpoint flag).
            const seed = YAML.parse(rec.ofType("kubernetes:core/v1:ConfigMap").find((c) => c.inputs.metadata.name === "thanos-query-endpoints")!.inputs.data["endpoints.yaml"]);
            assert.deepEqual(fn.inputs.environment.variables.REGISTRAR_THANOS_STATIC_ENDPOINTS.split(",").sort(), seed.endpoints.map((e: { address: string }) => e.address).sort());
        }
    });

    it("parents every resource to the stack or directly to its component (DESIGN section 4)", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { rec } = built[stack]!;
            const owners = new Set(rec.resources.filter((r) => r.type === "pulumi:pulumi:Stack" || r.type.startsWith("cloud-cnc:index:")).map((r) => r.urn));
            const nested = rec.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !owners.has(r.parent));
            assert.deepEqual(nested.map((r) => `${r.type} ${r.name}`), [], `${stack}: resources nested under other resources`);
        }
    });

    it("prod protects and retains every stateful resource; dev protects none", () => {
        const stateful = (s: "dev" | "prod") => built[s]!.rec.resources.filter((r) => STATEFUL.includes(r.type));
        assert.ok(stateful("prod").length >= 2, "prod has no stateful resources to check");
        for (const r of stateful("prod")) {
            assert.equal(r.protect, true, `prod ${r.type} ${r.name} is not protected`);
            assert.equal(r.retainOnDelete, true, `prod ${r.type} ${r.name} is not retained on delete`);
        }
        for (const r of stateful("dev")) {
            assert.equal(r.protect, false, `dev ${r.type} ${r.name} is protected`);
        }
    });

    it("composes LoggingPipeline from its config section and the stack's profile: sizing, names, retention", () => {
        const shape = (s: "dev" | "prod") => {
            const { rec } = built[s]!;
            const d = rec.one("aws:opensearch/domain:Domain");
            const fn = rec.ofType("aws:lambda/function:Function").find((f) => f.name === "logging-bootstrap-function")!;
            const audit = rec.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/opensearch/cloud-${s}-logs/audit`)!;
            return [d.inputs.domainName, d.inputs.clusterConfig.instanceType, d.inputs.clusterConfig.instanceCount, d.inputs.clusterConfig.dedicatedMasterEnabled, d.inputs.ebsOptions.volumeSize, fn.inputs.name, audit.inputs.retentionInDays];
        };
        assert.deepEqual(shape("dev"), ["cloud-dev-logs", "m7g.medium.search", 1, false, 20, "cloud-dev-opensearch-bootstrap", 7]);
        assert.deepEqual(shape("prod"), ["cloud-prod-logs", "r7g.large.search", 3, true, 200, "cloud-prod-opensearch-bootstrap", 90]);
        const out = YAML.parse(built.prod!.rec.one("kubernetes:helm.sh/v3:Release", "logging-fluent-bit").inputs.values.config.extraFiles["fluent-bit.yaml"]).pipeline.outputs[0];
        assert.equal(out.logstash_prefix, "logs-cloud-prod-cnc", "clusterId defaults to the cluster's name");
    });

    it("staging (the dev stack file with profile: production) gets production sizing and protection, not dev's", () => {
        const sizing = (s: "dev" | "prod" | "staging") => {
            const { rec, outputs } = built[s]!;
            const group = rec.one("aws:eks/nodeGroup:NodeGroup");
            const kps = rec.one("kubernetes:helm.sh/v3:Release", "monitoring-kube-prometheus-stack").inputs.values;
            const domain = rec.one("aws:opensearch/domain:Domain").inputs.clusterConfig;
            const db = rec.one("aws:rds/instance:Instance").inputs;
            return {
                profile: outputs.profile,
                nat: rec.one("awsx:ec2:Vpc").inputs.natGateways.strategy,
                nodes: [group.inputs.scalingConfig.minSize, group.inputs.scalingConfig.maxSize, group.inputs.instanceTypes[0]],
                prometheusReplicas: kps.prometheus.prometheusSpec.replicas,
                alertmanagerReplicas: kps.alertmanager.alertmanagerSpec.replicas,
                openSearch: [domain.instanceType, domain.instanceCount, domain.dedicatedMasterEnabled],
                db: [db.instanceClass, db.multiAz, db.deletionProtection],
                protectedZones: rec.ofType("aws:route53/zone:Zone").every((z) => z.protect),
            };
        };
        const production = {
            profile: "production",
            nat: "OnePerAz",
            nodes: [3, 9, "m7i.xlarge"],
            prometheusReplicas: 2,
            alertmanagerReplicas: 3,
            openSearch: ["r7g.large.search", 3, true],
            db: ["db.m7g.large", true, true],
            protectedZones: true,
        };
        assert.deepEqual(sizing("staging"), production);
        assert.deepEqual(sizing("prod"), production);
        assert.deepEqual(sizing("dev"), {
            profile: "development",
            nat: "Single",
            nodes: [2, 4, "t3.large"],
            prometheusReplicas: 1,
            alertmanagerReplicas: 1,
            openSearch: ["m7g.medium.search", 1, false],
            db: ["db.t4g.small", false, false],
            protectedZones: false,
        });
        assert.equal(built.staging!.rec.errorsLogged(), false);
        assert.equal(built.staging!.outputs.clusterName, "cloud-staging-cnc");
    });

    it("prints the profile in the preview outputs, and says when it was derived from the environment's name", () => {
        assert.equal(built.dev!.outputs.profile, "development");
        assert.deepEqual(built.dev!.outputs.configNotes, ['profile "development" derived from the environment name "dev" (set cloud-cnc:profile to make it explicit)']);
        assert.deepEqual(built.prod!.outputs.configNotes, [], "Pulumi.prod.yaml sets the profile");
        assert.deepEqual(built.staging!.outputs.configNotes, []);
        for (const stack of ["dev", "prod", "staging"] as const) assert.deepEqual(built[stack]!.outputs.configWarnings, [], `${stack}: nothing to warn about`);
    });

    it("dev's cluster: a public endpoint limited to the configured CIDRs (a placeholder the preview warns about), the private one on too", () => {
        const eks = built.dev!.rec.one("eks:index:Cluster").inputs;
        assert.equal(eks.endpointPrivateAccess, true);
        assert.equal(eks.endpointPublicAccess, true);
        assert.deepEqual(eks.publicAccessCidrs, ["203.0.113.10/32"]);
        assert.deepEqual(eks.publicAccessCidrs, JSON.parse(stackTestConfig("dev").config["cloud-cnc:cluster"]).publicAccessCidrs);
        assert.ok(built.dev!.warnings.some((w) => /^cloud-dev-cnc: publicAccessCidrs\[0\] 203\.0\.113\.10\/32 is a documentation address/.test(w)), built.dev!.warnings.join("\n"));
        assert.equal(built.dev!.warnings.some((w) => w.startsWith("config: ")), false);
    });

    it("every stack file's runbook URL is a placeholder the preview warns about", () => {
        for (const stack of ["dev", "prod", "staging"] as const) {
            const warnings = built[stack]!.warnings.filter((w) => w.startsWith("observability: runbookBaseUrl "));
            assert.equal(warnings.length, 1, `${stack}: ${built[stack]!.warnings.join("\n")}`);
            assert.match(warnings[0], /git\.example\.com/);
        }
    });

    it("prod's cluster: private endpoint only, deployed from the runner in the VPC (no config warning); without runnerInVpc the preview warns", async () => {
        const eks = built.prod!.rec.one("eks:index:Cluster").inputs;
        assert.equal(eks.endpointPrivateAccess, true);
        assert.equal(eks.endpointPublicAccess, false);
        assert.equal(eks.publicAccessCidrs, undefined);
        // The runbook URL and IdP/zone placeholders aside (their own tests).
        const notRunbook = (w: string) => !w.startsWith("observability: runbookBaseUrl ") && !w.startsWith("cloud-cnc:ingress.");
        assert.deepEqual(built.prod!.warnings.filter(notRunbook), []);
        const outside = await build("prod", { "cloud-cnc:runnerInVpc": undefined });
        assert.deepEqual(outside.outputs.configWarnings, [PRIVATE_ENDPOINT_WARNING]);
        assert.deepEqual(outside.warnings.filter(notRunbook), [`config: ${PRIVATE_ENDPOINT_WARNING}`]);
        assert.equal(outside.rec.errorsLogged(), false, "a warning, not an error");
    });

    it("every stack runs Kubernetes 1.36 with STANDARD upgrades, add-ons at EKS's default for 1.36 (none hard-coded), and the prod CI role as a deployer", () => {
        for (const stack of ["dev", "prod", "staging"] as const) {
            const { rec } = built[stack]!;
            const eks = rec.one("eks:index:Cluster").inputs;
            assert.equal(eks.version, "1.36", stack);
            assert.deepEqual(eks.upgradePolicy, { supportType: "STANDARD" }, stack);
            for (const a of rec.ofType("aws:eks/addon:Addon")) assert.equal(a.inputs.addonVersion, mockAddonVersion(a.inputs.addonName, "1.36"), `${stack} ${a.inputs.addonName}`);
            const queries = rec.invokes.filter((i) => i.token === "aws:eks/getAddonVersion:getAddonVersion").map((i) => `${i.args.addonName}@${i.args.kubernetesVersion}/${i.args.mostRecent}`);
            assert.deepEqual(queries.sort(), ["aws-ebs-csi-driver@1.36/false", "coredns@1.36/false", "kube-proxy@1.36/false", "vpc-cni@1.36/false"], stack);
            assert.equal(release(rec, "cluster-autoscaler").inputs.values.image.tag, "v1.36.1", stack);
        }
        const entries = Object.values<any>(built.prod!.rec.one("eks:index:Cluster").inputs.accessEntries).map((e) => e.principalArn);
        assert.deepEqual(entries.sort(), ["arn:aws:iam::123456789012:role/cloud-cnc-ci", "arn:aws:iam::123456789012:role/platform-admin"]);
    });

    it("every Lambda, role, bucket, topic, queue, log group and key alias of the prod stack has a name that says what it is for", () => {
        const { rec } = built.prod!;
        const named = rec.resources.filter((r) =>
            ["aws:lambda/function:Function", "aws:iam/role:Role", "aws:s3/bucket:Bucket", "aws:sns/topic:Topic", "aws:sqs/queue:Queue", "aws:cloudwatch/logGroup:LogGroup", "aws:kms/alias:Alias"].includes(r.type),
        );
        assert.ok(named.length >= 30, `only ${named.length} named resources`);
        const physical = (r: (typeof named)[number]) => String(r.inputs.name ?? r.inputs.namePrefix ?? r.inputs.bucket ?? "");
        // <prefix>-<env>-<what>, or a path that contains it (log groups, key aliases); the database's
        // own log groups are named by RDS after the instance (provisioner-prod).
        const ok = (n: string) => /(^|\/)cloud-prod-[a-z]/.test(n) || /^\/aws\/rds\/instance\/provisioner-prod\//.test(n);
        const unnamed = named.filter((r) => !ok(physical(r))).map((r) => `${r.type} ${r.name}: ${physical(r) || "(auto-named)"}`);
        assert.deepEqual(unnamed, []);
        // And every one is distinct.
        const names = named.map(physical);
        assert.equal(new Set(names).size, names.length, "two resources share a physical name");
    });

    it("refuses a stack file whose environment is another stack's (Pulumi.prod.yaml saying dev): its names would be dev's", async () => {
        const { config, secretKeys } = stackTestConfig("dev");
        const rec = await setupPulumi({ config, secretKeys, stack: "prod" });
        await assert.rejects(
            () => runProgram(program),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems.length === 1 &&
                e.message.includes(`cloud-cnc:environment: expected the stack's name, "prod" (Pulumi.prod.yaml): physical names are <prefix>-<environment>-<role>`) &&
                e.message.endsWith('found "dev"'),
        );
        assert.deepEqual(rec.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type), []);
    });

    it("refuses prod without deletion protection; with allowUnprotectedProduction it deploys unprotected and every preview warns", async () => {
        const { config, secretKeys } = stackTestConfig("prod");
        await setupPulumi({ config: { ...config, "cloud-cnc:deletionProtection": "false" }, secretKeys, stack: "prod" });
        await assert.rejects(
            () => runProgram(program),
            (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && /^cloud-cnc:deletionProtection: expected true \(or unset\) under the production profile/.test(e.message.split("\n")[1].replace(/^\s+- /, "")),
        );
        const allowed = await build("prod", { "cloud-cnc:deletionProtection": "false", "cloud-cnc:allowUnprotectedProduction": "true" });
        const db = allowed.rec.ofType("aws:rds/instance:Instance").find((r) => r.inputs.replicateSourceDb === undefined)!;
        assert.equal(db.inputs.deletionProtection, false);
        assert.equal(db.inputs.skipFinalSnapshot, true);
        assert.deepEqual(allowed.outputs.configWarnings, [UNPROTECTED_PRODUCTION_WARNING]);
        assert.ok(allowed.warnings.includes(`config: ${UNPROTECTED_PRODUCTION_WARNING}`), allowed.warnings.join("\n"));
        // And the committed prod stack keeps both: protection on, a final snapshot taken.
        const prodDb = built.prod!.rec.ofType("aws:rds/instance:Instance").find((r) => r.inputs.replicateSourceDb === undefined)!;
        assert.equal(prodDb.inputs.deletionProtection, true);
        assert.equal(prodDb.inputs.skipFinalSnapshot, false);
        assert.match(String(prodDb.inputs.finalSnapshotIdentifier), /-final$/);
    });

    it("registers nothing when the config is invalid, and reports every problem", async () => {
        const { config, secretKeys } = stackTestConfig("dev");
        const rec = await setupPulumi({ config: { ...config, "cloud-cnc:environment": "Dev", "cloud-cnc:deletionProtection": "maybe" }, secretKeys });
        await assert.rejects(
            () => runProgram(program),
            (e: unknown) => e instanceof ConfigError && e.problems.length === 2 && /cloud-cnc:environment/.test(e.message) && /cloud-cnc:deletionProtection/.test(e.message),
        );
        assert.deepEqual(
            rec.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
            [],
        );
    });
});

describe("stacks: the provisioner cannot reach the C&C's own resources", function () {
    this.timeout(180_000);
    const scope = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID };
    const OWNED_TYPES = ["aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:sns/topic:Topic", "aws:sqs/queue:Queue"];
    const built: Partial<Record<"dev" | "prod" | "staging", Recorder>> = {};
    // Template stacks: the environment and (for a prefix other than cloud) the prefix are markers
    // that appear in no other name, so any environment and prefix can be substituted.
    const ENV = "qzx";
    const PREFIX = "pqy";
    const templates: { cloud?: NamedResource[]; other?: NamedResource[] } = {};

    const record = async (stack: "dev" | "prod" | "staging", override: Record<string, string> = {}) => {
        const { rec } = await build(stack, override);
        assert.equal(rec.errorsLogged(), false);
        return rec;
    };
    const identityOf = (rec: Recorder) => rec.ofType("aws:iam/policy:Policy").filter((p) => p.name.startsWith("provisioner-policy-")).map((p) => JSON.parse(p.inputs.policy) as PolicyDocument);
    const boundaryOf = (rec: Recorder) => JSON.parse(rec.one("aws:iam/policy:Policy", "provisioner-boundary").inputs.policy) as PolicyDocument;

    before(async () => {
        for (const stack of ["dev", "prod", "staging"] as const) built[stack] = await record(stack);
        const marked = { "cloud-cnc:environment": ENV, "cloud-cnc:profile": "development" };
        templates.cloud = namedResources(await record("dev", marked), scope);
        templates.other = namedResources(await record("dev", { ...marked, "cloud-cnc:prefix": PREFIX }), scope);
    });

    it("denies, by ARN, every KMS key, bucket, topic and queue the dev, staging and prod stacks register", () => {
        const sample: Record<string, [string, string][]> = {
            kms: [["kms:Decrypt", ""], ["kms:ScheduleKeyDeletion", ""], ["kms:DisableKey", ""], ["kms:CreateAlias", ""], ["kms:UpdateAlias", ""], ["kms:TagResource", ""], ["kms:UntagResource", ""], ["kms:PutKeyPolicy", ""], ["kms:CreateGrant", ""]],
            s3: [["s3:GetObject", "/metrics/chunk"], ["s3:DeleteObject", "/x"], ["s3:DeleteBucket", ""], ["s3:PutBucketPolicy", ""], ["s3:PutBucketTagging", ""]],
            sns: [["sns:Publish", ""], ["sns:SetTopicAttributes", ""], ["sns:DeleteTopic", ""], ["sns:Subscribe", ""]],
            sqs: [["sqs:ReceiveMessage", ""], ["sqs:PurgeQueue", ""], ["sqs:DeleteQueue", ""], ["sqs:SetQueueAttributes", ""]],
        };
        for (const stack of ["dev", "staging", "prod"] as const) {
            const rec = built[stack]!;
            const identity = identityOf(rec);
            const boundary = boundaryOf(rec);
            const owned = rec.resources.filter((r) => OWNED_TYPES.includes(r.type));
            // 6 keys (cluster secrets, metrics, logging, alarms, provisioner database and state), 2 buckets, 1 topic, 1 queue.
            assert.deepEqual(owned.map((r) => r.type.split(":")[1]).sort(), ["kms/key", "kms/key", "kms/key", "kms/key", "kms/key", "kms/key", "s3/bucket", "s3/bucket", "sns/topic", "sqs/queue"], stack);
            // Worst case for the attacker's side: every tag and request key the provisioner's allows could ask for.
            const keys = {
                "aws:ResourceTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz",
                "aws:RequestTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz",
                "aws:TagKeys": ["rds-encryption-key"],
                "kms:GrantIsForAWSResource": "true",
                "kms:ScheduleKeyDeletionPendingWindowInDays": "30",
            };
            for (const r of owned) {
                const arn = r.state.arn as string;
                const service = arn.split(":")[2];
                const own = r.name === "provisioner-state" || r.name === "provisioner-state-key";
                for (const [action, path] of sample[service]) {
                    const use = own && ["s3:GetObject", "s3:DeleteObject", "kms:Decrypt"].includes(action);
                    assert.equal(decide(identity, boundary, { action, resource: `${arn}${path}`, keys }), use ? "allow" : "explicit-deny", `${stack}: ${action} on ${r.type} ${r.name} (${arn}${path})`);
                }
            }
        }
    });

    it("the templates hold what the stacks hold: the same named resources, the markers in place of the environment and prefix", () => {
        const names = (rs: NamedResource[]) => rs.map((r) => `${r.type} ${r.name}`).sort();
        const dev = namedResources(built.dev!, scope);
        assert.deepEqual(names(templates.cloud!), names(dev));
        const arns = (rs: NamedResource[]) => rs.flatMap((r) => r.arns.filter((a) => !a.includes(":key/"))).sort();
        assert.deepEqual(arns(instantiate(templates.cloud!, { environment: ENV }, "cloud", "dev")), arns(dev));
        assert.ok(templates.other!.some((r) => r.arns.includes(`arn:aws:s3:::cloud-${PREFIX}-${ENV}-kops-state`)), "a prefix other than cloud: cloud-<prefix>-<env>-kops-state");
        assert.ok(dev.length >= 50, `only ${dev.length} named resources`);
    });

    it("for any environment name of 2-16 characters and any prefix, no provisioner Allow matches a stack-owned resource unless a Deny matches it too", () => {
        const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/).filter((n) => !n.includes("--"));
        const prefix = fc.oneof(fc.constant("cloud"), name);
        const violations = (p: string, env: string): string[] => {
            const template = p === "cloud" ? templates.cloud! : templates.other!;
            const resources = instantiate(template, p === "cloud" ? { environment: ENV } : { environment: ENV, prefix: PREFIX }, p, env);
            const arnOf = (logical: string, type: string) => resources.find((r) => r.name === logical && r.type === type)!.arns[0];
            const own = { dbKeyArn: arnOf("provisioner-db-key", "aws:kms/key:Key"), stateKeyArn: arnOf("provisioner-state-key", "aws:kms/key:Key"), stateBucketArn: arnOf("provisioner-state", "aws:s3/bucket:Bucket") };
            // What the composition passes: every key, bucket, topic and queue the other components own.
            const given = resources.filter((r) => OWNED_TYPES.includes(r.type) && !r.name.startsWith("provisioner-")).map((r) => r.arns[0]);
            const names = physicalNames({ prefix: p, environment: env });
            const identity = Object.values(
                provisionerPolicies({
                    ...scope,
                    zoneIds: ["Z0123456789ABCDEFGHIJ"],
                    stateBucket: defaultStateBucketName(p, env),
                    stateKeyArn: own.stateKeyArn,
                    boundaryArn: policyArn("aws", ACCOUNT_ID, names.boundaryPolicyName),
                    requireBoundaryOnCreatedPrincipals: false,
                }),
            );
            const boundary = provisionerBoundary({ partition: "aws", accountId: ACCOUNT_ID, prefix: p, environment: env, protectedArns: protectedArnsOf(given, own) });
            const denies = [...identity, boundary].flatMap((d) => d.Statement).filter((st) => st.Effect === "Deny" && st.Condition === undefined);
            // Resource "*" statements carry only actions AWS cannot scope to a resource (provisioner-plan.test.ts).
            const grants = identity.flatMap((d) => d.Statement).filter((st) => st.Effect === "Allow" && st.Resource !== "*");
            // Intended, and nothing else: the state store's reads and writes of its own bucket and key, and RDS
            // metadata reads of the region (installation databases are found by tag among all of them).
            const stateStore: string[] = [...STATE_BUCKET_ACTIONS, ...STATE_OBJECT_READ_WRITE, ...STATE_KEY_ACTIONS];
            const intended = (sid: string, action: string, r: NamedResource) =>
                (["provisioner-state", "provisioner-state-key"].includes(r.name) && stateStore.includes(action)) || sid === "RdsDescribe";
            const out: string[] = [];
            for (const r of resources) {
                for (const arn of r.arns) {
                    const service = arn.split(":")[2];
                    for (const st of grants) {
                        for (const action of [st.Action].flat() as string[]) {
                            if (action.split(":")[0] !== service || !statementCovers(st, action, arn) || intended(st.Sid!, action, r)) continue;
                            // Conditions of the Allow are taken as met (tags can be forged); only an unconditional Deny counts.
                            if (!denies.some((d) => statementCovers(d, action, arn))) out.push(`${st.Sid} ${action} reaches ${r.type} ${r.name} ${arn}`);
                        }
                    }
                }
            }
            return out;
        };
        // The cases the issue names, then random ones.
        assert.deepEqual(violations("cloud", "staging"), []);
        assert.deepEqual(violations("cloud", "abcdefghijklmno"), [], "15 characters: the kops bucket has the cloud-<26> shape");
        assert.deepEqual(violations("cloud", "abcdefghij"), [], "10 characters");
        assert.deepEqual(violations("cloud", "abcde"), [], "5 characters: the boundary policy has the cloud-<26> shape");
        fc.assert(
            fc.property(prefix, name, (p, env) => {
                const v = violations(p, env);
                if (v.length > 0) throw new Error(`prefix ${p}, environment ${env}:\n${v.join("\n")}`);
            }),
            { numRuns: 300 },
        );
    });
});
