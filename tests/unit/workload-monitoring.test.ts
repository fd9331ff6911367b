// WorkloadClusterMonitoring under mocks: the sidecar ships to the bucket without keys, the NLB is
// internal and limited to the allowed CIDRs, the registration records are exactly what the
// DnsRegistrar's planner turns into targets with the same clusterID (both modes), Fluent Bit ships
// to the configured domain, Mattermost is scraped on 8067, and bad args are refused.
import { strict as assert } from "assert";
import * as YAML from "yaml";
import { InvalidArgsError } from "../../components/common/errors";
import { WorkloadClusterMonitoring, WorkloadClusterMonitoringArgs } from "../../components/workload-monitoring";
import { leafQueryArgs } from "../../components/workload-monitoring/plan";
import { DEFAULT_PLAN_OPTIONS, RecordSet, fileEntries, planTargets } from "../../functions/dns-registrar/planner";
import { REGISTERED_CLUSTER_LABEL } from "../../functions/dns-registrar/planner";
import { Recorder, settle, setupPulumi, valueOf } from "../support/pulumi-harness";
import { OIDC_ARN, OIDC_URL } from "../support/thanos-harness";
import { DOMAIN_ARN, ENDPOINT, KEY, ZONE, args, build } from "../support/workload-fixtures";
import { CONFIRMED_88_5_3, THANOS_SPEC, keyPaths } from "../support/kps-confirmed";

const T = {
    service: "kubernetes:core/v1:Service",
    secret: "kubernetes:core/v1:Secret",
    release: "kubernetes:helm.sh/v3:Release",
    deployment: "kubernetes:apps/v1:Deployment",
    sm: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    record: "aws:route53/record:Record",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
};
/** The registrar's planner over the records the component wrote (as Route 53 lists them). */
function plan(rec: Recorder, mode: "thanos" | "prometheus-federation" = "thanos") {
    const records: RecordSet[] = rec.ofType(T.record).map((r) => ({ Name: `${r.inputs.name}.`, Type: r.inputs.type, AliasTarget: { DNSName: r.inputs.aliases[0].name, HostedZoneId: r.inputs.aliases[0].zoneId, EvaluateTargetHealth: true } }) as RecordSet);
    return planTargets({ thanos: records, prometheus: records, installations: [] }, { ...DEFAULT_PLAN_OPTIONS, ...(mode === "thanos" ? { thanosZone: ZONE } : { prometheusZone: ZONE }) });
}

