// AppIngress under mocks: every UI on the internal group with HTTPS, redirect, TLS policy and
// OIDC; the public group only when configured (OIDC + WAF); records equal Ingress hosts; the
// certificate covers every host; the LB controller reads exactly the OIDC secret; the client secret
// never appears in a plain input; Headlamp is read-only; bad input refused with good messages.
import { strict as assert } from "assert";
import { AppIngress, AppIngressArgs } from "../../components/app-ingress";
import { NAMES, certificateCovers, certificateNames, nameCovers } from "../../components/app-ingress/plan";
import { InvalidArgsError } from "../../components/common/errors";
import { ALB_GROUPS, DEFAULT_SSL_POLICY, albIngressAnnotations } from "../../components/common/ingress";
import { A, ALB_HOST, CERT_ARN, ELB_ZONE, MONITORING_APPS, SECRET_VALUE, T, args, build } from "../support/app-ingress-fixtures";
import { RecordedResource, valueOf } from "../support/pulumi-harness";

const annotations = (r: RecordedResource): Record<string, string> => r.inputs.metadata.annotations;
const host = (r: RecordedResource): string => r.inputs.spec.rules[0].host;
const inGroup = (rs: RecordedResource[], g: string) => rs.filter((r) => annotations(r)[A("group.name")] === g);

function refused(a: unknown): InvalidArgsError {
    try {
        new AppIngress("ingress", a as AppIngressArgs);
    } catch (e) {
        assert.ok(e instanceof InvalidArgsError, String(e));
        return e;
    }
    assert.fail("expected the args to be refused");
}

