// The `cloud-cnc:ingress` section and its secret: refused without the client secret (and the secret
// without the section), public apps only with a publicly trusted certificate and only UIs the
// stack serves, group names that cannot break the role mappings, the apps domain under the public
// zone; and a stack without the section warns that the UIs are port-forward only.
import { strict as assert } from "assert";
import { renderProblem } from "../../components/common/errors";
import { ConfigError, NO_INGRESS_WARNING, configWarnings, parseStackConfig } from "../../stacks/config";
import { ingressApps, ingressArgs, loggingArgs, monitoringArgs } from "../../stacks/args";
import { TEST_SECRETS, stackTestConfig } from "../support/stack-files";

const KEY = "cloud-cnc:ingress";
const SECRET = "cloud-cnc:oidcClientSecret";

function problems(raw: Record<string, string>, secretKeys: string[] = Object.keys(TEST_SECRETS)): string[] {
    try {
        parseStackConfig(raw, new Set(secretKeys));
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems.map(renderProblem);
    }
    return [];
}

function withIngress(base: Record<string, string>, change: (ingress: any) => void): Record<string, string> {
    const ingress = JSON.parse(base[KEY]);
    change(ingress);
    return { ...base, [KEY]: JSON.stringify(ingress) };
}

function without(base: Record<string, string>, ...keys: string[]): Record<string, string> {
    const out = { ...base };
    for (const k of keys) delete out[k];
    return out;
}

