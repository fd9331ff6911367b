// Fluent Bit parsers, checked structurally: every parser the rendered config names is defined by
// something Fluent Bit loads (the image's parsers.conf, an inline section, or a built-in), and a
// JSON line from a pod annotated `fluentbit.io/parser: json` reaches a loaded JSON parser.
//
// Why not the real binary: no Fluent Bit package in Debian 12, and neither the source nor the image
// is reachable from CI (components/logging/README.md, "Why the tests do not run Fluent Bit"). The
// facts the checks rely on are written down from the v5.0.9 sources in
// tests/support/fluent-bit-upstream.ts.
import { strict as assert } from "assert";
import * as YAML from "yaml";
import { versions } from "../../components/common/versions";
import { FLUENT_BIT_ANNOTATION_PARSERS, FLUENT_BIT_IMAGE_PARSERS_FILE, renderFluentBitConfig } from "../../components/logging/render";
import { FLUENT_BIT_UPSTREAM as UP, NOT_A_PARSER_NAME, PARSER_PROPERTIES } from "../support/fluent-bit-upstream";

const base = { endpoint: "vpc-cloud-prod-logs-abcdefghij1234567890.eu-west-1.es.amazonaws.com", region: "eu-west-1", clusterId: "cloud-prod-cnc" };

type Plugin = Record<string, unknown> & { name: string };
interface ParsedConfig {
    service: Record<string, unknown>;
    pipeline: { inputs?: Plugin[]; filters?: Plugin[]; outputs?: Plugin[] };
    parsers?: Record<string, unknown>[];
    multiline_parsers?: Record<string, unknown>[];
}

/** The config as Fluent Bit reads it: the rendered YAML text, parsed back. */
function rendered(options = {}): ParsedConfig {
    return YAML.parse(renderFluentBitConfig({ ...base, ...options }));
}

/** Fluent Bit's boolean spelling (flb_utils_bool: true/on/yes, any case). */
function isOn(v: unknown): boolean {
    return ["true", "on", "yes"].includes(String(v).toLowerCase());
}

function matches(key: string, patterns: (string | RegExp)[]): boolean {
    const k = key.toLowerCase();
    return patterns.some((p) => (typeof p === "string" ? p === k : p.test(k)));
}

/** Values of a property: YAML may give a list for a repeated key. */
function values(v: unknown): string[] {
    return (Array.isArray(v) ? v : [v]).map(String);
}

interface Reference {
    where: string;
    name: string;
}

/** Every parser name the config refers to, split by the registry Fluent Bit looks it up in. */
function parserReferences(config: ParsedConfig): { single: Reference[]; multiline: Reference[] } {
    const single: Reference[] = [];
    const multiline: Reference[] = [];
    const plugins = [
        ...(config.pipeline.inputs ?? []).map((p, i) => ({ where: `inputs[${i}] ${p.name}`, p })),
        ...(config.pipeline.filters ?? []).map((p, i) => ({ where: `filters[${i}] ${p.name}`, p })),
        ...(config.pipeline.outputs ?? []).map((p, i) => ({ where: `outputs[${i}] ${p.name}`, p })),
        ...(config.multiline_parsers ?? []).map((p, i) => ({ where: `multiline_parsers[${i}] ${String(p.name)}`, p })),
    ];
    for (const { where, p } of plugins) {
        for (const [key, value] of Object.entries(p)) {
            if (!/parser/i.test(key) || NOT_A_PARSER_NAME.includes(key.toLowerCase())) continue;
            if (matches(key, PARSER_PROPERTIES.multilineList)) {
                for (const v of values(value)) for (const name of v.split(",")) multiline.push({ where: `${where}.${key}`, name: name.trim() });
            } else if (matches(key, PARSER_PROPERTIES.single)) {
                for (const name of values(value)) single.push({ where: `${where}.${key}`, name: name.trim() });
            } else {
                assert.fail(`${where}: property ${key} mentions a parser but is not classified in tests/support/fluent-bit-upstream.ts`);
            }
        }
        // The kubernetes filter looks up a pod's `fluentbit.io/parser` among the loaded parsers.
        if (p.name === "kubernetes" && isOn(p["k8s-logging.parser"])) {
            for (const name of FLUENT_BIT_ANNOTATION_PARSERS) single.push({ where: `${where} fluentbit.io/parser annotation`, name });
        }
    }
    return { single, multiline };
}

