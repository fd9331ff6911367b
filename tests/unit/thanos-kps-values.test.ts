// The kube-prometheus-stack values the component sets are keys of the pinned chart: a misspelled
// or renamed key is silently ignored by Helm, and every mock accepts it. The list below was
// checked against the chart's own values.yaml at the pinned version (components/common/versions.ts
// says where and when); a key outside it must be checked upstream first, then added here.
import { strict as assert } from "assert";
import { versions } from "../../components/common/versions";
import { DATASOURCE_UIDS, GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, names, prometheusConfigMapFile } from "../../components/thanos-federation/plan";
import { ALERT_WEBHOOK_SECRET, DEAD_MANS_SWITCH_SECRET, GRAFANA_OIDC_SECRET, grafanaRoleAttributePath, imageValues, kubePrometheusStackValues, renderAlertmanagerConfig } from "../../components/thanos-federation/render";
import * as jmespath from "jmespath";
import { thanosFederationSchema } from "../../components/thanos-federation/schema";
import { CONFIRMED_88_5_3, THANOS_SPEC, keyPaths } from "../support/kps-confirmed";


describe("ThanosFederation: kube-prometheus-stack values against the pinned chart", () => {
    const settingsArgs = (profile: "production" | "development") => ({
        clusterId: "c",
        environment: "dev",
        prefix: "cloud",
        profile,
        bucketRegion: "eu-west-1",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x",
        oidcProviderUrl: "https://x",
        storageClassName: "gp3",
    });
    const settings = (profile: "production" | "development") => thanosFederationSchema.parse(settingsArgs(profile));

    it("pins the chart version whose values were checked", () => {
        assert.equal(versions.thanosFederation.kubePrometheusStack.version, "88.5.3", "a new chart version: check every key below against its values.yaml, then update the list and this line");
    });

    for (const profile of ["production", "development"] as const) {
        for (const alertWebhook of [true, false]) {
            it(`sets only confirmed keys (${profile}, webhook ${alertWebhook ? "on, with the dead man's switch" : "off"})`, () => {
                const s = thanosFederationSchema.parse({ ...settingsArgs(profile), prometheus: { configMaps: ["thanos-query-targets"] } });
                const values = kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook, deadMansSwitch: alertWebhook });
                const unknown = keyPaths(values).filter((p) => !CONFIRMED_88_5_3.has(p));
                assert.deepEqual(unknown, []);
                const thanos = (values as any).prometheus.prometheusSpec.thanos;
                assert.deepEqual(Object.keys(thanos).filter((k) => !THANOS_SPEC.has(k)), []);
                assert.deepEqual(Object.keys(thanos.objectStorageConfig), ["existingSecret"]);
            });
        }
    }

    it("disables exactly the configured default alerts (defaultRules.disabled), none by default; refuses a malformed or repeated name", () => {
        const values = (disabledDefaultAlerts?: string[]) =>
            (kubePrometheusStackValues({ settings: thanosFederationSchema.parse({ ...settingsArgs("production"), prometheus: { ...(disabledDefaultAlerts ? { disabledDefaultAlerts } : {}) } }), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).defaultRules;
        assert.deepEqual(values().disabled, {});
        assert.deepEqual(values(["KubePodCrashLooping", "KubeNodeNotReady"]).disabled, { KubePodCrashLooping: true, KubeNodeNotReady: true });
        assert.equal(values(["KubePodCrashLooping"]).create, true);
        const bad = thanosFederationSchema.safeParse({ ...settingsArgs("production"), prometheus: { disabledDefaultAlerts: ["Kube Pod", "A", "A"] } });
        assert.equal(bad.success, false);
        const messages = bad.error!.issues.map((i) => i.message);
        assert.ok(messages.some((m) => m.includes("an alert name such as KubePodCrashLooping")), messages.join("\n"));
        assert.ok(messages.includes("a list of distinct alert names"), messages.join("\n"));
    });

    it("Grafana: one folder per grafana_folder annotation, the CloudWatch datasource in the configured region with SDK default auth, the IRSA-annotated service account", () => {
        const s = thanosFederationSchema.parse({ ...settingsArgs("production"), grafana: { cloudWatchRegion: "us-east-2" } });
        const g = (kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:aws:iam::123456789012:role/grafana", queryUrl: "http://q" }) as any).grafana;
        assert.equal(g.sidecar.dashboards.folderAnnotation, GRAFANA_FOLDER_ANNOTATION);
        assert.equal(GRAFANA_FOLDER_ANNOTATION, "grafana_folder");
        assert.deepEqual(g.sidecar.dashboards.provider, { foldersFromFilesStructure: true });
        assert.deepEqual([g.sidecar.dashboards.label, g.sidecar.dashboards.labelValue], [GRAFANA_DASHBOARD_LABEL.key, GRAFANA_DASHBOARD_LABEL.value]);
        assert.deepEqual(g.serviceAccount, { create: true, name: names.kpsGrafanaServiceAccount, annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/grafana" } });
        assert.equal(names.kpsGrafanaServiceAccount, "kps-grafana", "the grafana subchart's fullname under release kps");
        const cw = g.additionalDataSources.find((d: any) => d.type === "cloudwatch");
        assert.deepEqual(cw, { name: "CloudWatch", uid: DATASOURCE_UIDS.cloudwatch, type: "cloudwatch", access: "proxy", isDefault: false, editable: false, jsonData: { authType: "default", defaultRegion: "us-east-2" } });
        assert.equal(DATASOURCE_UIDS.cloudwatch, "cloudwatch");
        // Unset, the region is the bucket's (the stack composition passes the stack's region).
        const d = (kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).grafana;
        assert.equal(d.additionalDataSources.find((x: any) => x.uid === "cloudwatch").jsonData.defaultRegion, "eu-west-1");
        assert.equal(d.additionalDataSources.filter((x: any) => x.isDefault).length, 1, "one default datasource (Thanos)");
    });

    describe("Grafana's own sign-in (grafana.sso)", () => {
        const sso = {
            rootUrl: "https://grafana.apps.cnc.internal/",
            issuer: "https://idp.example.com",
            authorizationEndpoint: "https://idp.example.com/oauth2/v1/authorize",
            tokenEndpoint: "https://idp.example.com/oauth2/v1/token",
            userInfoEndpoint: "https://idp.example.com/oauth2/v1/userinfo",
            clientId: "cloud-cnc",
            adminGroups: ["platform-admins"],
            editorGroups: ["platform-engineers", "sre@corp"],
            viewerGroups: ["support"],
        };
        const withSso = (extra: Record<string, unknown> = {}) =>
            kubePrometheusStackValues({ settings: thanosFederationSchema.parse({ ...settingsArgs("production"), grafana: { sso: { ...sso, ...extra } }, grafanaOidcClientSecret: "s3cr3t" }), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any;

        it("sets only confirmed keys; generic OAuth against the issuer, the secret from the grafana-oidc Secret by environment, never in grafana.ini", () => {
            const values = withSso();
            assert.deepEqual(keyPaths(values).filter((p) => !CONFIRMED_88_5_3.has(p)), []);
            const ini = values.grafana["grafana.ini"];
            assert.deepEqual(ini.server, { root_url: "https://grafana.apps.cnc.internal/" });
            assert.deepEqual(ini.auth, { disable_login_form: false });
            const o = ini["auth.generic_oauth"];
            assert.deepEqual(
                [o.enabled, o.client_id, o.auth_url, o.token_url, o.api_url, o.scopes, o.use_pkce, o.auto_login, o.role_attribute_strict, o.allow_assign_grafana_admin, o.groups_attribute_path],
                [true, "cloud-cnc", sso.authorizationEndpoint, sso.tokenEndpoint, sso.userInfoEndpoint, "openid email profile groups", true, false, true, false, "groups"],
            );
            assert.equal(o.allowed_groups, "platform-admins,platform-engineers,sre@corp,support");
            // The chart's assertNoLeakedSecrets accepts only a variable reference here.
            assert.match(o.client_secret, /^\$(?:__(?:env|file|vault))?\{[^}]+\}$/);
            assert.ok(!JSON.stringify(values).includes("s3cr3t"));
            assert.deepEqual(values.grafana.envValueFrom, { [GRAFANA_OIDC_SECRET.env]: { secretKeyRef: { name: "grafana-oidc", key: "clientSecret" } } });
            assert.equal(o.client_secret, `$__env{${GRAFANA_OIDC_SECRET.env}}`);
        });

        it("maps groups to Admin over Editor over Viewer, and nobody else (JMESPath evaluated by the reference implementation)", () => {
            const path = grafanaRoleAttributePath({ groupsAttributePath: "groups", adminGroups: sso.adminGroups, editorGroups: sso.editorGroups, viewerGroups: sso.viewerGroups });
            const role = (groups: string[]) => jmespath.search({ groups, email: "a@b" }, path);
            assert.equal(role(["platform-admins"]), "Admin");
            assert.equal(role(["support", "platform-admins"]), "Admin");
            assert.equal(role(["platform-engineers"]), "Editor");
            assert.equal(role(["sre@corp", "support"]), "Editor");
            assert.equal(role(["support"]), "Viewer");
            assert.equal(role(["contractors"]), false, "no role: role_attribute_strict refuses the login");
            assert.equal(role([]), false);
            // A missing claim is no group, not an evaluation error; a claim that is one string is one group, not a substring match.
            assert.equal(jmespath.search({ email: "a@b" }, path), false);
            assert.equal(jmespath.search({ groups: "support" }, path), "Viewer");
            assert.equal(jmespath.search({ groups: "platform-admins-interns" }, path), false);
            // A group name is a literal, never a pattern or a sub-expression.
            assert.equal(role(["platform"]), false);
            const custom = grafanaRoleAttributePath({ groupsAttributePath: "roles", adminGroups: ["a"], editorGroups: [], viewerGroups: [] });
            assert.equal(jmespath.search({ roles: ["a"] }, custom), "Admin");
            assert.equal(jmespath.search({ groups: ["a"] }, custom), false);
            const nested = grafanaRoleAttributePath({ groupsAttributePath: "resource_access.grafana.roles", adminGroups: ["a"], editorGroups: [], viewerGroups: [] });
            assert.equal(jmespath.search({ resource_access: { grafana: { roles: ["a"] } } }, nested), "Admin");
            assert.equal(jmespath.search({}, nested), false);
        });

        it("without sso: no grafana.ini, no environment from a Secret", () => {
            const g = (kubePrometheusStackValues({ settings: settings("production"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).grafana;
            assert.equal(g["grafana.ini"], undefined);
            assert.equal(g.envValueFrom, undefined);
        });

        it("refuses sso without its secret (and the secret without sso), http URLs, a root URL without the trailing slash, no admin group, quotes in a group, a group with two roles", () => {
            const messages = (args: Record<string, unknown>) => {
                const r = thanosFederationSchema.safeParse({ ...settingsArgs("production"), ...args });
                return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
            };
            assert.deepEqual(messages({ grafana: { sso } }), ["grafanaOidcClientSecret: a pulumi secret with the OIDC client secret of grafana.sso.clientId (required with grafana.sso)"]);
            assert.deepEqual(messages({ grafanaOidcClientSecret: "x" }), ["grafanaOidcClientSecret: nothing without grafana.sso (it is the secret of Grafana's sign-in)"]);
            const bad = messages({
                grafana: { sso: { ...sso, tokenEndpoint: "http://idp.example.com/token", rootUrl: "https://grafana.apps.cnc.internal", adminGroups: [], viewerGroups: ["ops' || 'Admin", "support", "two words", "{{ .Values }}"], editorGroups: ["support"], groupsAttributePath: "cognito:groups" } },
                grafanaOidcClientSecret: "x",
            });
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.tokenEndpoint: ")), bad.join("\n"));
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.rootUrl: Grafana's public URL")), bad.join("\n"));
            assert.ok(bad.includes("grafana.sso.adminGroups: a list of at least one group (Grafana Admin)"), bad.join("\n"));
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.viewerGroups.0: an IdP group name")), bad.join("\n"));
            assert.ok(bad.includes("grafana.sso.viewerGroups.1: a group not already in editorGroups (one role per group)"), bad.join("\n"));
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.viewerGroups.2: an IdP group name")), bad.join("\n"));
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.viewerGroups.3: an IdP group name")), bad.join("\n"));
            assert.ok(bad.some((m) => m.startsWith("grafana.sso.groupsAttributePath: a claim name")), bad.join("\n"));
        });
    });

    it("prometheusSpec.configMaps is the configured list (none by default), mounted where ScrapeConfigs read it", () => {
        const s = thanosFederationSchema.parse({ ...settingsArgs("development"), prometheus: { configMaps: ["thanos-query-targets", "blackbox-probe-targets"] } });
        const spec = (kubePrometheusStackValues({ settings: s, prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).prometheus.prometheusSpec;
        assert.deepEqual(spec.configMaps, ["thanos-query-targets", "blackbox-probe-targets"]);
        assert.deepEqual((kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q" }) as any).prometheus.prometheusSpec.configMaps, []);
        assert.equal(prometheusConfigMapFile("blackbox-probe-targets", "probes.json"), "/etc/prometheus/configmaps/blackbox-probe-targets/probes.json");
    });

    it("Alertmanager: both Secrets mounted and the heartbeat route only with the webhook and the dead man's switch", () => {
        const am = (alertWebhook: boolean, deadMansSwitch: boolean) =>
            (kubePrometheusStackValues({ settings: settings("development"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook, deadMansSwitch }) as any).alertmanager;
        assert.deepEqual(am(true, true).alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name, DEAD_MANS_SWITCH_SECRET.name]);
        assert.deepEqual(am(true, true).config, renderAlertmanagerConfig({ deadMansSwitch: true }));
        assert.deepEqual(am(true, false).alertmanagerSpec.secrets, [ALERT_WEBHOOK_SECRET.name]);
        assert.deepEqual(am(true, false).config, renderAlertmanagerConfig());
        // No webhook: the chart's default config, no Secret mounted (the schema refuses a heartbeat without the webhook).
        assert.equal(am(false, true).config, undefined);
        assert.equal(am(false, true).alertmanagerSpec.secrets, undefined);
    });

    it("runs the Prometheus and Alertmanager the tests run, not the chart's defaults (v3.14.0-distroless, v0.34.0)", () => {
        const values = kubePrometheusStackValues({ settings: settings("production"), prometheusRoleArn: "arn:r", grafanaRoleArn: "arn:g", queryUrl: "http://q", alertWebhook: true }) as any;
        assert.deepEqual(values.prometheus.prometheusSpec.image, { registry: "quay.io", repository: "prometheus/prometheus", tag: versions.binaries.prometheus.imageTag });
        assert.deepEqual(values.alertmanager.alertmanagerSpec.image, { registry: "quay.io", repository: "prometheus/alertmanager", tag: versions.binaries.alertmanager.imageTag });
        assert.equal(values.prometheus.prometheusSpec.thanos.image, `quay.io/thanos/thanos:${versions.binaries.thanos.imageTag}`);
        assert.deepEqual(imageValues("quay.io/prometheus/prometheus:v3.15.0"), { registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.15.0" });
    });

    it("the binaries the tests build are the versions the images run (versions.ts `binaries`)", () => {
        const tag = (image: string) => image.split(":")[1];
        assert.equal(versions.binaries.thanos.imageTag, tag(versions.thanosFederation.thanosImage));
        assert.equal(versions.binaries.prometheus.imageTag, tag(versions.thanosFederation.prometheusImage));
        assert.equal(versions.binaries.alertmanager.imageTag, tag(versions.thanosFederation.alertmanagerImage));
        // Prometheus 3.x is published as Go module v0.3MM.P: v3.15.0 is v0.315.0.
        const [major, minor, patch] = versions.binaries.prometheus.imageTag.slice(1).split(".").map(Number);
        assert.equal(versions.binaries.prometheus.moduleVersion, `v0.${major * 100 + minor}.${patch}`);
    });
});