describe("AppIngress (mocks)", function () {
    this.timeout(60_000);

    it("puts every app on the internal group with HTTPS 443, HTTP redirected, the TLS policy, private inbound CIDRs and OIDC", async () => {
        const { rec } = await build();
        const ingresses = rec.ofType(T.ingress);
        const internal = inGroup(ingresses, ALB_GROUPS.internal);
        assert.equal(internal.length, MONITORING_APPS.length);
        assert.deepEqual(internal.map(host).sort(), MONITORING_APPS.map((a) => `${a.name}.apps.cnc.example.com`).sort());
        for (const ing of internal) {
            const a = annotations(ing);
            assert.equal(ing.inputs.spec.ingressClassName, "alb");
            assert.equal(a[A("scheme")], "internal");
            assert.deepEqual(JSON.parse(a[A("listen-ports")]), [{ HTTP: 80 }, { HTTPS: 443 }]);
            assert.equal(a[A("ssl-redirect")], "443");
            assert.equal(a[A("ssl-policy")], DEFAULT_SSL_POLICY);
            assert.equal(a[A("certificate-arn")], CERT_ARN);
            assert.equal(a[A("inbound-cidrs")], "10.20.0.0/16,10.100.0.0/14,192.168.50.0/24");
            assert.equal(a[A("target-type")], "ip");
            assert.equal(a[A("auth-type")], "oidc");
            const idp = JSON.parse(a[A("auth-idp-oidc")]);
            assert.deepEqual(Object.keys(idp).sort(), ["authorizationEndpoint", "issuer", "secretName", "tokenEndpoint", "userInfoEndpoint"]);
            assert.equal(idp.secretName, NAMES.oidcSecret);
            assert.equal(a[A("auth-scope")], "openid email profile");
            assert.equal(a[A("auth-session-timeout")], "28800");
            assert.equal(a[A("wafv2-acl-arn")], undefined);
            assert.equal(a[A("tags")], "Team=platform");
        }
        // The API host answers 401 instead of a browser redirect; the UIs redirect.
        assert.equal(annotations(internal.find((i) => host(i).startsWith("provisioner."))!)[A("auth-on-unauthenticated-request")], "deny");
        assert.equal(annotations(internal.find((i) => host(i).startsWith("grafana."))!)[A("auth-on-unauthenticated-request")], "authenticate");
        // Exclusive annotations agree across the group (the controller refuses a group whose values differ).
        for (const key of ["scheme", "ssl-policy", "ssl-redirect", "inbound-cidrs", "load-balancer-attributes"]) {
            assert.equal(new Set(internal.map((i) => annotations(i)[A(key)])).size, 1, key);
        }
        // Backends and group order.
        const grafana = internal.find((i) => host(i).startsWith("grafana."))!;
        assert.deepEqual(grafana.inputs.spec.rules[0].http.paths[0].backend, { service: { name: "kps-grafana", port: { number: 80 } } });
        assert.equal(annotations(grafana)[A("healthcheck-path")], "/api/health");
        assert.equal(new Set(internal.map((i) => annotations(i)[A("group.order")])).size, internal.length);
        // Nothing public, no WAF.
        assert.equal(inGroup(ingresses, ALB_GROUPS.public).length, 0);
        assert.equal(rec.ofType(T.waf).length, 0);
    });

    it("an app with oidc false has no auth annotations but keeps HTTPS and the redirect", async () => {
        const { rec } = await build(args({ apps: [...MONITORING_APPS, { name: "status", namespace: "monitoring", service: "status", port: 8080, oidc: false }] }));
        const status = rec.ofType(T.ingress).find((i) => host(i) === "status.apps.cnc.example.com")!;
        assert.equal(annotations(status)[A("auth-type")], undefined);
        assert.equal(annotations(status)[A("auth-idp-oidc")], undefined);
        assert.equal(annotations(status)[A("ssl-redirect")], "443");
    });

    it("exposes a public app on cnc-public too, with OIDC and the WebACL (common, known bad inputs, rate limit per IP)", async () => {
        const apps = MONITORING_APPS.map((a) => (a.name === "grafana" ? { ...a, public: true } : { ...a }));
        const { rec, component } = await build(args({ apps, publicAccess: { wafRateLimit: 500 } }));
        const ingresses = rec.ofType(T.ingress);
        const pub = inGroup(ingresses, ALB_GROUPS.public);
        assert.deepEqual(pub.map(host), ["grafana.apps.cnc.example.com"]);
        assert.ok(inGroup(ingresses, ALB_GROUPS.internal).some((i) => host(i) === "grafana.apps.cnc.example.com"), "a public app keeps its internal Ingress");
        const a = annotations(pub[0]);
        assert.equal(a[A("scheme")], "internet-facing");
        assert.equal(a[A("auth-type")], "oidc");
        assert.equal(a[A("ssl-redirect")], "443");
        const waf = rec.one(T.waf);
        assert.equal(a[A("wafv2-acl-arn")], waf.state.arn);
        assert.equal(waf.inputs.scope, "REGIONAL");
        assert.deepEqual(waf.inputs.defaultAction, { allow: {} });
        const groups = waf.inputs.rules.map((r: any) => r.statement.managedRuleGroupStatement?.name).filter(Boolean);
        assert.deepEqual(groups, ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]);
        const rate = waf.inputs.rules.find((r: any) => r.statement.rateBasedStatement)!;
        assert.deepEqual(rate.statement.rateBasedStatement, { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 });
        assert.deepEqual(rate.action, { block: {} });
        for (const r of waf.inputs.rules) assert.equal(r.visibilityConfig.cloudwatchMetricsEnabled, true);
        assert.equal(rec.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").length, 0, "the controller owns the association");
        assert.deepEqual(await valueOf(component.publicUrls), { grafana: "https://grafana.apps.cnc.example.com" });
    });

    it("the record set equals the Ingress hostnames, each aliasing its group's ALB", async () => {
        const apps = MONITORING_APPS.map((a) => (a.name === "thanos" ? { ...a, public: true } : { ...a }));
        const { rec, component } = await build(args({ apps }));
        const ingresses = rec.ofType(T.ingress);
        const fromIngresses = ingresses.map((i) => `${annotations(i)[A("group.name")] === ALB_GROUPS.public ? "public" : "private"} ${host(i)}`).sort();
        const fromRecords = component.records.map((r) => `${r.zone} ${r.name}`).sort();
        assert.deepEqual(fromRecords, fromIngresses);
        for (const r of component.records) {
            assert.equal(await valueOf(r.alias!.dnsName), r.zone === "public" ? ALB_HOST.public : ALB_HOST.internal);
            assert.equal(await valueOf(r.alias!.zoneId), ELB_ZONE);
        }
        assert.deepEqual(await valueOf(component.urls), Object.fromEntries(MONITORING_APPS.map((a) => [a.name, `https://${a.name}.apps.cnc.example.com`])));
    });

    it("requests *.<domain> + <domain>, validates it by DNS in the public zone, and covers every host (one label under the wildcard)", async () => {
        const { rec, component } = await build();
        const cert = rec.one(T.cert).inputs;
        assert.equal(cert.domainName, "*.apps.cnc.example.com");
        assert.deepEqual(cert.subjectAlternativeNames, ["apps.cnc.example.com"]);
        assert.equal(cert.validationMethod, "DNS");
        const record = rec.one(T.record).inputs;
        assert.equal(record.zoneId, "Z0123456789ABCDEFGHIJ");
        assert.equal(record.name, "_abc123.apps.cnc.example.com.");
        assert.deepEqual(rec.one(T.certValidation).inputs.validationRecordFqdns, ["_abc123.apps.cnc.example.com"]);
        assert.equal(await valueOf(component.certificateArn), CERT_ARN);
        for (const i of rec.ofType(T.ingress)) assert.ok(certificateCovers({ domainName: cert.domainName, subjectAlternativeNames: cert.subjectAlternativeNames }, host(i)), host(i));
        // The matcher itself: one label only.
        assert.equal(nameCovers("*.apps.x.com", "grafana.apps.x.com"), true);
        assert.equal(nameCovers("*.apps.x.com", "a.grafana.apps.x.com"), false);
        assert.equal(nameCovers("*.apps.x.com", "apps.x.com"), false);
        assert.equal(certificateCovers(certificateNames("apps.x.com"), "apps.x.com"), true);
    });

    it("private-ca issues from the CA without validation; existing uses the ARN as is", async () => {
        const ca = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
        const pca = await build(args({ domain: "apps.cnc.internal", certificate: { mode: "private-ca", certificateAuthorityArn: ca } }));
        assert.equal(pca.rec.one(T.cert).inputs.certificateAuthorityArn, ca);
        assert.equal(pca.rec.ofType(T.certValidation).length, 0);
        assert.equal(pca.rec.ofType(T.record).length, 0);
        const existing = await build(args({ domain: "apps.cnc.internal", certificate: { mode: "existing", certificateArn: CERT_ARN } }));
        assert.equal(existing.rec.ofType(T.cert).length, 0);
        for (const i of existing.rec.ofType(T.ingress)) assert.equal(annotations(i)[A("certificate-arn")], CERT_ARN);
    });

    it("gives the LB controller get/list/watch on exactly the OIDC secret in each OIDC namespace", async () => {
        const { rec } = await build();
        const namespaces = rec.ofType(T.secret).map((s) => s.inputs.metadata.namespace).sort();
        assert.deepEqual(namespaces, ["monitoring", "provisioner"]);
        for (const ns of namespaces) {
            const role = rec.ofType(T.role).find((r) => r.inputs.metadata.namespace === ns)!;
            assert.deepEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["secrets"], resourceNames: [NAMES.oidcSecret], verbs: ["get", "list", "watch"] }]);
            const binding = rec.ofType(T.roleBinding).find((r) => r.inputs.metadata.namespace === ns)!;
            assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "aws-load-balancer-controller", namespace: "kube-system" }]);
            assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.inputs.metadata.name });
        }
        // Every OIDC Ingress waits for its namespace's secret and binding.
        for (const ing of rec.ofType(T.ingress)) {
            const secret = rec.ofType(T.secret).find((s) => s.inputs.metadata.namespace === ing.inputs.metadata.namespace)!;
            assert.ok(ing.dependencies.includes(secret.urn), ing.name);
        }
    });

    it("keeps the client secret secret: only in the Secret's stringData, marked secret, and in no plain input", async () => {
        const { rec } = await build();
        for (const s of rec.ofType(T.secret)) {
            assert.deepEqual(s.inputs.stringData, { clientID: "cloud-cnc", clientSecret: SECRET_VALUE });
            assert.ok(s.secretInputs.includes("stringData"), `${s.name} stringData not marked secret`);
        }
        for (const r of rec.resources) {
            for (const [key, value] of Object.entries(r.inputs)) {
                if (r.secretInputs.includes(key)) continue;
                assert.ok(!JSON.stringify(value ?? null).includes(SECRET_VALUE), `${r.type} ${r.name}.${key} carries the client secret in plain`);
            }
        }
    });

    it("Headlamp: pinned chart in its own namespace, bound to a read-only ClusterRole (no wildcard, no secrets, not cluster-admin), behind OIDC", async () => {
        const { rec } = await build(args({ headlamp: { enabled: true } }));
        const release = rec.one(T.release).inputs;
        assert.equal(release.chart, "headlamp");
        assert.equal(release.version, "0.45.0");
        assert.equal(release.namespace, "headlamp");
        assert.equal(release.values.image.tag, "v0.45.0");
        assert.equal(release.values.clusterRoleBinding.create, false);
        assert.equal(release.values.config.unsafeUseServiceAccountToken, true);
        assert.equal(release.values.securityContext.readOnlyRootFilesystem, true);
        assert.equal(release.values.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(release.values.securityContext.capabilities, { drop: ["ALL"] });
        const bindings = rec.ofType(T.clusterRoleBinding);
        assert.equal(bindings.length, 1);
        const binding = bindings[0].inputs;
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: release.values.serviceAccount.name, namespace: "headlamp" }]);
        assert.notEqual(binding.roleRef.name, "cluster-admin");
        const role = rec.ofType(T.clusterRole).find((r) => r.inputs.metadata.name === binding.roleRef.name)!;
        for (const rule of role.inputs.rules) {
            assert.deepEqual(rule.verbs, ["get", "list", "watch"]);
            assert.ok(!rule.apiGroups.includes("*") && !rule.resources.includes("*"), JSON.stringify(rule));
            assert.ok(!rule.resources.includes("secrets"), "reads secrets");
            for (const sub of ["pods/exec", "pods/attach", "pods/portforward", "nodes/proxy", "serviceaccounts/token"]) assert.ok(!rule.resources.includes(sub), sub);
        }
        const ing = rec.ofType(T.ingress).find((i) => host(i) === "headlamp.apps.cnc.example.com")!;
        assert.equal(annotations(ing)[A("auth-type")], "oidc");
        assert.equal(ing.inputs.metadata.namespace, "headlamp");
        assert.ok(rec.ofType(T.secret).some((s) => s.inputs.metadata.namespace === "headlamp"));
        assert.ok(ing.dependencies.includes(rec.one(T.release).urn), "the Ingress waits for Headlamp's Service");
    });

    it("Headlamp admin groups add a Group binding only when configured", async () => {
        const { rec } = await build(args({ headlamp: { enabled: true, adminGroups: ["cnc-admins"] } }));
        const admin = rec.ofType(T.clusterRoleBinding).find((b) => b.inputs.metadata.name === NAMES.headlampAdminBinding)!;
        assert.deepEqual(admin.inputs.subjects, [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "cnc-admins" }]);
        const sa = rec.ofType(T.clusterRoleBinding).find((b) => b.inputs.metadata.name === NAMES.headlampClusterRole)!;
        assert.equal(sa.inputs.roleRef.name, NAMES.headlampClusterRole);
    });

    describe("refuses bad input before any child, naming the field", () => {
        const messages = (a: unknown) => refused(a).message;

        it("a public app without OIDC (names the app)", () => {
            const m = messages(args({ apps: [{ name: "grafana", namespace: "monitoring", service: "kps-grafana", port: 80, public: true, oidc: false }] }));
            assert.match(m, /apps\[0\]\.oidc: expected true for the public app grafana/);
        });

        it("a wide or public CIDR for the internal ALB", () => {
            assert.match(messages(args({ allowedCidrs: ["0.0.0.0/0"] })), /allowedCidrs\[0\]: expected a private IPv4 CIDR block/);
            assert.match(messages(args({ allowedCidrs: ["10.0.0.0/8", "8.8.0.0/18"] })), /allowedCidrs\[1\]: expected a private IPv4 CIDR block.*found "8\.8\.0\.0\/18"/);
            assert.match(messages(args({ allowedCidrs: [] })), /allowedCidrs: expected a list of at least one private CIDR block/);
        });

        it("a TLS policy that allows TLS 1.0/1.1", () => {
            for (const p of ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS-1-1-2017-01"]) {
                assert.match(messages(args({ sslPolicy: p })), new RegExp(`sslPolicy: expected an ALB TLS 1\\.2\\+ policy.*found "${p}"`));
            }
        });

        it("a domain not under the public zone", () => {
            const m = messages(args({ domain: "apps.cnc.internal" }));
            assert.match(m, /certificate\.publicZoneName: expected a public zone the apps domain apps\.cnc\.internal lies under/);
            assert.match(messages(args({ domain: "apps.cnc.notexample.com" })), /certificate\.publicZoneName/);
        });

        it("missing certificate fields per mode, duplicate app names, a public rate limit below 100", () => {
            assert.match(messages(args({ certificate: { mode: "private-ca" } })), /certificate\.certificateAuthorityArn: expected a value \(required when certificate\.mode is private-ca/);
            assert.match(messages(args({ certificate: { mode: "acme" } })), /certificate\.mode: expected one of "dns"/);
            assert.match(messages(args({ apps: [MONITORING_APPS[0], { ...MONITORING_APPS[0] }] })), /apps\[1\]\.name: expected a name not used by apps\[0\]/);
            assert.match(messages(args({ publicAccess: { wafRateLimit: 10 } })), /publicAccess\.wafRateLimit: expected requests per 5 minutes per client IP/);
            assert.match(messages(args({ oidc: { ...args().oidc, issuer: "http://idp.example.com" } })), /oidc\.issuer: expected an https URL/);
        });

        it("never prints a refused client secret", () => {
            const m = messages(args({ oidcClientSecret: "", domain: "bad_domain" }));
            assert.match(m, /oidcClientSecret: expected the OIDC client secret.*found a value \(hidden\)/);
            assert.match(m, /domain: expected the apps domain/);
            const n = messages(args({ oidcClientSecret: 987654321 as unknown as string }));
            assert.match(n, /oidcClientSecret: .*found a value \(hidden\)/);
            assert.ok(!n.includes("987654321"), n);
        });
    });
});

