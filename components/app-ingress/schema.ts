// AppIngress's rule book: the one definition of its plain-data args (field rules, messages,
// defaults, cross-field rules). The component parses its args with it before creating any child;
// the stack's config section for it is this schema without the keys the composition supplies.
import { z } from "zod";
import { certificateArn, dnsName, environmentName, format, hostedZoneId, httpsUrl, intIn, internalCidr, isDnsName, k8sName, matches, namePrefix, port, tags } from "../common/formats";
import { DEFAULT_SSL_POLICY, SSL_POLICY_RE, STRING_MAP_UNSAFE } from "../common/ingress";
import { addIssue, allRules, input, profileSchema } from "../common/schema";

export const APP_INGRESS_EXPECTED = {
    domain: "the apps domain: a lowercase DNS name of at least two labels without a trailing dot, such as apps.cnc.internal",
    appName: "a DNS label of 1-54 lowercase letters, digits and '-' (the host is <name>.<domain>; the Ingress <name>-internal)",
    healthcheckPath: "an absolute HTTP path such as / or /api/health",
    successCodes: "HTTP codes such as 200, 200-399 or 200,302",
    sslPolicy: `an ALB TLS 1.2+ policy: ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS13-1-3-* (default ${DEFAULT_SSL_POLICY})`,
    certificateMode: 'one of "dns" (DNS-validated in a public parent zone), "private-ca" (issued by AWS Private CA) or "existing" (an ACM certificate ARN)',
    caArn: "an AWS Private CA ARN such as arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d",
    clientId: "the OIDC client id registered at the IdP (1-255 printable characters)",
    clientSecret: "the OIDC client secret (a pulumi secret, e.g. config.requireSecret(\"oidcClientSecret\"))",
    scope: "space-separated OIDC scopes including openid, such as openid email profile",
    sessionTimeout: "a session timeout in seconds from 60 to 604800 (7 days, the ALB maximum)",
    wafRateLimit: "requests per 5 minutes per client IP, a whole number from 100 to 2000000000",
    onUnauthenticated: 'what the ALB answers a request without a session: "authenticate" (redirect to the IdP, for browsers) or "deny" (401, for API clients)',
    group: "a Kubernetes group name as the API server sees it (1-256 characters, no spaces)",
} as const;

const CA_ARN_RE = /^arn:aws(-[a-z]+)*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/;

/** One UI behind the ALB: the ONE table of hosts (Ingresses, certificate names and DNS records all come from it). */
export const appSchema = z
    .object({
        name: format(APP_INGRESS_EXPECTED.appName, matches(/^[a-z0-9]([a-z0-9-]{0,52}[a-z0-9])?$/)),
        namespace: k8sName(),
        service: k8sName(),
        port: port(),
        healthcheckPath: format(APP_INGRESS_EXPECTED.healthcheckPath, matches(/^\/[\x21-\x7e]*$/)).default("/"),
        successCodes: format(APP_INGRESS_EXPECTED.successCodes, matches(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/)).optional(),
        public: z.boolean("true or false").default(false),
        oidc: z.boolean("true or false").default(true),
        onUnauthenticated: z.enum(["authenticate", "deny"], { message: APP_INGRESS_EXPECTED.onUnauthenticated }).default("authenticate"),
    })
    .strict();

export const certificateSchema = z
    .object({
        mode: z.enum(["dns", "private-ca", "existing"], { message: APP_INGRESS_EXPECTED.certificateMode }),
        publicZoneId: hostedZoneId().optional(),
        publicZoneName: dnsName().optional(),
        certificateAuthorityArn: format(APP_INGRESS_EXPECTED.caArn, matches(CA_ARN_RE)).optional(),
        /** An Input: the stack passes the ARN of the IngressCertificate it creates before the apps' Ingresses. */
        certificateArn: input(certificateArn()).optional(),
    })
    .strict();

export const oidcSchema = z
    .object({
        issuer: httpsUrl(),
        authorizationEndpoint: httpsUrl(),
        tokenEndpoint: httpsUrl(),
        userInfoEndpoint: httpsUrl(),
        clientId: format(APP_INGRESS_EXPECTED.clientId, matches(/^[\x21-\x7e]{1,255}$/)),
        scope: format(APP_INGRESS_EXPECTED.scope, (v) => /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(v) && v.split(" ").includes("openid")).default("openid email profile"),
        sessionTimeoutSeconds: intIn(60, 604800, APP_INGRESS_EXPECTED.sessionTimeout).default(28800),
    })
    .strict();

