// ThanosFederation under Pulumi mocks: what is registered, with which inputs and options.
import { strict as assert } from "assert";
import * as YAML from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { EMPTY_SINCE_ANNOTATION, FEDERATION_TARGETS, LEAF_QUERY_TARGETS, PROBE_TARGETS, THANOS_ENDPOINTS, renderFileSd, renderThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import { InvalidArgsError, renderProblem } from "../../components/common/errors";
import { argsProblems } from "../../components/common/schema";
import { versions } from "../../components/common/versions";
import { ThanosFederation } from "../../components/thanos-federation";
import { grafanaCloudWatchPolicy } from "../../components/thanos-federation/plan";
import { ALERT_WEBHOOK_SECRET, GRAFANA_OIDC_SECRET, DEAD_MANS_SWITCH_SECRET, renderAlertmanagerConfig } from "../../components/thanos-federation/render";
import { DEAD_MANS_SWITCH_NEEDS_WEBHOOK, RETENTION_RAW_EXPECTED, RETENTION_5M_EXPECTED, thanosFederationSchema } from "../../components/thanos-federation/schema";
import { RecordedResource, Recorder, isSecret, settle, valueOf } from "../support/pulumi-harness";
import { OIDC_ARN, devArgs, prodArgs, setupThanosPulumi } from "../support/thanos-harness";

const T = {
    key: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    release: "kubernetes:helm.sh/v3:Release",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
};

const PASSWORD = "mock-generated-password-0123456789";

async function build(args = devArgs(), name = "mon") {
    const h = await setupThanosPulumi({
        state: (a) => (a.type === "random:index/randomPassword:RandomPassword" ? { result: PASSWORD } : undefined),
    });
    const component = new ThanosFederation(name, args, h.opts);
    await settle();
    return { ...h, component };
}

/** The recorded workload (Deployment or StatefulSet) whose metadata.name is `n`. */
function workload(rec: Recorder, n: string): RecordedResource {
    const found = [...rec.ofType(T.deployment), ...rec.ofType(T.statefulSet)].filter((r) => r.inputs.metadata?.name === n);
    assert.equal(found.length, 1, `one workload named ${n}`);
    return found[0];
}

/** A recorded Secret's stringData (the harness unwraps secrets; secretInputs keeps the mark). */
function stringData(rec: Recorder, n: string): Record<string, string> {
    return byMetadataName(rec, T.secret, n).inputs.stringData;
}

function byMetadataName(rec: Recorder, type: string, n: string): RecordedResource {
    const found = rec.ofType(type).filter((r) => r.inputs.metadata?.name === n);
    assert.equal(found.length, 1, `one ${type} named ${n}`);
    return found[0];
}

function containers(r: RecordedResource): any[] {
    return r.inputs.spec.template.spec.containers;
}

function kpsValues(rec: Recorder): any {
    return rec.one(T.release).inputs.values;
}

describe("ThanosFederation (mocks)", () => {
    it("creates the metrics bucket SSE-KMS (own rotating key), private, TLS-only, owner-enforced, with a multipart lifecycle and no versioning", async () => {
        const { rec } = await build();
        const bucket = rec.one(T.bucket);
        assert.equal(bucket.inputs.bucket, "cloud-dev-prometheus-metrics");
        assert.equal(bucket.inputs.region, "eu-west-1");
        const key = rec.one(T.key);
        assert.equal(key.inputs.enableKeyRotation, true);

        const sse = rec.one(T.sse).inputs.rules[0];
        assert.equal(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId, key.state.arn);
        assert.equal(sse.bucketKeyEnabled, true);

        const pab = rec.one(T.publicAccess).inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab[flag], true, flag);
        assert.equal(rec.one(T.ownership).inputs.rule.objectOwnership, "BucketOwnerEnforced");

        const policy = JSON.parse(rec.one(T.policy).inputs.policy);
        assert.deepEqual(policy.Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: ["arn:aws:s3:::cloud-dev-prometheus-metrics", "arn:aws:s3:::cloud-dev-prometheus-metrics/*"],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
        const rules = rec.one(T.lifecycle).inputs.rules;
        assert.equal(rules.length, 1);
        assert.equal(rules[0].status, "Enabled");
        assert.equal(rules[0].abortIncompleteMultipartUpload.daysAfterInitiation, 7);
        assert.equal(rules[0].expiration, undefined, "the compactor owns retention, not a lifecycle expiration");
        assert.equal(rec.ofType("aws:s3/bucketVersioning:BucketVersioning").length, 0);
        // Every bucket setting targets this bucket in the configured region.
        for (const t of [T.sse, T.publicAccess, T.ownership, T.policy, T.lifecycle]) {
            assert.equal(rec.one(t).inputs.bucket, "mon-metrics-id", t); // the bucket resource id the mock assigns
            assert.equal(rec.one(t).inputs.region, "eu-west-1", t);
        }
        assert.equal(bucket.protect, false);
    });

    it("protects and retains the bucket and key with deletionProtection; bucketName and bucketRegion are honoured", async () => {
        const { rec, component } = await build(prodArgs({ bucketName: "fleet-metrics-prod", bucketRegion: "us-west-2" }));
        for (const t of [T.bucket, T.key]) {
            assert.equal(rec.one(t).protect, true, t);
            assert.equal(rec.one(t).retainOnDelete, true, t);
        }
        assert.equal(rec.one(T.bucket).inputs.region, "us-west-2");
        // SSE-KMS needs the key in the bucket's region, whatever the stack's region.
        assert.equal(rec.one(T.key).inputs.region, "us-west-2");
        assert.equal(rec.one("aws:kms/alias:Alias").inputs.region, "us-west-2");
        assert.equal(await valueOf(component.metricsBucketName), "fleet-metrics-prod");
        const objstore = YAML.parse(stringData(rec, "thanos-objstore")["objstore.yml"]);
        assert.deepEqual(objstore.config.region, "us-west-2");
        assert.equal(objstore.config.endpoint, "s3.us-west-2.amazonaws.com");
        assert.equal(objstore.config.bucket, "fleet-metrics-prod");
    });

    it("IRSA: four bucket roles and Grafana's CloudWatch role, each assumable only by its exact service account, with exactly its actions", async () => {
        const { rec } = await build();
        const roles = rec.ofType(T.role);
        assert.deepEqual(roles.map((r) => r.name).sort(), ["mon-irsa-compactor", "mon-irsa-grafana", "mon-irsa-prometheus", "mon-irsa-ruler", "mon-irsa-store"]);
        const expectedSa: Record<string, string> = { prometheus: "kps-prometheus", store: "thanos-store", compactor: "thanos-compactor", ruler: "thanos-ruler", grafana: "kps-grafana" };
        const host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        for (const role of roles) {
            const which = role.name.replace("mon-irsa-", "");
            const trust = JSON.parse(role.inputs.assumeRolePolicy);
            assert.equal(trust.Statement.length, 1);
            assert.equal(trust.Statement[0].Principal.Federated, OIDC_ARN);
            assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
                [`${host}:sub`]: `system:serviceaccount:monitoring:${expectedSa[which]}`,
                [`${host}:aud`]: "sts.amazonaws.com",
            });
        }
        const actions = (which: string) => {
            const doc = JSON.parse(rec.one(T.rolePolicy, `mon-irsa-${which}-bucket`).inputs.policy);
            return Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, { actions: s.Action, resource: s.Resource }]));
        };
        const bucketArn = "arn:aws:s3:::cloud-dev-prometheus-metrics";
        const keyArn = rec.one(T.key).state.arn;
        assert.deepEqual(actions("store"), {
            ListMetricsBucket: { actions: ["s3:ListBucket"], resource: bucketArn },
            MetricsObjects: { actions: ["s3:GetObject"], resource: `${bucketArn}/*` },
            MetricsKey: { actions: ["kms:Decrypt"], resource: keyArn },
        });
        assert.deepEqual(actions("compactor").MetricsObjects.actions, ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
        for (const writer of ["prometheus", "ruler"]) {
            assert.deepEqual(actions(writer).MetricsObjects.actions, ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], writer);
            assert.deepEqual(actions(writer).MetricsKey.actions, ["kms:Decrypt", "kms:GenerateDataKey"], writer);
        }
        // The service accounts carry their role; the ones that do not touch the bucket carry none.
        const roleArn = (which: string) => rec.one(T.role, `mon-irsa-${which}`).state.arn;
        for (const sa of ["thanos-store", "thanos-compactor", "thanos-ruler"]) {
            const which = sa.replace("thanos-", "");
            assert.equal(byMetadataName(rec, T.serviceAccount, sa).inputs.metadata.annotations["eks.amazonaws.com/role-arn"], roleArn(which), sa);
        }
        assert.equal(byMetadataName(rec, T.serviceAccount, "thanos-query").inputs.metadata.annotations, undefined);
        assert.equal(kpsValues(rec).prometheus.serviceAccount.name, "kps-prometheus");
        assert.equal(kpsValues(rec).prometheus.serviceAccount.annotations["eks.amazonaws.com/role-arn"], roleArn("prometheus"));
        // Grafana: the chart's service account (named as the trust names it) carries the CloudWatch role,
        // whose one inline policy reads CloudWatch and nothing else (no bucket, no write).
        assert.deepEqual(kpsValues(rec).grafana.serviceAccount, { create: true, name: "kps-grafana", annotations: { "eks.amazonaws.com/role-arn": roleArn("grafana") } });
        assert.deepEqual(rec.ofType(T.rolePolicy).filter((p) => p.name.startsWith("mon-irsa-grafana")).map((p) => p.name), ["mon-irsa-grafana-cloudwatch"]);
        const cloudwatch = JSON.parse(rec.one(T.rolePolicy, "mon-irsa-grafana-cloudwatch").inputs.policy);
        assert.deepEqual(cloudwatch, grafanaCloudWatchPolicy());
        const granted: string[] = cloudwatch.Statement.flatMap((st: any) => st.Action);
        assert.ok(cloudwatch.Statement.every((st: any) => st.Effect === "Allow"));
        for (const a of ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms", "ec2:DescribeRegions", "tag:GetResources", "logs:StartQuery"]) assert.ok(granted.includes(a), a);
        for (const a of granted) assert.match(a, /^(cloudwatch|logs|ec2|tag):(Describe|Get|List|StartQuery$|StopQuery$)/, `${a} is not a read`);
        // No keys anywhere in the objstore config.
        const objstore = stringData(rec, "thanos-objstore")["objstore.yml"];
        assert.doesNotMatch(objstore, /access_key|secret_key|session_token/);
        assert.equal(YAML.parse(objstore).config.sse_config.kms_key_id, keyArn);
    });

    it("mounts no Kubernetes API token in any Thanos or federation pod, IRSA users included (the webhook projects its own)", async () => {
        for (const mode of ["thanos", "prometheus-federation"] as const) {
            const { rec } = await build(devArgs({ federation: { mode, groups: 2 } }));
            const workloads = rec.resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet" || r.type === "kubernetes:apps/v1:Deployment");
            assert.ok(workloads.length >= (mode === "thanos" ? 4 : 3), `${mode}: ${workloads.length} workloads`);
            for (const w of workloads) assert.equal(w.inputs.spec.template.spec.automountServiceAccountToken, false, `${mode} ${w.inputs.metadata.name}`);
            for (const sa of rec.ofType(T.serviceAccount)) assert.equal(sa.inputs.automountServiceAccountToken, false, `${mode} ${sa.inputs.metadata.name}`);
        }
    });

    it("seeds the registrar's three ConfigMaps (the endpoints file with the in-cluster StoreAPIs only), ignores later changes to their data, and outputs their names", async () => {
        const { rec, component } = await build();
        const inCluster = [
            "dnssrv+_grpc._tcp.kps-thanos-discovery.monitoring.svc.cluster.local",
            "dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local",
            "dnssrv+_grpc._tcp.thanos-ruler.monitoring.svc.cluster.local",
        ];
        assert.deepEqual(await valueOf(component.inClusterEndpoints), inCluster);
        const seeded: [string, string, string][] = [
            [THANOS_ENDPOINTS.configMap, THANOS_ENDPOINTS.key, renderThanosEndpointConfig(inCluster)],
            [FEDERATION_TARGETS.configMap, FEDERATION_TARGETS.key, renderFileSd([])],
            [PROBE_TARGETS.configMap, PROBE_TARGETS.key, renderFileSd([])],
            [LEAF_QUERY_TARGETS.configMap, LEAF_QUERY_TARGETS.key, renderFileSd([])],
        ];
        for (const [cm, key, content] of seeded) {
            const r = byMetadataName(rec, T.configMap, cm);
            assert.equal(r.inputs.metadata.namespace, "monitoring");
            assert.deepEqual(r.inputs.data, { [key]: content });
            assert.deepEqual(r.ignoreChanges, ["data", `metadata.annotations["${EMPTY_SINCE_ANNOTATION}"]`], cm);
        }
        assert.equal(YAML.parse(renderThanosEndpointConfig([])).endpoints.length, 0);
        assert.equal(await valueOf(component.endpointsConfigMapName), THANOS_ENDPOINTS.configMap);
        assert.equal(await valueOf(component.federationTargetsConfigMapName), FEDERATION_TARGETS.configMap);
        assert.equal(await valueOf(component.probeTargetsConfigMapName), PROBE_TARGETS.configMap);
        assert.equal(await valueOf(component.leafQueryTargetsConfigMapName), LEAF_QUERY_TARGETS.configMap);
        // Our own ConfigMaps are fully managed.
        assert.deepEqual(rec.one(T.configMap, "mon-ruler-rules").ignoreChanges, []);
    });

    it("Query reads workload clusters only from the mounted SD file (reload every 5s), has no static workload endpoints and no checksum of the SD ConfigMap", async () => {
        const { rec } = await build();
        const query = workload(rec, "thanos-query");
        const [container] = containers(query);
        const args: string[] = container.args;
        assert.ok(args.includes(`--endpoint.sd-config-file=/etc/thanos/endpoints/${THANOS_ENDPOINTS.key}`));
        const reload = args.find((a) => a.startsWith("--endpoint.sd-config-reload-interval="));
        assert.equal(reload, "--endpoint.sd-config-reload-interval=5s");
        // Mounted as a directory (no subPath: subPath mounts never see ConfigMap updates).
        const mount = container.volumeMounts.find((m: any) => m.mountPath === "/etc/thanos/endpoints");
        assert.equal(mount.subPath, undefined);
        const volume = query.inputs.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
        assert.equal(volume.configMap.name, THANOS_ENDPOINTS.configMap);
        // No static endpoint flag at all (deprecated in v0.42): the C&C's own services are entries of the file.
        assert.deepEqual(args.filter((a) => a.startsWith("--endpoint=")), []);
        assert.ok(args.includes("--query.partial-response"));
        assert.ok(args.includes("--store.response-timeout=30s"));
        assert.ok(args.includes("--query.replica-label=prometheus_replica"));
        // No pod annotation reacts to the SD ConfigMap: its changes never restart Query.
        assert.deepEqual(query.inputs.spec.template.metadata.annotations ?? {}, {});
        const endpointsDigestish = JSON.stringify(query.inputs.spec.template.metadata);
        assert.doesNotMatch(endpointsDigestish, /checksum/);
    });

    it("compactor: one StatefulSet with a PVC, retention flags from args, downsampling left on", async () => {
        const { rec } = await build(devArgs({ thanos: { compactor: { retentionRaw: "14d", retention5m: "60d", retention1h: "2y", storageSize: "250Gi" } } }));
        const compactor = workload(rec, "thanos-compactor");
        assert.equal(compactor.type, T.statefulSet);
        assert.equal(compactor.inputs.spec.replicas, 1);
        assert.equal(compactor.inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "250Gi");
        assert.equal(compactor.inputs.spec.volumeClaimTemplates[0].spec.storageClassName, "gp3");
        const args: string[] = containers(compactor)[0].args;
        assert.equal(args[0], "compact");
        for (const flag of ["--wait", "--retention.resolution-raw=14d", "--retention.resolution-5m=60d", "--retention.resolution-1h=2y", "--objstore.config-file=/etc/thanos/objstore/objstore.yml"]) {
            assert.ok(args.includes(flag), flag);
        }
        assert.ok(!args.some((a) => a.includes("downsampling.disable")));
        assert.equal(rec.ofType(T.pdb).filter((p) => p.inputs.metadata.name === "thanos-compactor").length, 0);
    });

    it("rejects a retention that deletes data before it is downsampled, before creating any child, with the exact message", async () => {
        const h = await setupThanosPulumi();
        const before = h.rec.resources.length;
        assert.throws(
            () => new ThanosFederation("bad", devArgs({ thanos: { compactor: { retentionRaw: "2d", retention5m: "10d" } } }), h.opts),
            (e: unknown) => {
                assert.ok(e instanceof InvalidArgsError);
                assert.equal(
                    e.message,
                    "ThanosFederation bad: 2 invalid settings:\n" +
                        `  - thanos.compactor.retentionRaw: expected ${RETENTION_RAW_EXPECTED}, found "2d"\n` +
                        `  - thanos.compactor.retention5m: expected ${RETENTION_5M_EXPECTED}, found "10d"`,
                );
                return true;
            },
        );
        await settle();
        const children = h.rec.resources.slice(before).filter((r) => r.type !== "cloud-cnc:index:ThanosFederation" && r.type !== "pulumi:providers:aws" && r.type !== "pulumi:providers:kubernetes");
        assert.deepEqual(children, []);
    });

    for (const [label, args] of [
        ["thanos mode, prod, with the Query Frontend", prodArgs({ thanos: { queryFrontend: { enabled: true } } })],
        ["prometheus-federation mode with 2 groups", devArgs({ federation: { mode: "prometheus-federation", groups: 2 } })],
    ] as const) {
        it(`${label}: every image is pinned (no latest), every container has requests/limits, probes and a locked-down securityContext`, async () => {
            const { rec } = await build(args);
            const workloads = [...rec.ofType(T.deployment), ...rec.ofType(T.statefulSet)];
            assert.ok(workloads.length >= 5);
            let seen = 0;
            for (const w of workloads) {
                const pod = w.inputs.spec.template.spec;
                assert.equal(pod.securityContext.runAsNonRoot, true, w.name);
                assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault", w.name);
                for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
                    seen++;
                    const where = `${w.inputs.metadata.name}/${c.name}`;
                    assert.match(c.image, /^[a-z0-9.\-/]+:v\d+\.\d+\.\d+$/, where);
                    assert.doesNotMatch(c.image, /latest/, where);
                    assert.ok(Object.values(versions.thanosFederation).includes(c.image), `${where} uses a versions.ts pin`);
                    for (const kind of ["requests", "limits"]) {
                        assert.ok(c.resources[kind].cpu, `${where} ${kind}.cpu`);
                        assert.ok(c.resources[kind].memory, `${where} ${kind}.memory`);
                    }
                    assert.equal(c.readinessProbe.httpGet.path, "/-/ready", where);
                    assert.equal(c.livenessProbe.httpGet.path, "/-/healthy", where);
                    assert.ok(c.ports.some((p: any) => p.name === c.readinessProbe.httpGet.port), `${where} probes a declared port`);
                    assert.deepEqual(c.securityContext, {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        runAsNonRoot: true,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    }, where);
                }
            }
            assert.ok(seen >= workloads.length);
            // The chart: pinned version, and no `latest` anywhere in the values we pass.
            const release = rec.one(T.release);
            assert.equal(release.inputs.version, versions.thanosFederation.kubePrometheusStack.version);
            assert.doesNotMatch(JSON.stringify(release.inputs.values), /latest/);
            assert.equal(kpsValues(rec).prometheus.prometheusSpec.thanos.image, versions.thanosFederation.thanosImage);
        });
    }

    it("prod: HA Query and Ruler spread by anti-affinity with PodDisruptionBudgets; dev: single replicas and no PDBs", async () => {
        const prod = await build(prodArgs());
        for (const n of ["thanos-query", "thanos-ruler"]) {
            const w = workload(prod.rec, n);
            assert.equal(w.inputs.spec.replicas, 2, n);
            const anti = w.inputs.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
            assert.equal(anti[0].podAffinityTerm.topologyKey, "kubernetes.io/hostname", n);
            const pdb = byMetadataName(prod.rec, T.pdb, n);
            assert.equal(pdb.inputs.spec.minAvailable, 1);
            assert.deepEqual(pdb.inputs.spec.selector.matchLabels, w.inputs.spec.selector.matchLabels);
        }
        const values = kpsValues(prod.rec);
        assert.equal(values.prometheus.prometheusSpec.replicas, 2);
        assert.equal(values.prometheus.podDisruptionBudget.enabled, true);
        assert.equal(values.alertmanager.alertmanagerSpec.replicas, 3);
        assert.equal(values.alertmanager.podDisruptionBudget.enabled, true);

        const dev = await build(devArgs());
        assert.equal(workload(dev.rec, "thanos-query").inputs.spec.replicas, 1);
        assert.equal(workload(dev.rec, "thanos-query").inputs.spec.template.spec.affinity, undefined);
        assert.equal(dev.rec.ofType(T.pdb).length, 0);
        assert.equal(kpsValues(dev.rec).alertmanager.alertmanagerSpec.replicas, 1);
    });

    it("routes alerts to the webhook from a Secret only: the URL is secret and never in the chart values", async () => {
        const url = "https://chat.example.com/hooks/unit-test-webhook";
        const { rec } = await build(devArgs({ alertWebhookUrl: url }));
        const secret = rec.ofType("kubernetes:core/v1:Secret").find((x) => x.inputs.metadata?.name === ALERT_WEBHOOK_SECRET.name)!;
        assert.equal(secret.inputs.stringData[ALERT_WEBHOOK_SECRET.key], url);
        assert.ok(secret.secretInputs.includes("stringData"), "the webhook URL must stay secret");
        const release = rec.one(T.release);
        assert.ok(!JSON.stringify(release.inputs.values).includes(url), "the URL leaked into the chart values");
        assert.deepEqual(release.inputs.values.alertmanager.config, renderAlertmanagerConfig());
        assert.deepEqual(release.inputs.values.alertmanager.alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name]);
        assert.ok(release.dependencies.includes(secret.urn), "the release must wait for the webhook Secret");

        const { rec: without } = await build(devArgs());
        assert.equal(without.ofType("kubernetes:core/v1:Secret").some((x) => x.inputs.metadata?.name === ALERT_WEBHOOK_SECRET.name), false);
        assert.equal(without.one(T.release).inputs.values.alertmanager.config, undefined);
    });

    it("dead man's switch: the heartbeat URL lives only in its own secret Secret, mounted into Alertmanager, and the Watchdog routes to it", async () => {
        const url = "https://hc-ping.com/0d3c4e2a-0000-4000-8000-000000000000";
        const { rec } = await build(devArgs({ alertWebhookUrl: "https://chat.example.com/hooks/x", deadMansSwitchUrl: url }));
        const secret = byMetadataName(rec, T.secret, DEAD_MANS_SWITCH_SECRET.name);
        assert.deepEqual(secret.inputs.stringData, { [DEAD_MANS_SWITCH_SECRET.key]: url });
        assert.ok(secret.secretInputs.includes("stringData"), "the heartbeat URL must stay secret");
        const release = rec.one(T.release);
        assert.ok(!JSON.stringify(release.inputs.values).includes(url), "the URL leaked into the chart values");
        assert.deepEqual(release.inputs.values.alertmanager.alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name, DEAD_MANS_SWITCH_SECRET.name]);
        assert.deepEqual(release.inputs.values.alertmanager.config, renderAlertmanagerConfig({ deadMansSwitch: true }));
        assert.equal(release.inputs.values.alertmanager.config.route.routes[0].receiver, "deadmansswitch");
        assert.ok(release.dependencies.includes(secret.urn), "the release must wait for the heartbeat Secret");
        // Without it: no Secret, no heartbeat receiver.
        const { rec: without } = await build(devArgs({ alertWebhookUrl: "https://chat.example.com/hooks/x" }));
        assert.equal(without.ofType(T.secret).some((x) => x.inputs.metadata?.name === DEAD_MANS_SWITCH_SECRET.name), false);
        assert.deepEqual(kpsValues(without).alertmanager.alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name]);
        assert.equal(JSON.stringify(kpsValues(without).alertmanager.config).includes("deadmansswitch"), false);
    });

    it("Grafana's sign-in: the OIDC client secret lives only in the secret Secret grafana-oidc, read from the environment; the release waits for it", async () => {
        const clientSecret = "oidc-unit-test-secret-Q7";
        const sso = {
            rootUrl: "https://grafana.apps.dev.cnc.internal/",
            issuer: "https://idp.example.com",
            authorizationEndpoint: "https://idp.example.com/authorize",
            tokenEndpoint: "https://idp.example.com/token",
            userInfoEndpoint: "https://idp.example.com/userinfo",
            clientId: "cloud-cnc",
            adminGroups: ["platform-admins"],
        };
        const { rec } = await build(devArgs({ grafana: { sso }, grafanaOidcClientSecret: pulumi.secret(clientSecret) }));
        const secret = byMetadataName(rec, T.secret, GRAFANA_OIDC_SECRET.name);
        assert.deepEqual(secret.inputs.stringData, { [GRAFANA_OIDC_SECRET.key]: clientSecret });
        assert.ok(secret.secretInputs.includes("stringData"), "the client secret must stay secret");
        const release = rec.one(T.release);
        assert.ok(!JSON.stringify(release.inputs.values).includes(clientSecret), "the client secret leaked into the chart values");
        assert.equal(release.inputs.values.grafana["grafana.ini"]["auth.generic_oauth"].client_id, "cloud-cnc");
        assert.ok(release.dependencies.includes(secret.urn), "the release must wait for the grafana-oidc Secret");
        const { rec: without } = await build(devArgs());
        assert.equal(without.ofType(T.secret).some((x) => x.inputs.metadata?.name === GRAFANA_OIDC_SECRET.name), false);
        assert.throws(() => new ThanosFederation("bad", devArgs({ grafana: { sso } })), /grafanaOidcClientSecret: expected a pulumi secret with the OIDC client secret/);
    });

    it("refuses a dead man's switch without the alert webhook before creating any child, without echoing the URL", async () => {
        const url = "https://hc-ping.com/0d3c4e2a-0000-4000-8000-000000000000";
        const h = await setupThanosPulumi();
        const before = h.rec.resources.length;
        assert.throws(
            () => new ThanosFederation("bad", devArgs({ deadMansSwitchUrl: url }), h.opts),
            (e: unknown) => {
                assert.ok(e instanceof InvalidArgsError);
                assert.equal(e.message, `ThanosFederation bad: 1 invalid setting:\n  - alertWebhookUrl: expected ${DEAD_MANS_SWITCH_NEEDS_WEBHOOK}, found nothing`);
                return true;
            },
        );
        await settle();
        const children = h.rec.resources.slice(before).filter((r) => r.type !== "cloud-cnc:index:ThanosFederation" && r.type !== "pulumi:providers:aws" && r.type !== "pulumi:providers:kubernetes");
        assert.deepEqual(children, []);
    });

    it("mounts the configured ConfigMaps into the C&C Prometheus; the release waits for the ones this component seeds", async () => {
        const { rec } = await build(devArgs({ prometheus: { configMaps: ["thanos-query-targets", PROBE_TARGETS.configMap] } }));
        const release = rec.one(T.release);
        assert.deepEqual(release.inputs.values.prometheus.prometheusSpec.configMaps, ["thanos-query-targets", PROBE_TARGETS.configMap]);
        assert.ok(release.dependencies.includes(byMetadataName(rec, T.configMap, PROBE_TARGETS.configMap).urn), "the release must wait for the seeded probe targets");
        assert.ok(!release.dependencies.includes(byMetadataName(rec, T.configMap, FEDERATION_TARGETS.configMap).urn), "not mounted, not waited for");
        const { rec: plain } = await build();
        assert.deepEqual(kpsValues(plain).prometheus.prometheusSpec.configMaps, []);
    });

    it("kube-prometheus-stack: pinned chart, sidecar shipping 2h blocks to the bucket, clusterID and replica labels, retention, PVC, Grafana on Thanos with a generated secret password", async () => {
        const { rec, component } = await build(devArgs({ prometheus: { retention: "10d", storageSize: "200Gi" }, grafana: { storageSize: "20Gi" } }));
        const release = rec.one(T.release);
        const chart = versions.thanosFederation.kubePrometheusStack;
        assert.equal(release.inputs.chart, chart.chart);
        assert.equal(release.inputs.version, chart.version);
        assert.equal(release.inputs.repositoryOpts.repo, "https://prometheus-community.github.io/helm-charts");
        assert.equal(release.inputs.namespace, "monitoring");
        const v = kpsValues(rec);
        const spec = v.prometheus.prometheusSpec;
        assert.deepEqual(spec.externalLabels, { clusterID: "cloud-dev-cnc" });
        assert.equal(spec.replicaExternalLabelName, "prometheus_replica");
        assert.equal(spec.retention, "10d");
        assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "200Gi");
        assert.ok(spec.resources.requests.memory && spec.resources.limits.memory);
        assert.equal(spec.disableCompaction, true);
        assert.equal(spec.thanos.blockSize, "2h");
        assert.deepEqual(spec.thanos.objectStorageConfig, { existingSecret: { name: "thanos-objstore", key: "objstore.yml" } });
        assert.equal(v.prometheus.thanosService.enabled, true);
        assert.equal(v.nodeExporter.enabled, true);
        assert.equal(v.kubeStateMetrics.enabled, true);
        // Grafana: Thanos Query is the default datasource; the admin password comes from our Secret.
        const ds = v.grafana.additionalDataSources;
        assert.deepEqual(ds.map((d: any) => [d.uid, d.type, d.isDefault]), [["thanos", "prometheus", true], ["cloudwatch", "cloudwatch", false]]);
        assert.deepEqual(ds[1].jsonData, { authType: "default", defaultRegion: "eu-west-1" });
        assert.equal(ds[1].secureJsonData, undefined, "no keys: the SDK default chain uses the IRSA web identity");
        assert.equal(ds[0].isDefault, true);
        assert.equal(ds[0].url, "http://thanos-query.monitoring.svc:9090");
        assert.equal(v.grafana.sidecar.datasources.isDefaultDatasource, false);
        assert.deepEqual(v.grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
        assert.equal(v.grafana.persistence.enabled, true);
        assert.equal(v.grafana.persistence.size, "20Gi");
        assert.equal(v.grafana.sidecar.dashboards.label, "grafana_dashboard");
        const adminSecret = byMetadataName(rec, T.secret, "grafana-admin");
        assert.equal(stringData(rec, "grafana-admin")["admin-password"], PASSWORD);
        assert.ok(adminSecret.secretInputs.includes("stringData"), "the password is registered as a secret input");
        assert.equal(await isSecret(component.grafanaAdminPassword), true);
        assert.equal(await valueOf(component.grafanaAdminPassword), PASSWORD);
        assert.equal(JSON.stringify(v).includes(PASSWORD), false, "the password is not in the chart values");
        // The release waits for the secrets it references.
        for (const n of ["thanos-objstore", "grafana-admin"]) assert.ok(release.dependencies.includes(byMetadataName(rec, T.secret, n).urn), n);
    });

    it("outputs in-cluster URLs; with the Query Frontend the query URL and Grafana go through it", async () => {
        const plain = await build();
        assert.equal(await valueOf(plain.component.queryUrl), "http://thanos-query.monitoring.svc:9090");
        assert.equal(await valueOf(plain.component.grafanaUrl), "http://kps-grafana.monitoring.svc:80");
        assert.equal(await valueOf(plain.component.alertmanagerUrl), "http://kps-alertmanager.monitoring.svc:9093");
        assert.equal(await valueOf(plain.component.namespace), "monitoring");
        assert.equal(await valueOf(plain.component.queryGrpcServiceName), "thanos-query-grpc");
        assert.equal(await valueOf(plain.component.metricsBucketArn), "arn:aws:s3:::cloud-dev-prometheus-metrics");
        const grpcSvc = byMetadataName(plain.rec, T.service, "thanos-query-grpc");
        assert.deepEqual(grpcSvc.inputs.spec.ports.map((p: any) => [p.name, p.port]), [["grpc", 10901]]);
        assert.equal(plain.rec.ofType(T.deployment).filter((d) => d.inputs.metadata.name === "thanos-query-frontend").length, 0);

        const fe = await build(devArgs({ thanos: { queryFrontend: { enabled: true, cacheSizeMb: 128 } } }));
        assert.equal(await valueOf(fe.component.queryUrl), "http://thanos-query-frontend.monitoring.svc:9090");
        assert.equal(kpsValues(fe.rec).grafana.additionalDataSources[0].url, "http://thanos-query-frontend.monitoring.svc:9090");
        const args: string[] = containers(workload(fe.rec, "thanos-query-frontend"))[0].args;
        assert.ok(args.includes("--query-frontend.downstream-url=http://thanos-query.monitoring.svc:9090"));
        const cache = args.find((a) => a.startsWith("--query-range.response-cache-config="))!.split("=").slice(1).join("=");
        assert.deepEqual(YAML.parse(cache), { type: "IN-MEMORY", config: { max_size: "128MB" } });
    });

    it("ServiceMonitors for every Thanos component, created after the chart's CRDs", async () => {
        const { rec } = await build(devArgs({ thanos: { queryFrontend: { enabled: true } } }));
        const monitors = rec.ofType(T.serviceMonitor);
        assert.deepEqual(monitors.map((m) => m.inputs.metadata.name).sort(), ["thanos-compactor", "thanos-query", "thanos-query-frontend", "thanos-ruler", "thanos-store"]);
        const kps = rec.one(T.release);
        for (const m of monitors) {
            assert.ok(m.dependencies.includes(kps.urn), m.name);
            const svc = byMetadataName(rec, T.service, m.inputs.metadata.name);
            assert.deepEqual(m.inputs.spec.selector.matchLabels, svc.inputs.spec.selector);
            assert.ok(svc.inputs.spec.ports.some((p: any) => p.name === m.inputs.spec.endpoints[0].port));
        }
    });

    it("Store Gateway sizes its index cache from args; Ruler sends to every Alertmanager, queries through Query and loads its rule ConfigMaps", async () => {
        const { rec } = await build(devArgs({ thanos: { store: { indexCacheSizeMb: 1024 }, ruler: { ruleConfigMaps: ["fleet-alerts"] } } }));
        const storeArgs: string[] = containers(workload(rec, "thanos-store"))[0].args;
        const cache = storeArgs.find((a) => a.startsWith("--index-cache.config="))!.slice("--index-cache.config=".length);
        assert.deepEqual(YAML.parse(cache), { type: "IN-MEMORY", config: { max_size: "1024MB" } });
        const ruler = workload(rec, "thanos-ruler");
        const args: string[] = containers(ruler)[0].args;
        assert.ok(args.includes("--query=thanos-query.monitoring.svc:9090"));
        assert.ok(args.includes("--alertmanagers.url=dnssrv+http://_http-web._tcp.alertmanager-operated.monitoring.svc.cluster.local"));
        // The Ruler's own external label is not clusterID (Thanos overwrites alert and series labels with it).
        assert.ok(args.includes('--label=rule_cluster="cloud-dev-cnc"'));
        assert.ok(!args.some((a) => a.startsWith("--label=clusterID=")), args.join(" "));
        assert.ok(args.includes('--label=rule_replica="$(POD_NAME)"'));
        assert.ok(args.includes("--alert.label-drop=rule_replica"));
        const volumes = ruler.inputs.spec.template.spec.volumes;
        assert.deepEqual(volumes.find((v: any) => v.configMap?.name === "fleet-alerts").configMap, { name: "fleet-alerts", optional: true });
        const rules = YAML.parse(byMetadataName(rec, T.configMap, "thanos-ruler-rules").inputs.data["fleet-federation.yaml"]);
        for (const g of rules.groups) assert.equal(g.partial_response_strategy, "warn");
        assert.match(ruler.inputs.spec.template.metadata.annotations["checksum/rules"], /^[0-9a-f]{64}$/);
    });

    it("writes extra rule files next to its own and rolls the Ruler when any of them changes; refuses a bad name or a file without groups", async () => {
        const file = (expr: string) => YAML.stringify({ groups: [{ name: "fleet", partial_response_strategy: "warn", rules: [{ alert: "X", expr }] }] });
        const checksum = async (ruleFiles?: Record<string, string>) => {
            const { rec } = await build(devArgs({ thanos: { ruler: { ...(ruleFiles ? { ruleFiles } : {}) } } }));
            const data = byMetadataName(rec, T.configMap, "thanos-ruler-rules").inputs.data;
            return { data, sum: workload(rec, "thanos-ruler").inputs.spec.template.metadata.annotations["checksum/rules"] as string };
        };
        const none = await checksum();
        const one = await checksum({ "fleet-alerts.yaml": file("vector(1)") });
        const other = await checksum({ "fleet-alerts.yaml": file("vector(2)") });
        assert.deepEqual(Object.keys(one.data).sort(), ["fleet-alerts.yaml", "fleet-federation.yaml"]);
        assert.equal(one.data["fleet-federation.yaml"], none.data["fleet-federation.yaml"]);
        assert.notEqual(one.sum, none.sum);
        assert.notEqual(other.sum, one.sum);
        const problems = argsProblems(thanosFederationSchema, devArgs({ thanos: { ruler: { ruleFiles: { "fleet-federation.yaml": file("1"), "Alerts.yml": file("1"), "ok.yaml": "alerts: []" } } } })).map(renderProblem);
        assert.equal(problems.length, 3, problems.join("\n"));
        assert.ok(problems.some((p) => p.includes('"fleet-federation.yaml"')));
        assert.ok(problems.some((p) => p.includes("a Prometheus rule file: YAML with a groups list")));
    });

    it("metaAlerts false drops the built-in Compactor/bucket alerts (covered elsewhere) and keeps the recording rule", async () => {
        const names = async (metaAlerts?: boolean) => {
            const { rec } = await build(devArgs({ thanos: { ruler: { ...(metaAlerts === undefined ? {} : { metaAlerts }) } } }));
            const file = YAML.parse(byMetadataName(rec, T.configMap, "thanos-ruler-rules").inputs.data["fleet-federation.yaml"]);
            return file.groups.flatMap((g: { rules: { alert?: string; record?: string }[] }) => g.rules.map((r) => r.alert ?? r.record));
        };
        assert.deepEqual(await names(), ["clusterID:up:count", "ThanosCompactHalted", "ThanosBucketOperationsFailing"]);
        assert.deepEqual(await names(true), await names());
        assert.deepEqual(await names(false), ["clusterID:up:count"]);
    });

    it("prometheus-federation mode: central federator (with a sidecar for Query) over N group federators reading the mounted targets file", async () => {
        const { rec } = await build(devArgs({ federation: { mode: "prometheus-federation", groups: 2, match: ['{__name__=~"job:.*"}'] } }));
        const central = workload(rec, "prometheus-federation");
        assert.deepEqual(containers(central).map((c) => c.name), ["prometheus", "thanos-sidecar"]);
        const targetsVolume = central.inputs.spec.template.spec.volumes.find((v: any) => v.configMap?.name === FEDERATION_TARGETS.configMap);
        assert.ok(targetsVolume);
        for (const i of [0, 1]) {
            const group = workload(rec, `prometheus-federation-group-${i}`);
            assert.deepEqual(containers(group).map((c) => c.name), ["prometheus"]);
            const config = YAML.parse(byMetadataName(rec, T.configMap, `prometheus-federation-group-${i}-config`).inputs.data["prometheus.yml"]);
            const job = config.scrape_configs[0];
            assert.equal(job.honor_labels, true);
            assert.equal(job.scrape_interval, "15s");
            assert.deepEqual(job.params["match[]"], ['{__name__=~"job:.*"}']);
            assert.deepEqual(job.file_sd_configs[0].files, [`/etc/prometheus/targets/${FEDERATION_TARGETS.key}`]);
            assert.deepEqual(job.relabel_configs[1], { action: "keep", regex: String(i), source_labels: ["__tmp_federation_shard"] });
            assert.equal(job.relabel_configs[0].modulus, 2);
            // The config ConfigMap (ours) rolls the pod; the targets ConfigMap (the registrar's) never does.
            assert.deepEqual(Object.keys(group.inputs.spec.template.metadata.annotations), ["checksum/config"]);
        }
        const centralConfig = YAML.parse(byMetadataName(rec, T.configMap, "prometheus-federation-config").inputs.data["prometheus.yml"]);
        assert.deepEqual(centralConfig.scrape_configs.map((j: any) => j.job_name), ["federate-groups", "federate-cnc"]);
        assert.deepEqual(centralConfig.scrape_configs[0].static_configs[0].targets, [
            "prometheus-federation-group-0.monitoring.svc:9090",
            "prometheus-federation-group-1.monitoring.svc:9090",
        ]);
        // Query reaches the central federator's sidecar through the endpoints file's static entries.
        const endpointsFile = YAML.parse(byMetadataName(rec, T.configMap, THANOS_ENDPOINTS.configMap).inputs.data[THANOS_ENDPOINTS.key]);
        assert.ok(endpointsFile.endpoints.some((e: any) => e.address === "dnssrv+_grpc._tcp.prometheus-federation.monitoring.svc.cluster.local"));
        // The central federator's Thanos sidecar is scraped too, on its own port.
        const centralSvc = byMetadataName(rec, "kubernetes:core/v1:Service", "prometheus-federation");
        assert.deepEqual(centralSvc.inputs.spec.ports.map((p: any) => p.name), ["http", "grpc", "sidecar-http"]);
        const centralMonitor = byMetadataName(rec, T.serviceMonitor, "prometheus-federation");
        assert.deepEqual(centralMonitor.inputs.spec.endpoints.map((e: any) => e.port), ["http", "sidecar-http"]);
        // Thanos mode has no federation servers at all.
        const thanos = await build(devArgs());
        assert.equal(thanos.rec.ofType(T.statefulSet).filter((s) => String(s.inputs.metadata.name).startsWith("prometheus-federation")).length, 0);
    });

    it("every child is parented to the component and named after it", async () => {
        const { rec } = await build(devArgs(), "fleet");
        const component = rec.one("cloud-cnc:index:ThanosFederation");
        const own = rec.resources.filter((r) => r.type !== "cloud-cnc:index:ThanosFederation" && !r.type.startsWith("pulumi:providers:"));
        assert.ok(own.length > 30);
        for (const r of own) assert.match(r.name, /^fleet-/, `${r.type} ${r.name}`);
        assert.deepEqual(own.filter((r) => r.parent !== component.urn).map((r) => `${r.type} ${r.name}`), []);
    });
});
