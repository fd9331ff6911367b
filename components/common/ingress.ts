// The ONE builder of AWS Load Balancer Controller Ingress annotations
// (`alb.ingress.kubernetes.io/*`). Every Ingress of this project that joins an ALB group is
// annotated by it, so the values the controller requires to be identical across a group
// (scheme, ssl-policy, ssl-redirect, inbound-cidrs, load-balancer-attributes, wafv2-acl-arn:
// "Exclusive" merge behavior) cannot disagree.
//
// Annotation names, value formats and merge behavior: kubernetes-sigs/aws-load-balancer-controller
// @ v2.17.1, docs/guide/ingress/annotations.md and pkg/annotations/constants.go
// (IngressSuffix* constants); OIDC JSON keys from pkg/ingress/config_types.go AuthIDPConfigOIDC
// (issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, secretName). Group merge
// checked in pkg/ingress/model_builder.go mergeListenPortConfigs: an Ingress that sets no
// inbound-cidrs contributes none; two that set different ones, or different ssl-policies, fail
// the whole group's reconcile ("conflicting inbound-cidrs" / "conflicting sslPolicy").

import { versions } from "./versions";

/** Prefix of every annotation the controller reads. */
export const ALB_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/";

/** The IngressGroups of the design: one internal ALB for every UI, one internet-facing ALB for the apps marked public. */
export const ALB_GROUPS = { internal: "cnc-internal", public: "cnc-public" } as const;

/** IngressClass created by the controller's chart (createIngressClassResource: true, name alb). */
export const ALB_INGRESS_CLASS = "alb";

/**
 * TLS policy of the HTTPS listeners. The controller's default (ELBSecurityPolicy-2016-08,
 * pkg/config/controller_config.go defaultSSLPolicy @ v2.17.1) still accepts TLS 1.0/1.1; AWS
 * recommends this one (TLS 1.2 + 1.3, forward-secret ciphers, hybrid post-quantum key exchange):
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const DEFAULT_SSL_POLICY = versions.appIngress.sslPolicy;

/** TLS 1.2+ (TLS13-1-2-*) or TLS 1.3-only (TLS13-1-3-*) ALB policies; refuses 2016-08, TLS-1-1, TLS13-1-0/1-1. */
export const SSL_POLICY_RE = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

/** The controller's ServiceAccount (components/cluster/plan.ts SERVICE_ACCOUNTS.loadBalancerController). */
export const LBC_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

/** What the ALB does with a request that has no valid session: authenticate (browser redirect), deny (401, for API clients), allow. */
export type OnUnauthenticated = "authenticate" | "deny" | "allow";

/** ALB OIDC authentication of one Ingress (annotation auth-idp-oidc and friends). */
export interface AlbOidc {
    issuer: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    userInfoEndpoint: string;
    /** Secret in the Ingress's namespace with keys clientID and clientSecret. */
    secretName: string;
    /** Space-separated scopes (auth-scope), e.g. "openid email profile". */
    scope: string;
    /** auth-session-timeout in seconds. */
    sessionTimeoutSeconds: number;
    onUnauthenticated: OnUnauthenticated;
}

export interface AlbIngressOptions {
    /** IngressGroup name (group.name): same name = one ALB. */
    group: string;
    scheme: "internal" | "internet-facing";
    /** ACM certificate ARN of the HTTPS listener. Without it the Ingress is HTTP-only (port 80) and may not carry OIDC. */
    certificateArn?: string;
    /** TLS policy of the HTTPS listener (SSL_POLICY_RE); default DEFAULT_SSL_POLICY. */
    sslPolicy?: string;
    /** inbound-cidrs of the controller-managed security group; identical on every Ingress of a group. */
    inboundCidrs?: readonly string[];
    oidc?: AlbOidc;
    /** WebACL ARN (wafv2-acl-arn); identical on every Ingress of the group that carries it. */
    wafAclArn?: string;
    healthcheckPath: string;
    /** success-codes, e.g. "200" or "200-399"; controller default 200. */
    successCodes?: string;
    /** group.order, -1000..1000 (lower is evaluated first). */
    groupOrder?: number;
    /** Resource tags the controller puts on the ALB, target groups and security group (tags annotation). */
    tags?: Readonly<Record<string, string>>;
}