describe("stack config: cloud-cnc:ingress", () => {
    const dev = stackTestConfig("dev").config;
    const prod = stackTestConfig("prod").config;
    const secrets = new Set(Object.keys(TEST_SECRETS));

    it("the committed stacks configure it: dev and staging with the Private CA, prod DNS-validated with Headlamp", () => {
        const d = parseStackConfig(dev, secrets).ingress!;
        assert.equal(d.certificate.mode, "private-ca");
        const p = parseStackConfig(prod, secrets).ingress!;
        assert.equal(p.certificate.mode, "dns");
        assert.equal(p.headlamp.enabled, true);
        assert.deepEqual(p.groups.admin, ["platform-admins"]);
        const staging = stackTestConfig("staging").config;
        assert.deepEqual(problems(staging), []);
    });

    it("requires the OIDC client secret with the section, as a secret, and refuses it without the section", () => {
        assert.deepEqual(problems(without(dev, SECRET)), [
            `${SECRET}: expected a secret: the OIDC client secret of ingress.oidc.clientId at the IdP (required with cloud-cnc:ingress) (pulumi config set --secret ${SECRET} <value>), found nothing`,
        ]);
        assert.deepEqual(
            problems(dev, Object.keys(TEST_SECRETS).filter((k) => k !== SECRET)),
            [`${SECRET}: expected a secret (pulumi config set --secret ${SECRET} ...), found a value (hidden)`],
        );
        assert.deepEqual(problems(without(dev, KEY)), [`${SECRET}: expected nothing without a cloud-cnc:ingress section (the secret of its OIDC client), found a value (hidden)`]);
        // Neither: valid, and the preview warns that the UIs are port-forward only.
        const cfg = parseStackConfig(without(dev, KEY, SECRET), new Set(Object.keys(TEST_SECRETS).filter((k) => k !== SECRET)));
        assert.equal(cfg.ingress, undefined);
        assert.ok(cfg.warnings.includes(NO_INGRESS_WARNING));
        assert.ok(!parseStackConfig(dev, secrets).warnings.includes(NO_INGRESS_WARNING));
        assert.ok(configWarnings({ ...parseStackConfig(dev, secrets), ingress: undefined }).includes(NO_INGRESS_WARNING));
    });

    it("public apps: only with a DNS-validated certificate, only UIs the stack serves, never Headlamp", () => {
        assert.deepEqual(problems(withIngress(dev, (i) => (i.publicApps = ["grafana"]))), [
            'cloud-cnc:ingress.publicApps: expected none unless certificate.mode is "dns" (a public app needs a publicly trusted certificate, and its record goes in that public zone), found ["grafana"]',
        ]);
        assert.deepEqual(problems(withIngress(prod, (i) => (i.publicApps = ["grafana", "provisioner"]))), []);
        assert.deepEqual(problems(withIngress(prod, (i) => (i.publicApps = ["prometheus"]))), [
            'cloud-cnc:ingress.publicApps[0]: expected a UI this stack serves (prometheus only when monitoring.federation.mode is prometheus-federation): one of grafana, thanos, alertmanager, provisioner, found "prometheus"',
        ]);
        assert.match(problems(withIngress(prod, (i) => (i.publicApps = ["headlamp"])))[0], /^cloud-cnc:ingress\.publicApps\[0\]: expected one of the UIs that may be public: grafana, thanos, alertmanager, provisioner, prometheus \(Headlamp stays private\), found "headlamp"$/);
    });

    it("refuses group names that could break a role mapping, an empty admin list, and public CIDRs for the internal ALB", () => {
        const got = problems(
            withIngress(dev, (i) => {
                i.groups = { admin: [], viewer: ["ops' || 'Admin"] };
                i.allowedCidrs = ["0.0.0.0/0"];
            }),
        );
        assert.equal(got.length, 3, got.join("\n"));
        assert.match(got.join("\n"), /cloud-cnc:ingress\.groups\.admin: expected a list of at least one group/);
        assert.match(got.join("\n"), /cloud-cnc:ingress\.groups\.viewer\[0\]: expected an IdP group name .*no spaces, quotes/);
        assert.match(got.join("\n"), /cloud-cnc:ingress\.allowedCidrs\[0\]: expected/);
    });

    it("the apps domain (the internal zone) must lie under the certificate's public zone; its problem is reported where it is set", () => {
        const raw = { ...prod, "cloud-cnc:network": JSON.stringify({ ...JSON.parse(prod["cloud-cnc:network"]), internalZone: { name: "apps.cnc.internal" } }) };
        assert.deepEqual(problems(raw), [
            'cloud-cnc:ingress.certificate.publicZoneName: expected a public zone the apps domain apps.cnc.internal lies under (ACM looks the validation record _<token>.apps.cnc.internal up in public DNS), found "cnc.example.com"',
        ]);
        assert.match(problems(withIngress(prod, (i) => delete i.certificate.publicZoneId)).join("\n"), /cloud-cnc:ingress\.certificate\.publicZoneId: expected a value \(required when certificate\.mode is dns/);
    });

    it("composes the table of hosts from the components: the VPC first in the allowed CIDRs, the provisioner API answering 401, the existing certificate", () => {
        const cfg = parseStackConfig(prod, secrets);
        const withI = { ...cfg, ingress: cfg.ingress! };
        assert.deepEqual(
            ingressApps(withI).map((a) => [a.name, a.namespace, a.service, a.port, a.onUnauthenticated ?? "authenticate"]),
            [
                ["grafana", "monitoring", "kps-grafana", 80, "authenticate"],
                ["thanos", "monitoring", "thanos-query-frontend", 9090, "authenticate"],
                ["alertmanager", "monitoring", "kps-alertmanager", 9093, "authenticate"],
                ["provisioner", "provisioner", "provisioner", 8075, "deny"],
            ],
        );
        const fed = parseStackConfig({ ...prod, "cloud-cnc:monitoring": JSON.stringify({ ...JSON.parse(prod["cloud-cnc:monitoring"]), federation: { mode: "prometheus-federation" } }) }, secrets);
        assert.deepEqual(ingressApps({ ...fed, ingress: fed.ingress! }).map((a) => a.name), ["grafana", "thanos", "alertmanager", "prometheus", "provisioner"]);
        const args = ingressArgs(withI, { vpcCidr: "10.80.0.0/16" }, "secret", "arn:aws:acm:eu-west-1:123456789012:certificate/x");
        assert.deepEqual(args.allowedCidrs, ["10.80.0.0/16", "10.100.0.0/14", "192.168.0.0/20"]);
        assert.deepEqual(args.certificate, { mode: "existing", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" });
        assert.equal(args.domain, "apps.cnc.example.com");
        assert.equal("groups" in args || "publicApps" in args, false);
    });

    it("OpenSearch: the custom endpoint opensearch.<apps domain> with the apps certificate; SAML's groups from the ingress section; SAML refused without it", () => {
        const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"></md:IDPSSODescriptor></md:EntityDescriptor>`;
        const logging = JSON.stringify({ ...JSON.parse(prod["cloud-cnc:logging"]), saml: { idpEntityId: "http://www.okta.com/exk1", idpMetadataXml: metadata } });
        const cfg = parseStackConfig({ ...prod, "cloud-cnc:logging": logging }, secrets);
        const none = { vpcId: "vpc-1", privateSubnetIds: ["s1", "s2", "s3"], publicSubnetIds: [], monitoringZoneId: "Z1", monitoringZoneName: "m", internalZoneName: "apps.cnc.example.com" };
        const cluster = { clusterName: "c", oidcProviderArn: "arn", oidcProviderUrl: "url", clusterSecurityGroupId: "sg-1" };
        const args = loggingArgs(cfg, none, cluster, "arn:topic", "arn:cert");
        assert.deepEqual(args.customEndpoint, { hostname: "opensearch.apps.cnc.example.com", certificateArn: "arn:cert" });
        assert.deepEqual([args.saml!.adminGroup, args.saml!.readerGroups], ["platform-admins", ["platform-engineers", "support"]]);
        // Grafana's sign-in: the same issuer and client, the groups per role, the client secret.
        const grafana = monitoringArgs(cfg, cluster, { alertWebhookUrl: "w", oidcClientSecret: "s" });
        assert.deepEqual([grafana.grafana!.sso!.rootUrl, grafana.grafana!.sso!.clientId, grafana.grafana!.sso!.adminGroups, grafana.grafanaOidcClientSecret], ["https://grafana.apps.cnc.example.com/", "cloud-cnc", ["platform-admins"], "s"]);
        // Without the ingress section: no custom endpoint, no Grafana sign-in, and SAML is refused.
        const bare = parseStackConfig(without(prod, KEY, SECRET), new Set(Object.keys(TEST_SECRETS).filter((k) => k !== SECRET)));
        assert.equal(loggingArgs(bare, none, cluster, "arn:topic").customEndpoint, undefined);
        assert.equal(monitoringArgs(bare, cluster, { alertWebhookUrl: "w" }).grafana!.sso, undefined);
        const refused = problems({ ...without(prod, KEY, SECRET), "cloud-cnc:logging": logging }, Object.keys(TEST_SECRETS).filter((k) => k !== SECRET));
        assert.equal(refused.length, 1, refused.join("\n"));
        assert.ok(refused[0].startsWith("cloud-cnc:logging.saml: expected nothing without a cloud-cnc:ingress section (SAML sign-in uses its custom endpoint opensearch.<apps domain>, its certificate and its groups), found "), refused[0]);
    });

    it("refuses a group in two roles (Grafana and OpenSearch would silently give the higher one)", () => {
        assert.deepEqual(problems(withIngress(dev, (i) => (i.groups = { admin: ["ops"], viewer: ["ops"] }))), ['cloud-cnc:ingress.groups.viewer[0]: expected a group not already in groups.admin (one role per group), found "ops"']);
    });
});