/** Every arg of AppIngress: field rules, messages and plain defaults. */
export const appIngressArgsSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        tags: tags().default({}),
        domain: format(APP_INGRESS_EXPECTED.domain, (v) => isDnsName(v) && !v.endsWith(".") && v.length <= 200),
        apps: z.array(appSchema, "a list of apps").min(1, "a list of at least one app"),
        allowedCidrs: z.array(internalCidr(), "a list of IPv4 CIDR blocks").min(1, "a list of at least one private CIDR block (the VPC's, then workload and office networks)"),
        sslPolicy: format(APP_INGRESS_EXPECTED.sslPolicy, matches(SSL_POLICY_RE)).default(DEFAULT_SSL_POLICY),
        certificate: certificateSchema,
        oidc: oidcSchema,
        oidcClientSecret: input(z.string(APP_INGRESS_EXPECTED.clientSecret).min(1, APP_INGRESS_EXPECTED.clientSecret)),
        publicAccess: z
            .object({ wafRateLimit: intIn(100, 2_000_000_000, APP_INGRESS_EXPECTED.wafRateLimit).default(2000) })
            .strict()
            .prefault({}),
        headlamp: z
            .object({
                enabled: z.boolean("true or false").default(false),
                adminGroups: z.array(format(APP_INGRESS_EXPECTED.group, matches(/^\S{1,256}$/)), "a list of group names").optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict();

export type AppIngressArgsInput = z.input<typeof appIngressArgsSchema>;

/** The certificate's cross-field rules (shared by AppIngress and IngressCertificate), on raw input. */
export function certificateRules(c: z.output<typeof certificateSchema> | undefined, domain: unknown, at: PropertyKey[], ctx: z.RefinementCtx): void {
    if (!c || typeof c !== "object") return;
    const need = (field: "publicZoneId" | "publicZoneName" | "certificateAuthorityArn" | "certificateArn", why: string) => {
        if (c[field] === undefined) addIssue(ctx, [...at, field], `a value (required when certificate.mode is ${c.mode}: ${why})`, undefined);
    };
    const forbid = (fields: Array<"publicZoneId" | "publicZoneName" | "certificateAuthorityArn" | "certificateArn">) => {
        for (const f of fields) if (c[f] !== undefined) addIssue(ctx, [...at, f], `nothing (not used when certificate.mode is ${c.mode})`, c[f]);
    };
    if (c.mode === "dns") {
        need("publicZoneId", "the public zone that holds the validation record");
        need("publicZoneName", "its name, a parent of the apps domain");
        forbid(["certificateAuthorityArn", "certificateArn"]);
        const zone = typeof c.publicZoneName === "string" ? c.publicZoneName.replace(/\.$/, "") : undefined;
        if (zone && typeof domain === "string" && domain !== zone && !domain.endsWith(`.${zone}`)) {
            addIssue(ctx, [...at, "publicZoneName"], `a public zone the apps domain ${domain} lies under (ACM looks the validation record _<token>.${domain} up in public DNS)`, c.publicZoneName);
        }
    } else if (c.mode === "private-ca") {
        need("certificateAuthorityArn", "the GENERAL_PURPOSE Private CA that issues the certificate");
        forbid(["publicZoneId", "publicZoneName", "certificateArn"]);
    } else if (c.mode === "existing") {
        need("certificateArn", "an ISSUED ACM certificate covering *.<domain>");
        forbid(["publicZoneId", "publicZoneName", "certificateAuthorityArn"]);
    }
}

/** The cross-field rules, on raw (possibly invalid) input. */
function rules(a: z.output<typeof appIngressArgsSchema>, ctx: z.RefinementCtx): void {
    const apps = Array.isArray(a.apps) ? a.apps : [];
    const seen = new Map<string, number>();
    apps.forEach((app, i) => {
        if (!app || typeof app !== "object") return;
        if (app.public === true && app.oidc === false) addIssue(ctx, ["apps", i, "oidc"], `true for the public app ${app.name}: a public app is always behind OIDC (set oidc true or public false)`, app.oidc);
        if (typeof app.name === "string") {
            if (seen.has(app.name)) addIssue(ctx, ["apps", i, "name"], `a name not used by apps[${seen.get(app.name)}] (one host per app)`, app.name);
            else seen.set(app.name, i);
            if (a.headlamp?.enabled === true && app.name === "headlamp") addIssue(ctx, ["apps", i, "name"], "a name other than headlamp (headlamp.enabled adds the headlamp app itself)", app.name);
        }
    });
    certificateRules(a.certificate, a.domain, ["certificate"], ctx);
    if (a.tags && typeof a.tags === "object") {
        for (const [k, v] of Object.entries(a.tags)) {
            if (STRING_MAP_UNSAFE.test(k) || (typeof v === "string" && STRING_MAP_UNSAFE.test(v))) addIssue(ctx, ["tags", k], "a tag without ',' or '=' in key or value (the controller's tags annotation is k1=v1,k2=v2)", v);
        }
    }
}

/** The args parsed into settings: every default applied, every rule checked. */
export const appIngressSchema = appIngressArgsSchema.superRefine(...allRules(rules));
export type AppIngressSettings = z.output<typeof appIngressSchema>;
export type AppSettings = z.output<typeof appSchema>;

/** IngressCertificate's rule book: the certificate of every host of an apps domain, on its own. */
export const ingressCertificateArgsSchema = z
    .object({
        tags: tags().default({}),
        domain: appIngressArgsSchema.shape.domain,
        certificate: certificateSchema,
    })
    .strict();

export const ingressCertificateSchema = ingressCertificateArgsSchema.superRefine(
    ...allRules((a: z.output<typeof ingressCertificateArgsSchema>, ctx) => certificateRules(a.certificate, a.domain, ["certificate"], ctx)),
);
export type IngressCertificateSettings = z.output<typeof ingressCertificateSchema>;