/**
 * ALB attributes: drop header fields that are not valid HTTP (cheap hardening; attribute names
 * from the annotations.md load-balancer-attributes examples and the ELBv2 attribute list).
 */
export const LOAD_BALANCER_ATTRIBUTES = "routing.http.drop_invalid_header_fields.enabled=true";

/** Characters a stringMap annotation (k1=v1,k2=v2) cannot carry in a key or value. */
export const STRING_MAP_UNSAFE = /[,=]/;

/**
 * The `alb.ingress.kubernetes.io/*` annotations of one Ingress. With a certificate: HTTP 80 and
 * HTTPS 443, 80 redirected to 443 (ssl-redirect), the TLS policy; with OIDC: auth-type oidc on the
 * HTTPS listener. Throws on a combination the controller would reject or that would leak (OIDC
 * without HTTPS: the ALB only authenticates on HTTPS listeners).
 */
export function albIngressAnnotations(o: AlbIngressOptions): Record<string, string> {
    const a = (suffix: string) => ALB_ANNOTATION_PREFIX + suffix;
    const sslPolicy = o.sslPolicy ?? DEFAULT_SSL_POLICY;
    if (!SSL_POLICY_RE.test(sslPolicy)) throw new Error(`albIngressAnnotations: sslPolicy ${sslPolicy} is not a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-*)`);
    if (o.oidc && !o.certificateArn) throw new Error("albIngressAnnotations: OIDC needs a certificateArn (the ALB authenticates on HTTPS listeners only)");
    if (o.wafAclArn && o.scheme !== "internet-facing") throw new Error("albIngressAnnotations: wafAclArn is for the internet-facing group");
    if (o.groupOrder !== undefined && (!Number.isInteger(o.groupOrder) || o.groupOrder < -1000 || o.groupOrder > 1000)) throw new Error(`albIngressAnnotations: groupOrder ${o.groupOrder} is outside -1000..1000`);
    const https = o.certificateArn !== undefined;
    const out: Record<string, string> = {
        [a("group.name")]: o.group,
        ...(o.groupOrder !== undefined ? { [a("group.order")]: String(o.groupOrder) } : {}),
        [a("scheme")]: o.scheme,
        [a("target-type")]: "ip",
        [a("listen-ports")]: JSON.stringify(https ? [{ HTTP: 80 }, { HTTPS: 443 }] : [{ HTTP: 80 }]),
    };
    if (https) {
        out[a("certificate-arn")] = o.certificateArn!;
        out[a("ssl-policy")] = sslPolicy;
        out[a("ssl-redirect")] = "443";
    }
    if (o.inboundCidrs && o.inboundCidrs.length > 0) out[a("inbound-cidrs")] = o.inboundCidrs.join(",");
    out[a("load-balancer-attributes")] = LOAD_BALANCER_ATTRIBUTES;
    if (o.wafAclArn) out[a("wafv2-acl-arn")] = o.wafAclArn;
    out[a("backend-protocol")] = "HTTP";
    out[a("healthcheck-path")] = o.healthcheckPath;
    if (o.successCodes) out[a("success-codes")] = o.successCodes;
    if (o.oidc) {
        out[a("auth-type")] = "oidc";
        out[a("auth-idp-oidc")] = JSON.stringify({
            issuer: o.oidc.issuer,
            authorizationEndpoint: o.oidc.authorizationEndpoint,
            tokenEndpoint: o.oidc.tokenEndpoint,
            userInfoEndpoint: o.oidc.userInfoEndpoint,
            secretName: o.oidc.secretName,
        });
        out[a("auth-scope")] = o.oidc.scope;
        out[a("auth-session-timeout")] = String(o.oidc.sessionTimeoutSeconds);
        out[a("auth-on-unauthenticated-request")] = o.oidc.onUnauthenticated;
    }
    const tags = Object.entries(o.tags ?? {}).filter(([k, v]) => !STRING_MAP_UNSAFE.test(k) && !STRING_MAP_UNSAFE.test(v));
    if (tags.length > 0) out[a("tags")] = tags.map(([k, v]) => `${k}=${v}`).join(",");
    return out;
}