/** What Fluent Bit has loaded for this config: parsers files we know, inline sections, built-ins. */
function definedParsers(config: ParsedConfig): { single: Map<string, string>; multiline: Set<string> } {
    const single = new Map<string, string>();
    const multiline = new Set<string>(UP.builtinMultilineParsers);
    const files = config.service.parsers_file === undefined ? [] : values(config.service.parsers_file);
    for (const file of files) {
        assert.equal(file, UP.imageParsersFile, `parsers_file ${file}: only the image's parsers file is known to this test`);
        for (const [name, format] of Object.entries(UP.imageParsers)) single.set(name, format);
        for (const name of UP.imageMultilineParsers) multiline.add(name);
    }
    // Inline sections load after the service's parsers files; a name already loaded is skipped
    // with an error (flb_parser.c: "parser named '...' already exists, skip.").
    for (const p of config.parsers ?? []) {
        const name = String(p.name);
        assert.ok(!single.has(name), `inline parser ${name} is already defined by a loaded file`);
        single.set(name, String(p.format));
    }
    for (const p of config.multiline_parsers ?? []) multiline.add(String(p.name));
    return { single, multiline };
}

describe("Fluent Bit parsers (structural, against the v5.0.9 sources)", () => {
    it("the facts are those of the pinned image: re-read them before a bump", () => {
        assert.equal(versions.logging.fluentBitImage.tag, UP.tag, "tests/support/fluent-bit-upstream.ts describes another Fluent Bit release than the pinned image");
    });

    it("the image's classic parsers file is loaded from where the image puts it, outside the chart's ConfigMap mount", () => {
        const config = rendered();
        assert.equal(config.service.parsers_file, UP.imageParsersFile);
        assert.equal(FLUENT_BIT_IMAGE_PARSERS_FILE, UP.imageParsersFile);
        assert.ok(!UP.imageParsersFile.startsWith(`${UP.chartConfigMountPath}/`), "the ConfigMap mount would hide it");
        assert.match(UP.imageParsersFile, /\.conf$/, "Fluent Bit reads a .conf parsers file in the classic format");
        assert.ok(UP.imageParsersFile.startsWith("/"), "absolute: a relative path would resolve against the config's directory");
    });

    for (const [label, options] of [
        ["the C&C cluster", {}],
        ["a workload cluster in another namespace, shipping cross-account", { namespace: "obs", awsRoleArn: "arn:aws:iam::210987654321:role/cnc-log-writer" }],
    ] as const) {
        it(`every parser the config names is loaded (${label}): parsers and annotation suggestions from parsers.conf or inline sections, multiline parsers built in or inline`, () => {
            const config = rendered(options);
            const refs = parserReferences(config);
            const defined = definedParsers(config);
            // Not vacuous: the tail input, the multiline filter and the annotation all name parsers.
            assert.ok(refs.multiline.length >= 4 && refs.single.length >= 1, JSON.stringify(refs));
            const missing = [
                ...refs.single.filter((r) => !defined.single.has(r.name)).map((r) => `${r.where}: parser '${r.name}'`),
                ...refs.multiline.filter((r) => !defined.multiline.has(r.name)).map((r) => `${r.where}: multiline parser '${r.name}'`),
            ];
            // An unknown name in a plugin fails Fluent Bit's startup; in an annotation it is ignored with a warning.
            assert.deepEqual(missing, []);
        });
    }

    it("a JSON line from a pod annotated fluentbit.io/parser: json is parsed and merged", () => {
        const config = rendered();
        const inputs = config.pipeline.inputs ?? [];
        const filters = config.pipeline.filters ?? [];
        const kubernetes = filters.find((f) => f.name === "kubernetes");
        assert.ok(kubernetes, "a kubernetes filter");
        // The annotation is honoured only with k8s-logging.parser on, and applied only inside Merge_Log
        // (plugins/filter_kubernetes: kube_property.c, kubernetes.c merge_log_handler).
        assert.ok(isOn(kubernetes["k8s-logging.parser"]), "k8s-logging.parser on");
        assert.ok(isOn(kubernetes.merge_log), "merge_log on");
        const mergeKey = String(kubernetes.merge_log_key);
        // The parser is loaded and decodes JSON.
        assert.equal(definedParsers(config).single.get("json"), "json");
        assert.ok((FLUENT_BIT_ANNOTATION_PARSERS as readonly string[]).includes("json"), "the README's suggestion");

        // The record reaching the filter: the container runtime's framing (containerd on EKS: CRI)
        // split by the built-in cri multiline parser, which the tail input uses, into `log`: the key
        // Merge_Log reads. The multiline filter before it works on the same key.
        const tail = inputs.find((i) => i.name === "tail")!;
        assert.ok(values(tail["multiline.parser"]).join(",").split(",").map((s) => s.trim()).includes("cri"));
        assert.equal(filters.find((f) => f.name === "multiline")?.["multiline.key_content"], "log");
        assert.ok(filters.indexOf(kubernetes) > filters.findIndex((f) => f.name === "multiline"), "stack traces are joined before the merge");
        const line = '2026-12-04T10:00:00.123456789Z stdout F {"level":"info","msg":"ready","orderId":42}';
        const framed = UP.criRegex.exec(line)?.groups;
        assert.ok(framed, "the CRI framing matches");
        assert.equal(framed.stream, "stdout");
        // The json parser (Format json) turns the `log` text into the map merged under merge_log_key.
        const record = { [mergeKey]: JSON.parse(framed.log) };
        assert.deepEqual(record, { log_processed: { level: "info", msg: "ready", orderId: 42 } });
    });

    it("the check itself catches a misspelt or unloaded name, a name clash with the image's file, and an unclassified parser property", () => {
        const missingOf = (config: ParsedConfig) => {
            const refs = parserReferences(config);
            const defined = definedParsers(config);
            return [...refs.single.filter((r) => !defined.single.has(r.name)), ...refs.multiline.filter((r) => !defined.multiline.has(r.name))].map((r) => r.name);
        };
        const misspelt = rendered();
        misspelt.pipeline.filters![0]["multiline.parser"] = "go, jav";
        assert.deepEqual(missingOf(misspelt), ["jav"]);
        const withoutFile = rendered();
        delete withoutFile.service.parsers_file;
        assert.deepEqual(missingOf(withoutFile), [...FLUENT_BIT_ANNOTATION_PARSERS]);
        const inline = { ...rendered(), parsers: [{ name: "app-json", format: "json" }], multiline_parsers: [{ name: "app-trace", type: "regex", parser: "app-json" }] };
        inline.pipeline.inputs![0].parser = "app-json";
        inline.pipeline.filters![0]["multiline.parser"] = "go, app-trace";
        assert.deepEqual(missingOf(inline), [], "inline sections count as defined");
        assert.throws(() => definedParsers({ ...rendered(), parsers: [{ name: "json", format: "json" }] }), /already defined/);
        const unclassified = rendered();
        unclassified.pipeline.filters![1].log_parser = "json";
        assert.throws(() => parserReferences(unclassified), /not classified/);
    });

    it("the pipeline has no inline parser sections today: the image's file and the built-ins cover every name", () => {
        const config = rendered();
        assert.equal(config.parsers, undefined);
        assert.equal(config.multiline_parsers, undefined);
        const refs = parserReferences(config);
        assert.deepEqual([...new Set(refs.multiline.map((r) => r.name))].sort(), ["cri", "docker", "go", "java"]);
        for (const name of new Set(refs.multiline.map((r) => r.name))) assert.ok(UP.builtinMultilineParsers.includes(name), `${name} is built in`);
    });
});
