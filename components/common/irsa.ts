import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument } from "./iam";
import { K8S_NAME } from "./formats";

/** The OIDC issuer without its scheme, as IAM condition keys spell it. */
export function issuerHost(oidcProviderUrl: string): string {
    return oidcProviderUrl.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

/** The `sub` claim of a projected service-account token: `system:serviceaccount:<ns>:<sa>`. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
    return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** The annotation that tells the EKS pod identity webhook which role a service account assumes. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Service-account annotations for an IRSA role (use in Helm values or ServiceAccount metadata). */
export function irsaServiceAccountAnnotations<T>(roleArn: T): Record<string, T> {
    return { [IRSA_ROLE_ANNOTATION]: roleArn };
}

/**
 * Trust policy for IAM Roles for Service Accounts: only the exact namespace/service-account pair
 * may assume the role (StringEquals on `sub` and `aud`; no wildcards).
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcProviderUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
    const host = issuerHost(oidcProviderUrl);
    return policyDocument([
        {
            Sid: "AssumeFromExactServiceAccount",
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${host}:sub`]: serviceAccountSubject(namespace, serviceAccount),
                    [`${host}:aud`]: "sts.amazonaws.com",
                },
            },
        },
    ]);
}


export interface IrsaRoleArgs {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL (with or without https://). */
    oidcProviderUrl: pulumi.Input<string>;
    /** Kubernetes namespace of the service account. */
    namespace: string;
    /** Name of the Kubernetes service account. */
    serviceAccount: string;
    /** Inline policies: name -> policy document (JSON string or Output of one). */
    inlinePolicies?: Record<string, pulumi.Input<string>>;
    /** Managed policy ARNs to attach (use sparingly; prefer exact inline policies). */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Role description. */
    description?: string;
    /** Physical name prefix of the role (iamRoleNamePrefix); unset: Pulumi auto-names it after the logical name. */
    namePrefix?: string;
    /** ARN of a managed policy to set as the role's permissions boundary (caps whatever is attached to the role). */
    permissionsBoundary?: pulumi.Input<string>;
    /** Tags for the role. */
    tags?: Record<string, string>;
}

/** An IRSA role and its policies. */
export interface IrsaRole {
    role: aws.iam.Role;
    /**
     * The role's ARN, resolved only once every policy of the role exists: a pod whose service
     * account annotation (or Helm values) uses it never starts with a role that has no permissions yet.
     */
    arn: pulumi.Output<string>;
    /** The role and its policy resources, for dependsOn. */
    resources: pulumi.Resource[];
}

/**
 * Creates an IAM role assumable only by one Kubernetes service account (IRSA), with its inline
 * and managed policies. Children are named `${name}`, `${name}-<policy>`.
 */
export function createIrsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): IrsaRole {
    for (const [field, value] of [["namespace", args.namespace], ["serviceAccount", args.serviceAccount]] as const) {
        if (!K8S_NAME.test(value) || value.length > 63) {
            throw new Error(`IRSA role ${name}: ${field}: expected a Kubernetes name (lowercase letters, digits, '-'), found ${JSON.stringify(value)}`);
        }
    }
    const role = new aws.iam.Role(
        name,
        {
            description: args.description ?? `IRSA for ${args.namespace}/${args.serviceAccount}`,
            ...(args.namePrefix ? { namePrefix: args.namePrefix } : {}),
            ...(args.permissionsBoundary !== undefined ? { permissionsBoundary: args.permissionsBoundary } : {}),
            assumeRolePolicy: pulumi
                .all([args.oidcProviderArn, args.oidcProviderUrl])
                .apply(([arn, url]) => JSON.stringify(irsaTrustPolicy(arn, url, args.namespace, args.serviceAccount))),
            tags: args.tags,
        },
        opts,
    );
    const policies: pulumi.CustomResource[] = [
        ...Object.entries(args.inlinePolicies ?? {}).map(
            ([policyName, document]) => new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: document }, { ...opts, parent: opts.parent ?? role }),
        ),
        ...(args.managedPolicyArns ?? []).map(
            (arn, i) => new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn: arn }, { ...opts, parent: opts.parent ?? role }),
        ),
    ];
    const arn = pulumi.all([role.arn, ...policies.map((p) => p.id)]).apply(([roleArn]) => roleArn);
    return { role, arn, resources: [role, ...policies] };
}
