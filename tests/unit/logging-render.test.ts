// The Fluent Bit config builder and the OpenSearch documents, parsed back and checked (no mocks).
import { strict as assert } from "assert";
import * as YAML from "yaml";
import { versions } from "../../components/common/versions";
import {
    FLUENT_BIT_DEFAULTS,
    buildFluentBitConfig,
    fluentBitChartValues,
    renderDesiredState,
    renderFluentBitConfig,
    renderIndexTemplate,
    renderIsmPolicy,
    renderRoles,
} from "../../components/logging/render";

const ENDPOINT = "vpc-cloud-prod-logs-abcdefghij1234567890.eu-west-1.es.amazonaws.com";
const base = { endpoint: ENDPOINT, region: "eu-west-1", clusterId: "cloud-prod-cnc" };

/** Fluent Bit's path globbing for tail Path/Exclude_Path (`*` does not cross `/`). */
function glob(pattern: string): RegExp {
    return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
}

function parsed(options = {}) {
    return YAML.parse(renderFluentBitConfig({ ...base, ...options }));
}

describe("Fluent Bit config builder (parsed back)", () => {
    it("one opensearch output: SigV4, TLS verified, no _type, daily per-cluster indices, deterministic IDs, bounded retries, errors traced", () => {
        const config = parsed();
        assert.equal(config.pipeline.outputs.length, 1);
        const out = config.pipeline.outputs[0];
        assert.deepEqual(
            {
                name: out.name,
                match: out.match,
                host: out.host,
                port: out.port,
                tls: out.tls,
                "tls.verify": out["tls.verify"],
                aws_auth: out.aws_auth,
                aws_region: out.aws_region,
                suppress_type_name: out.suppress_type_name,
                logstash_format: out.logstash_format,
                logstash_prefix: out.logstash_prefix,
                logstash_dateformat: out.logstash_dateformat,
                generate_id: out.generate_id,
                retry_limit: out.retry_limit,
                trace_error: out.trace_error,
            },
            {
                name: "opensearch",
                match: "kube.*",
                host: ENDPOINT,
                port: 443,
                tls: "on",
                "tls.verify": "on",
                aws_auth: "on",
                aws_region: "eu-west-1",
                suppress_type_name: "on",
                logstash_format: "on",
                logstash_prefix: "logs-cloud-prod-cnc",
                logstash_dateformat: "%Y.%m.%d",
                generate_id: "on",
                retry_limit: 100,
                trace_error: "on",
            },
        );
        assert.equal(out.aws_role_arn, undefined);
        assert.equal(out.replace_dots, "on", "label keys with dots (app.kubernetes.io/name) do not break the mapping");
    });

    it("filesystem buffering end to end: service storage, input and multiline emitter on disk, output bounded by storage.total_limit_size", () => {
        const config = parsed();
        assert.equal(config.service["storage.path"], "/var/fluent-bit/state/flb-storage/");
        assert.equal(config.service["storage.sync"], "normal");
        assert.equal(config.service["storage.backlog.mem_limit"], "50M");
        const tail = config.pipeline.inputs[0];
        assert.equal(tail["storage.type"], "filesystem");
        assert.equal(tail.db, "/var/fluent-bit/state/flb_kube.db", "offsets next to the buffers, on the host");
        assert.equal(config.pipeline.filters.find((f: any) => f.name === "multiline")["emitter_storage.type"], "filesystem");
        assert.equal(config.pipeline.outputs[0]["storage.total_limit_size"], "5G");
        assert.equal(parsed({ storageTotalLimitSize: "20G" }).pipeline.outputs[0]["storage.total_limit_size"], "20G");
        // The chart mounts the same host directory, so chunks survive restarts.
        const values = fluentBitChartValues({ configYaml: "x", roleArn: "arn:aws:iam::123456789012:role/fb" }) as any;
        assert.deepEqual(values.extraVolumes, [{ name: "fluent-bit-state", hostPath: { path: "/var/fluent-bit/state", type: "DirectoryOrCreate" } }]);
        assert.deepEqual(values.extraVolumeMounts, [{ name: "fluent-bit-state", mountPath: "/var/fluent-bit/state" }]);
    });

    it("an outage of about 12 hours is survivable with the default retries (full-jitter backoff, 5 s base, 900 s cap)", () => {
        const config = parsed();
        const base = config.service["scheduler.base"];
        const cap = config.service["scheduler.cap"];
        // Expected wait of retry n: (base + min(cap, base * 2^n)) / 2.
        let seconds = 0;
        for (let n = 1; n <= config.pipeline.outputs[0].retry_limit; n++) seconds += (base + Math.min(cap, base * 2 ** n)) / 2;
        assert.ok(seconds / 3600 > 11 && seconds / 3600 < 14, `${(seconds / 3600).toFixed(1)} h`);
    });

    it("tail on /var/log/containers with docker and cri framing; Fluent Bit's own containers excluded, other pods kept", () => {
        const tail = parsed().pipeline.inputs[0];
        assert.equal(tail.name, "tail");
        assert.equal(tail.tag, "kube.*");
        assert.equal(tail["multiline.parser"], "docker, cri");
        const include = glob(tail.path);
        const exclude = glob(tail.exclude_path);
        const own = "/var/log/containers/fluent-bit-x7k2p_logging_fluent-bit-0123456789abcdef.log";
        const app = "/var/log/containers/api-7d9f8c-abcde_payments_api-0123456789abcdef.log";
        const otherFluentBit = "/var/log/containers/fluent-bit-q1_tenant-a_fluent-bit-0123456789abcdef.log";
        assert.ok(include.test(own) && include.test(app));
        assert.ok(exclude.test(own), "own logs excluded");
        assert.ok(!exclude.test(app), "application logs kept");
        assert.ok(!exclude.test(otherFluentBit), "a Fluent Bit in another namespace is not ours");
        assert.ok(glob(parsed({ namespace: "obs" }).pipeline.inputs[0].exclude_path).test(own.replace("_logging_", "_obs_")));
    });

    it("filters in order: multiline (Go, Java) on the raw log, then kubernetes (namespace/labels, opt-out), then cluster_id", () => {
        const filters = parsed().pipeline.filters;
        assert.deepEqual(
            filters.map((f: any) => f.name),
            ["multiline", "kubernetes", "record_modifier"],
        );
        const [multiline, kubernetes, cluster] = filters;
        assert.equal(multiline["multiline.key_content"], "log");
        assert.equal(multiline["multiline.parser"], "go, java");
        assert.equal(multiline.match, "kube.*");
        assert.deepEqual(
            { match: kubernetes.match, merge_log: kubernetes.merge_log, labels: kubernetes.labels, annotations: kubernetes.annotations, exclude: kubernetes["k8s-logging.exclude"], prefix: kubernetes.kube_tag_prefix },
            { match: "kube.*", merge_log: "on", labels: "on", annotations: "off", exclude: "on", prefix: "kube.var.log.containers." },
        );
        // The tail tag kube.* expands to kube.<path with dots>: the prefix strips exactly that,
        // leaving <pod>_<namespace>_<container>-<id>.log for the filter to parse namespace_name from.
        const tag = `kube.${"/var/log/containers/api-1_payments_api-0123.log".replace(/^\//, "").replace(/\//g, ".")}`;
        assert.ok(tag.startsWith(kubernetes.kube_tag_prefix));
        assert.equal(tag.slice(kubernetes.kube_tag_prefix.length).split("_")[1], "payments");
        assert.equal(cluster.record, "cluster_id cloud-prod-cnc");
    });

    it("a workload cluster shipping cross-account assumes the given role (and external ID, STS endpoint) in the same output", () => {
        const out = parsed({
            clusterId: "wl-eu-42",
            awsRoleArn: "arn:aws:iam::210987654321:role/cnc-log-writer",
            awsExternalId: "wl-eu-42",
            awsStsEndpoint: "https://sts.eu-west-1.amazonaws.com",
        }).pipeline.outputs[0];
        assert.equal(out.aws_role_arn, "arn:aws:iam::210987654321:role/cnc-log-writer");
        assert.equal(out.aws_external_id, "wl-eu-42");
        assert.equal(out.aws_sts_endpoint, "https://sts.eu-west-1.amazonaws.com");
        assert.equal(out.logstash_prefix, "logs-wl-eu-42");
    });

    it("serialization is stable and safe for the chart's tpl: same text every time, name first, no '{{'", () => {
        const a = renderFluentBitConfig(base);
        const b = renderFluentBitConfig({ ...base });
        assert.equal(a, b);
        assert.ok(!a.includes("{{"), "the chart passes extraFiles through tpl");
        assert.match(a, /^service:\n/);
        assert.match(a, /\n {4}- name: tail\n/);
        assert.deepEqual(YAML.parse(a), buildFluentBitConfig(base), "the YAML is exactly the typed object");
    });

    it("chart values: YAML config as the only pipeline, --config points at it, classic sections empty, pinned image, hardened container", () => {
        const yaml = renderFluentBitConfig(base);
        const values = fluentBitChartValues({ configYaml: yaml, roleArn: "arn:aws:iam::123456789012:role/fb" }) as any;
        assert.equal(values.config.extraFiles["fluent-bit.yaml"], yaml);
        assert.deepEqual([values.config.service, values.config.inputs, values.config.filters, values.config.outputs, values.config.customParsers], ["", "", "", "", ""]);
        assert.deepEqual(values.args, ["--workdir=/fluent-bit/etc", "--config=/fluent-bit/etc/conf/fluent-bit.yaml"]);
        assert.equal(values.image.tag, versions.logging.fluentBitImage.tag);
        assert.equal(values.metricsPort, FLUENT_BIT_DEFAULTS.httpPort);
        assert.equal(YAML.parse(yaml).service.http_port, values.metricsPort, "the chart's probes hit the configured HTTP server");
        assert.equal(YAML.parse(yaml).service.health_check, "on");
        assert.deepEqual(values.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        assert.deepEqual(values.tolerations, [{ operator: "Exists" }]);
    });
});

describe("OpenSearch documents", () => {
    it("ISM policy: hot (rollover by size/age) -> delete after the retention, attached to logs-* by ism_template", () => {
        const p = renderIsmPolicy({ retentionDays: 30, rolloverSize: "50gb", rolloverAge: "1d" });
        assert.equal(p.default_state, "hot");
        assert.deepEqual(
            p.states.map((s) => s.name),
            ["hot", "delete"],
        );
        assert.deepEqual(p.states[0].actions[0].rollover, { min_size: "50gb", min_index_age: "1d" });
        assert.deepEqual(p.states[0].transitions, [{ state_name: "delete", conditions: { min_index_age: "30d" } }]);
        assert.deepEqual(p.states[1].actions.map((a) => Object.keys(a).filter((k) => k !== "retry")), [["delete"]]);
        assert.deepEqual(p.ism_template, [{ index_patterns: ["logs-*"], priority: 100 }]);
        assert.equal(renderIsmPolicy({ retentionDays: 7, rolloverSize: "10gb", rolloverAge: "12h" }).states[0].transitions[0].conditions!.min_index_age, "7d");
    });

    it("index template: Kubernetes metadata as keywords, labels through a dynamic template, rollover skipped on daily indices", () => {
        const t = renderIndexTemplate({ shards: 2, replicas: 1 });
        assert.deepEqual(t.index_patterns, ["logs-*"]);
        const k8s = (t.template.mappings.properties.kubernetes as any).properties;
        for (const f of ["namespace_name", "pod_name", "container_name", "host"]) assert.deepEqual(k8s[f], { type: "keyword" }, f);
        assert.deepEqual(t.template.mappings.properties["@timestamp"], { type: "date" });
        assert.deepEqual(t.template.mappings.dynamic_templates, [{ kubernetes_labels: { path_match: "kubernetes.labels.*", mapping: { type: "keyword" } } }]);
        assert.equal(t.template.settings["index.plugins.index_state_management.rollover_skip"], true);
        assert.equal(t.template.settings["index.number_of_shards"], 2);
        assert.equal(t.template.settings["index.number_of_replicas"], 1);
    });

    it("roles: the writer may create and bulk-write logs-* only (no read, no delete); the reader only reads", () => {
        const [writer, reader] = renderRoles();
        assert.equal(writer.name, "cloud-cnc-log-writer");
        assert.deepEqual(writer.body.index_permissions.map((p) => p.index_patterns), [["logs-*"]]);
        const actions = writer.body.index_permissions[0].allowed_actions;
        assert.ok(actions.every((a) => a.startsWith("indices:admin/create") || a.startsWith("indices:admin/mapping/put") || a.startsWith("indices:data/write/")));
        assert.ok(!actions.some((a) => /read|delete|\*$/.test(a) && a !== "indices:data/write/bulk*"));
        assert.deepEqual(writer.body.cluster_permissions, ["indices:data/write/bulk"]);
        assert.deepEqual(reader.body.index_permissions[0].allowed_actions, ["read", "indices:admin/mappings/get"]);
        assert.deepEqual(reader.body.cluster_permissions, ["cluster_composite_ops_ro"]);
        assert.deepEqual(reader.body.tenant_permissions, [{ tenant_patterns: ["global_tenant"], allowed_actions: ["kibana_all_read"] }]);
    });

    it("desired state: role mappings to the given IAM roles (sorted, deduplicated), one index pattern as the default", () => {
        const d = renderDesiredState({ replicas: 0, writerRoleArns: ["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"], readerRoleArns: [] });
        assert.deepEqual(d.roleMappings.map((m) => [m.role, m.body.backend_roles]), [
            ["cloud-cnc-log-writer", ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]],
            ["cloud-cnc-log-reader", []],
        ]);
        assert.deepEqual(d.indexPatterns, [{ id: "cloud-cnc-logs", title: "logs-*", timeFieldName: "@timestamp" }]);
        assert.equal(d.defaultIndexPatternId, "cloud-cnc-logs");
        assert.equal(d.ismPolicy.policy.states[0].transitions[0].conditions!.min_index_age, "30d", "default retention 30 days, as the original system");
    });
});
