// What the pinned Fluent Bit image ships and knows about parsers, written down from the
// fluent/fluent-bit sources at the image's tag. A real Fluent Bit cannot run in the test suite
// (components/logging/README.md, "Why the tests do not run Fluent Bit"), so the structural tests
// check the rendered config against these facts. Re-read them before bumping
// versions.logging.fluentBitImage (a test fails when the tag no longer matches `tag`).
//
// Source: fluent/fluent-bit tag v5.0.9 (commit a1e05fc1f703fe0ab0373578896f395a04a7eeb5,
// 2026-07-04; CMakeLists.txt FLB_VERSION 5.0.9), read on 2026-12-04 from the fetched snapshot.

export const FLUENT_BIT_UPSTREAM = {
    tag: "5.0.9",

    /** dockerfiles/Dockerfile: `COPY conf/fluent-bit.conf conf/parsers.conf ... /fluent-bit/etc/`. */
    imageParsersFile: "/fluent-bit/etc/parsers.conf",

    /**
     * conf/parsers.conf: every [PARSER] section, name -> Format, in file order. The file has no
     * [MULTILINE_PARSER] section.
     */
    imageParsers: {
        apache: "regex",
        apache2: "regex",
        apache_error: "regex",
        nginx: "regex",
        "k8s-nginx-ingress": "regex",
        json: "json",
        logfmt: "logfmt",
        docker: "json",
        "docker-daemon": "regex",
        "syslog-rfc5424": "regex",
        "syslog-rfc3164-local": "regex",
        "syslog-rfc3164": "regex",
        mongodb: "regex",
        envoy: "regex",
        "istio-envoy-proxy": "regex",
        cri: "regex",
        "kube-custom": "regex",
        "kmsg-netfilter-log": "regex",
    } as Record<string, string>,

    /** Multiline parsers defined in the image's parsers.conf: none. */
    imageMultilineParsers: [] as string[],

    /** src/multiline/flb_ml_parser.c flb_ml_parser_builtin_create: always registered, no file needed. */
    builtinMultilineParsers: ["docker", "cri", "java", "go", "ruby", "python"] as string[],

    /**
     * src/multiline/flb_ml_parser_cri.c FLB_ML_CRI_REGEX: the built-in `cri` multiline parser
     * splits the runtime's framing and leaves the application's line in `log` (its key_content),
     * the key the kubernetes filter's Merge_Log reads.
     */
    criRegex: /^(?<time>.+?) (?<stream>stdout|stderr) (?<_p>F|P) (?<log>.*)$/,

    /** The chart (fluent/helm-charts fluent-bit-0.57.9, templates/_pod.tpl) mounts its ConfigMap here. */
    chartConfigMountPath: "/fluent-bit/etc/conf",
} as const;

/**
 * Plugin properties that name a parser (src/ and plugins/ at v5.0.9): a single parser, or a
 * comma-separated list of multiline parsers. Every other property whose name contains "parser"
 * must be listed in NOT_A_PARSER_NAME, so a new parser-naming property cannot slip past the check.
 */
export const PARSER_PROPERTIES = {
    /** Looked up among the (classic) parsers: parsers files and inline `parsers:`. */
    // in_tail: parser, docker_mode_parser, parser_firstline and any parser_<suffix> (a
    // FLB_CONFIG_MAP_STR_PREFIX: the legacy multiline rules); filter_parser: parser;
    // filter_kubernetes: merge_parser, regex_parser; a multiline_parsers entry: parser.
    single: ["parser", "docker_mode_parser", "merge_parser", "regex_parser", /^parser_.+$/] as (string | RegExp)[],
    /** Looked up among the multiline parsers: built-ins and `multiline_parsers:`. */
    // in_tail and filter_multiline: multiline.parser (a CLIST).
    multilineList: ["multiline.parser"] as (string | RegExp)[],
};

/** Properties containing "parser" that do not name one: kubernetes filter switches, service file paths. */
export const NOT_A_PARSER_NAME = ["k8s-logging.parser", "parsers_file"];
