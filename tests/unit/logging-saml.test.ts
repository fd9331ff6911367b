// LoggingPipeline sign-in to OpenSearch Dashboards: the custom endpoint with the apps certificate,
// SAML with the IdP's groups (admin group = master backend role, reader groups = backend roles of
// the reader role through the bootstrap), the wildcard principal only with SAML, and refusals.
import { strict as assert } from "assert";
import { InvalidArgsError } from "../../components/common/errors";
import { LoggingPipeline } from "../../components/logging";
import { OPENSEARCH_NAMES, hasWildcardPrincipal } from "../../components/logging/plan";
import { isSamlMetadata } from "../../components/logging/schema";
import { BootstrapEvent } from "../../functions/opensearch-bootstrap/contract";
import { Recorder, settle, setupPulumi } from "../support/pulumi-harness";
import { SRE_ROLE, argsFor, buildLogging } from "../support/logging-fixtures";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
const METADATA = `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1a2b3c4"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
const customEndpoint = { hostname: "opensearch.apps.cnc.internal", certificateArn: CERT };
const saml = { idpEntityId: "http://www.okta.com/exk1a2b3c4", idpMetadataXml: METADATA, adminGroup: "platform-admins", readerGroups: ["platform-engineers", "support"] };
const T = { domain: "aws:opensearch/domain:Domain", saml: "aws:opensearch/domainSamlOptions:DomainSamlOptions", invocation: "aws:lambda/invocation:Invocation" };
const event = (rec: Recorder): BootstrapEvent => JSON.parse(rec.one(T.invocation).inputs.input);

function refused(overrides: Record<string, unknown>): string {
    try {
        new LoggingPipeline("bad", argsFor("dev", {}, overrides));
    } catch (e) {
        assert.ok(e instanceof InvalidArgsError, String(e));
        return e.message;
    }
    assert.fail("expected the args to be refused");
}

describe("LoggingPipeline: OpenSearch Dashboards sign-in (mocks)", function () {
    this.timeout(120_000);

    it("custom endpoint: the domain serves opensearch.<domain> with the given certificate, HTTPS and the TLS policy kept; Dashboards URL on it", async () => {
        const { rec, component } = await buildLogging(argsFor("dev", {}, { customEndpoint }));
        assert.deepEqual(rec.one(T.domain).inputs.domainEndpointOptions, {
            enforceHttps: true,
            tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10",
            customEndpointEnabled: true,
            customEndpoint: "opensearch.apps.cnc.internal",
            customEndpointCertificateArn: CERT,
        });
        assert.equal(await new Promise((r) => component.dashboardsUrl.apply(r)), "https://opensearch.apps.cnc.internal/_dashboards");
        // No SAML: no sign-in resource, no wildcard principal.
        assert.equal(rec.ofType(T.saml).length, 0);
        assert.equal(hasWildcardPrincipal(JSON.parse(rec.one(T.domain).inputs.accessPolicies)), false);
    });

    it("SAML: the IdP, the admin group as master backend role, the groups attribute, the session timeout; reader groups mapped by the bootstrap; the wildcard principal only now", async () => {
        const { rec } = await buildLogging(argsFor("dev", {}, { customEndpoint, saml }));
        const s = rec.one(T.saml);
        assert.equal(s.inputs.domainName, "cloud-dev-logs");
        assert.deepEqual(s.inputs.samlOptions, {
            enabled: true,
            idp: { entityId: saml.idpEntityId, metadataContent: METADATA },
            masterBackendRole: "platform-admins",
            rolesKey: "groups",
            sessionTimeoutMinutes: 480,
        });
        assert.ok(s.dependencies.includes(rec.one(T.domain).urn), "after the domain");
        const reader = event(rec).desired.roleMappings.find((m) => m.role === OPENSEARCH_NAMES.readerRole)!;
        assert.deepEqual(reader.body.backend_roles, [SRE_ROLE, "platform-engineers", "support"].sort());
        const policy = JSON.parse(rec.one(T.domain).inputs.accessPolicies);
        assert.equal(hasWildcardPrincipal(policy), true);
        const wildcard = policy.Statement.filter((st: any) => st.Principal.AWS === "*");
        assert.deepEqual(wildcard.map((st: any) => [st.Sid, st.Resource]), [["SamlBrowserSessions", "arn:aws:es:eu-west-1:123456789012:domain/cloud-dev-logs/*"]]);
        // The IAM principals keep their own statements; group names never become policy principals.
        assert.ok(!JSON.stringify(policy).includes("platform-engineers"));
        // subjectKey set: passed through.
        const { rec: withSubject } = await buildLogging(argsFor("dev", {}, { customEndpoint, saml: { ...saml, subjectKey: "email", sessionTimeoutMinutes: 60 } }));
        assert.equal(withSubject.one(T.saml).inputs.samlOptions.subjectKey, "email");
        assert.equal(withSubject.one(T.saml).inputs.samlOptions.sessionTimeoutMinutes, 60);
    });

    it("refuses SAML without a custom endpoint, metadata that is not IdP metadata, the admin group among readers, a timeout outside 1-1440, a quoted group; nothing registered", async () => {
        const rec = await setupPulumi();
        assert.match(refused({ saml }), /customEndpoint: expected a custom endpoint with saml/);
        assert.match(refused({ customEndpoint, saml: { ...saml, idpMetadataXml: "<html>not saml</html>" } }), /saml\.idpMetadataXml: expected the IdP's SAML metadata XML/);
        assert.match(refused({ customEndpoint, saml: { ...saml, readerGroups: ["platform-admins"] } }), /saml\.readerGroups: expected groups other than adminGroup platform-admins/);
        assert.match(refused({ customEndpoint, saml: { ...saml, sessionTimeoutMinutes: 2000 } }), /saml\.sessionTimeoutMinutes: expected minutes from 1 to 1440/);
        assert.match(refused({ customEndpoint, saml: { ...saml, adminGroup: "a'b" } }), /saml\.adminGroup: expected an IdP group name/);
        assert.match(refused({ customEndpoint: { ...customEndpoint, hostname: "https://opensearch.x.y" } }), /customEndpoint\.hostname: expected a fully qualified lowercase DNS name/);
        await settle();
        assert.deepEqual(rec.resources, []);
    });

    it("recognises SAML IdP metadata (any namespace prefix), not SP metadata or other XML", () => {
        assert.equal(isSamlMetadata(METADATA), true);
        assert.equal(isSamlMetadata(METADATA.replace(/md:/g, "")), true);
        assert.equal(isSamlMetadata(METADATA.replace(/IDPSSODescriptor/g, "SPSSODescriptor")), false);
        assert.equal(isSamlMetadata(`<EntityDescriptor>${"x".repeat(200)}`), false);
        assert.equal(isSamlMetadata("<html>" + "x".repeat(200) + "</html>"), false);
    });
});