describe("albIngressAnnotations", () => {
    const base = { group: "cnc-internal", scheme: "internal" as const, healthcheckPath: "/" };

    it("without a certificate: HTTP 80 only, no redirect, no TLS policy", () => {
        const a = albIngressAnnotations(base);
        assert.equal(a[A("listen-ports")], '[{"HTTP":80}]');
        assert.equal(a[A("ssl-redirect")], undefined);
        assert.equal(a[A("ssl-policy")], undefined);
    });

    it("refuses OIDC without HTTPS, a TLS 1.0 policy, WAF on the internal group", () => {
        const oidc = { issuer: "https://i", authorizationEndpoint: "https://a", tokenEndpoint: "https://t", userInfoEndpoint: "https://u", secretName: "s", scope: "openid", sessionTimeoutSeconds: 60, onUnauthenticated: "authenticate" as const };
        assert.throws(() => albIngressAnnotations({ ...base, oidc }), /OIDC needs a certificateArn/);
        assert.throws(() => albIngressAnnotations({ ...base, certificateArn: CERT_ARN, sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }), /not a TLS 1\.2\+ policy/);
        assert.throws(() => albIngressAnnotations({ ...base, certificateArn: CERT_ARN, wafAclArn: "arn:aws:wafv2:x" }), /internet-facing/);
    });
});