describe("WorkloadClusterMonitoring (mocks)", function () {
    this.timeout(120_000);

    it("contract, thanos mode: <id>-grpc and <id> records the registrar turns into the gRPC endpoint and the leaf Query target of the same clusterID", async () => {
        const { rec, component } = await build(args());
        const id = "k3x7a9p2m4q8r1t5w6y0z2b4c6";
        assert.deepEqual((await valueOf(component.registrationNames)).sort(), [`${id}-grpc.${ZONE}`, `${id}.${ZONE}`].sort());
        const p = plan(rec);
        assert.deepEqual(fileEntries(p.thanos).map((e) => e.target), [`${id}-grpc.${ZONE}:10901`]);
        assert.deepEqual(fileEntries(p.queries).map((e) => [e.target, e.labels[REGISTERED_CLUSTER_LABEL]]), [[`${id}.${ZONE}:80`, id]]);
        assert.deepEqual(fileEntries(p.prometheus).filter((e) => e.labels.clusterID === id), [], "thanos mode registers no /federate target");
        assert.deepEqual(p.skipped, []);
        // Both records alias the internal NLB (the NLB canonical zone of eu-west-1).
        const nlb = await valueOf(component.loadBalancerHostname);
        for (const r of rec.ofType(T.record)) assert.deepEqual(r.inputs.aliases, [{ name: nlb, zoneId: "Z2IFOLAFXWLO4F", evaluateTargetHealth: true }]);
    });

    it("contract, federation mode: <id> in the zone becomes the /federate target labelled with the same clusterID", async () => {
        const { rec } = await build(args({ mode: "prometheus-federation" }));
        const p = plan(rec, "prometheus-federation");
        assert.deepEqual(fileEntries(p.prometheus).filter((e) => e.labels.clusterID !== "command-control").map((e) => [e.target, e.labels.clusterID]), [[`k3x7a9p2m4q8r1t5w6y0z2b4c6.${ZONE}:9090`, "k3x7a9p2m4q8r1t5w6y0z2b4c6"]]);
        assert.equal(rec.ofType(T.deployment).length, 0, "no leaf Query in federation mode");
        const svc = rec.ofType(T.service).find((s) => s.inputs.spec.type === "LoadBalancer")!;
        assert.deepEqual(svc.inputs.spec.ports.map((p: any) => [p.name, p.port]), [["federate", 9090]]);
        assert.equal(svc.inputs.spec.selector["operator.prometheus.io/name"], "kps-prometheus");
    });

    it("the NLB is internal (ip targets) and its security group admits only the allowed CIDRs; gRPC 10901 and HTTP 80 to the leaf Query", async () => {
        const { rec } = await build(args());
        const svc = rec.ofType(T.service).find((s) => s.inputs.spec.type === "LoadBalancer")!;
        const a = svc.inputs.metadata.annotations;
        assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-type"], "external");
        assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"], "ip");
        assert.equal(svc.inputs.spec.loadBalancerClass, "service.k8s.aws/nlb");
        assert.deepEqual(svc.inputs.spec.loadBalancerSourceRanges, ["10.80.0.0/16", "10.100.0.0/14"]);
        assert.deepEqual(svc.inputs.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]), [["grpc", 10901, 10901], ["http", 80, 9090]]);
        assert.deepEqual(svc.inputs.spec.selector, { "app.kubernetes.io/name": "thanos-query-leaf", "app.kubernetes.io/instance": "thanos-query-leaf" });
        // The leaf Query reads only the local sidecars.
        const args0 = leafQueryArgs("monitoring");
        assert.ok(args0.some((x) => x.startsWith("--endpoint.sd-config=") && x.includes("dnssrv+_grpc._tcp.kps-thanos-discovery.monitoring.svc.cluster.local")), args0.join(" "));
        assert.ok(!args0.some((x) => x.startsWith("--endpoint=")));
        const dep = rec.one(T.deployment).inputs;
        assert.deepEqual(dep.spec.template.spec.containers[0].args, args0);
        assert.equal(dep.spec.replicas, 2);
    });

    it("the sidecar's objstore has no keys: bucket, regional endpoint, SSE-KMS; IRSA role on exactly this bucket and key, trusted by exactly kps-prometheus", async () => {
        const { rec } = await build(args());
        const objstore = YAML.parse(rec.ofType(T.secret).find((s) => s.inputs.metadata.name === "thanos-objstore")!.inputs.stringData["objstore.yml"]);
        assert.deepEqual(objstore, { type: "S3", config: { bucket: "cloud-prod-prometheus-metrics", endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", sse_config: { type: "SSE-KMS", kms_key_id: KEY } } });
        assert.doesNotMatch(JSON.stringify(objstore), /access_key|secret_key|session_token/);
        const role = rec.ofType(T.role).find((r) => r.name === "workload-sidecar")!;
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        assert.equal(trust.Statement[0].Condition.StringEquals[`${OIDC_URL.replace("https://", "")}:sub`], "system:serviceaccount:monitoring:kps-prometheus");
        const policy = JSON.parse(rec.ofType(T.rolePolicy).find((r) => r.name === "workload-sidecar-access")!.inputs.policy);
        assert.deepEqual(policy.Statement.map((s: any) => s.Resource), ["arn:aws:s3:::cloud-prod-prometheus-metrics", "arn:aws:s3:::cloud-prod-prometheus-metrics/*", KEY]);
        assert.ok(!JSON.stringify(policy).includes("s3:DeleteObject"), "the sidecar never deletes");
        const values = rec.ofType(T.release).find((r) => r.inputs.chart === "kube-prometheus-stack")!.inputs.values;
        assert.equal(values.prometheus.serviceAccount.annotations["eks.amazonaws.com/role-arn"], role.state.arn);
        assert.deepEqual(values.prometheus.prometheusSpec.externalLabels, { clusterID: "k3x7a9p2m4q8r1t5w6y0z2b4c6" });
        assert.equal(values.prometheus.prometheusSpec.replicaExternalLabelName, "prometheus_replica");
        assert.deepEqual([values.grafana.enabled, values.alertmanager.enabled], [false, false]);
        // Only keys read in the pinned chart's values.yaml (the C&C's list), the same ThanosSpec fields.
        assert.deepEqual(keyPaths(values).filter((p) => !CONFIRMED_88_5_3.has(p)), []);
        assert.deepEqual(Object.keys(values.prometheus.prometheusSpec.thanos).filter((k) => !THANOS_SPEC.has(k)), []);
    });

    it("Pod Identity, cross-account: an association to kps-prometheus chaining to the bucket account's role; no IRSA annotation", async () => {
        const target = "arn:aws:iam::210987654321:role/cloud-prod-metrics-writer";
        const { rec } = await build(args({ identity: { kind: "pod-identity", clusterName: "customer-eu-1", targetRoleArn: target }, logging: undefined }));
        const assoc = rec.one(T.podIdentity).inputs;
        assert.deepEqual([assoc.clusterName, assoc.namespace, assoc.serviceAccount, assoc.targetRoleArn], ["customer-eu-1", "monitoring", "kps-prometheus", target]);
        const role = rec.ofType(T.role).find((r) => r.name === "workload-sidecar")!;
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        const access = JSON.parse(rec.one(T.rolePolicy).inputs.policy);
        assert.deepEqual(access.Statement[0].Resource, target);
        const values = rec.one(T.release).inputs.values;
        assert.deepEqual(values.prometheus.serviceAccount.annotations, {});
        // With logging: Fluent Bit gets its own association, and no IRSA annotation either.
        const { rec: withLogs } = await build(args({ identity: { kind: "pod-identity", clusterName: "customer-eu-1" } }));
        assert.deepEqual(withLogs.ofType(T.podIdentity).map((a) => [a.inputs.namespace, a.inputs.serviceAccount, a.inputs.targetRoleArn]).sort(), [["logging", "fluent-bit", undefined], ["monitoring", "kps-prometheus", undefined]]);
        const fb = withLogs.ofType(T.release).find((r) => r.inputs.chart === "fluent-bit")!;
        assert.deepEqual(fb.inputs.values.serviceAccount.annotations, {});
    });

    it("Fluent Bit ships to the configured domain with cluster_id, through LoggingPipeline's config builder; the role may only write to that domain", async () => {
        const { rec } = await build(args());
        const fb = rec.ofType(T.release).find((r) => r.inputs.chart === "fluent-bit")!;
        const config = YAML.parse(Object.values(fb.inputs.values.config.extraFiles as Record<string, string>)[0]);
        const output = config.pipeline.outputs.find((o: any) => o.name === "opensearch");
        assert.equal(output.host, ENDPOINT);
        assert.equal(output.aws_region, "eu-west-1");
        assert.match(JSON.stringify(config.pipeline.filters), /"cluster_id k3x7a9p2m4q8r1t5w6y0z2b4c6"|cluster_id/);
        assert.match(JSON.stringify(config.pipeline.filters), /k3x7a9p2m4q8r1t5w6y0z2b4c6/);
        assert.match(fb.inputs.values.serviceAccount.annotations["eks.amazonaws.com/role-arn"], /^arn:aws:iam::/);
        const policy = JSON.parse(rec.ofType(T.rolePolicy).find((r) => r.name === "workload-fluent-bit-access")!.inputs.policy);
        assert.deepEqual(policy.Statement[0].Resource, `${DOMAIN_ARN}/*`);
    });

    it("scrapes Mattermost installations on 8067 in every namespace (not the Services the newer operator scrapes itself)", async () => {
        const { rec } = await build(args());
        const sm = rec.one(T.sm).inputs;
        assert.deepEqual(sm.spec.endpoints, [{ targetPort: 8067, path: "/metrics", interval: "30s" }]);
        assert.deepEqual(sm.spec.namespaceSelector, { any: true });
        assert.deepEqual(sm.spec.selector.matchLabels, { app: "mattermost" });
        const { rec: off } = await build(args({ scrapeMattermost: false }));
        assert.equal(off.ofType(T.sm).length, 0);
    });

    it("writes the records with the provider from the resource options (a zone in another account)", async () => {
        const { rec } = await build(args(), true);
        for (const r of rec.ofType(T.record)) assert.match(r.provider, /pulumi:providers:aws::dns-account::/, r.provider);
        const { rec: same } = await build(args());
        for (const r of same.ofType(T.record)) assert.match(r.provider, /pulumi:providers:aws::aws::/, r.provider);
    });

    it("refuses bad args before any child, naming the field", async () => {
        const rec = await setupPulumi();
        const refused = (a: unknown) => {
            try {
                new WorkloadClusterMonitoring("bad", a as WorkloadClusterMonitoringArgs);
            } catch (e) {
                assert.ok(e instanceof InvalidArgsError, String(e));
                return e.message;
            }
            assert.fail("expected a refusal");
        };
        assert.match(refused(args({ clusterId: "Cluster_1" })), /clusterId: expected a cluster ID that is a DNS label/);
        assert.match(refused(args({ allowedCidrs: ["0.0.0.0/0"] })), /allowedCidrs\[0\]: expected a private IPv4 CIDR block/);
        assert.match(refused(args({ identity: { kind: "irsa" } })), /identity\.oidcProviderArn: expected the cluster's IAM OIDC provider ARN \(required with kind irsa\)/);
        assert.match(refused(args({ identity: { kind: "pod-identity" } })), /identity\.clusterName: expected the EKS cluster's name/);
        assert.match(refused(args({ identity: { kind: "irsa", oidcProviderArn: OIDC_ARN, oidcProviderUrl: OIDC_URL, targetRoleArn: "arn:aws:iam::210987654321:role/x" } })), /identity\.targetRoleArn: expected nothing with kind irsa/);
        assert.match(refused(args({ mode: "federation" })), /mode: expected the federation mode of the C&C/);
        await settle();
        assert.deepEqual(rec.resources, []);
    });
});
