// AppIngress fixtures: args for a prod-like table and a build under mocks whose Ingresses get an
// ALB hostname, whose certificate gets validation options and whose ELB zone id is known.
import * as pulumi from "@pulumi/pulumi";
import { AppIngress, AppIngressArgs } from "../../components/app-ingress";
import { ALB_GROUPS } from "../../components/common/ingress";
import { settle } from "./pulumi-harness";
import { setupThanosPulumi } from "./thanos-harness";

export const T = {
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    secret: "kubernetes:core/v1:Secret",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    release: "kubernetes:helm.sh/v3:Release",
    cert: "aws:acm/certificate:Certificate",
    certValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    waf: "aws:wafv2/webAcl:WebAcl",
};
export const A = (k: string) => `alb.ingress.kubernetes.io/${k}`;
export const SECRET_VALUE = "s3cr3t-client-value-Zq9";
export const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
export const ALB_HOST = { internal: "internal-k8s-cncinternal-0123456789.eu-west-1.elb.amazonaws.com", public: "k8s-cncpublic-9876543210.eu-west-1.elb.amazonaws.com" };
export const ELB_ZONE = "Z32O12XQLNTSW2";

export const MONITORING_APPS = [
    { name: "grafana", namespace: "monitoring", service: "kps-grafana", port: 80, healthcheckPath: "/api/health" },
    { name: "thanos", namespace: "monitoring", service: "thanos-query-frontend", port: 9090, healthcheckPath: "/-/healthy" },
    { name: "alertmanager", namespace: "monitoring", service: "kps-alertmanager", port: 9093, healthcheckPath: "/-/healthy" },
    { name: "provisioner", namespace: "provisioner", service: "provisioner", port: 8075, healthcheckPath: "/api/clusters", onUnauthenticated: "deny" },
];

export function args(overrides: Partial<AppIngressArgs> = {}): AppIngressArgs {
    return {
        environment: "prod",
        prefix: "cloud",
        profile: "production",
        tags: { Team: "platform" },
        domain: "apps.cnc.example.com",
        apps: MONITORING_APPS.map((a) => ({ ...a })),
        allowedCidrs: ["10.20.0.0/16", "10.100.0.0/14", "192.168.50.0/24"],
        certificate: { mode: "dns", publicZoneId: "Z0123456789ABCDEFGHIJ", publicZoneName: "example.com" },
        oidc: {
            issuer: "https://idp.example.com",
            authorizationEndpoint: "https://idp.example.com/oauth2/v1/authorize",
            tokenEndpoint: "https://idp.example.com/oauth2/v1/token",
            userInfoEndpoint: "https://idp.example.com/oauth2/v1/userinfo",
            clientId: "cloud-cnc",
        },
        oidcClientSecret: pulumi.secret(SECRET_VALUE),
        ...overrides,
    };
}

export async function build(a: AppIngressArgs = args()) {
    const h = await setupThanosPulumi({
        state: (m) => {
            if (m.type === T.ingress) {
                const group = m.inputs.metadata?.annotations?.[A("group.name")] === ALB_GROUPS.public ? "public" : "internal";
                return { status: { loadBalancer: { ingress: [{ hostname: ALB_HOST[group] }] } } };
            }
            if (m.type === T.cert) {
                const rr = { resourceRecordName: `_abc123.${a.domain}.`, resourceRecordType: "CNAME", resourceRecordValue: "_xyz.acm-validations.aws." };
                return { arn: CERT_ARN, domainValidationOptions: [{ domainName: m.inputs.domainName, ...rr }, { domainName: a.domain, ...rr }] };
            }
            if (m.type === T.record) return { fqdn: String(m.inputs.name).replace(/\.$/, "") };
            if (m.type === T.certValidation) return { certificateArn: m.inputs.certificateArn };
            return undefined;
        },
        call: (c) => (c.token === "aws:lb/getHostedZoneId:getHostedZoneId" ? { id: ELB_ZONE, loadBalancerType: c.inputs.loadBalancerType } : undefined),
    });
    const component = new AppIngress("ingress", a, h.opts);
    await settle();
    return { ...h, component };
}

