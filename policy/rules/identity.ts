// IAM and Lambda: least privilege that holds, no long-lived keys, functions that fail loudly.
import { Rule, doc, list, ofType, references, resourceRule, stackRule } from "./util";

const POLICIES = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];
const ATTACHMENTS = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"];
const LAMBDA = ["aws:lambda/function:Function"];
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_?KEY|ACCESS_?KEY|API_?KEY|CREDENTIAL)/i;
const SECRET_VALUE = /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|:\/\/[^/\s:@]+:[^/\s@]+@|^(ghp|glpat|xox[bp])[-_][A-Za-z0-9-_]{10,})/;

export const IAM_RULES: Rule[] = [
    resourceRule("iam-no-star-on-star", "No IAM policy allows the '*' action on the '*' resource.", POLICIES, (p) =>
        (doc(p.policy)?.Statement ?? [])
            .filter((s) => s.Effect === "Allow" && list(s.Action).includes("*") && list(s.Resource).includes("*"))
            .map((s) => `statement ${s.Sid ?? "(no Sid)"} allows * on *`),
    ),
    resourceRule("iam-no-admin-managed-policies", "No AWS-managed AdministratorAccess, PowerUserAccess or *FullAccess policy is attached.", ATTACHMENTS, (p) =>
        /^arn:aws[a-z-]*:iam::aws:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9_]*)$/.test(String(p.policyArn ?? "")) ? [`${p.policyArn} is attached`] : [],
    ),
    resourceRule(
        "iam-exact-service-account-trust",
        "An IAM role trusted through a cluster's OIDC provider (IRSA) names exactly one service account: StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com; no StringLike or wildcard. EKS Pod Identity roles (pods.eks.amazonaws.com) are scoped by their association.",
        ["aws:iam/role:Role"],
        (p) =>
            (doc(p.assumeRolePolicy)?.Statement ?? [])
                .filter((s) => s.Effect === "Allow" && typeof s.Principal === "object" && list(s.Principal?.Federated).some((f) => /:oidc-provider\//.test(String(f))))
                .flatMap((s) => {
                    const eq = s.Condition?.StringEquals ?? {};
                    const subs = Object.entries(eq).filter(([k]) => k.endsWith(":sub"));
                    const ok = subs.length > 0 && subs.every(([, v]) => list(v).length === 1 && /^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(String(list(v)[0])));
                    const loose = s.Condition?.StringLike !== undefined || s.Condition?.ForAnyValue !== undefined;
                    return ok && !loose ? [] : [`statement ${s.Sid ?? "(no Sid)"} does not pin exactly one service account with StringEquals on :sub`];
                }),
    ),
    resourceRule("iam-no-users-or-keys", "The stack creates no IAM users and no access keys: workloads use IRSA or Pod Identity, humans their SSO roles.", ["aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userLoginProfile:UserLoginProfile"], (_p, _c, type) => [
        `${type} is not allowed: use IRSA/Pod Identity for workloads, federated roles for humans`,
    ]),
];

export const LAMBDA_RULES: Rule[] = [
    resourceRule("lambda-explicit-runtime", "Every Lambda function names its runtime (no default, no container image without a pinned tag).", LAMBDA, (p) => (typeof p.runtime === "string" && p.runtime.length > 0 ? [] : ["no runtime"])),
    stackRule(
        "lambda-failure-destination",
        "Every Lambda function invoked asynchronously keeps its failed events: a dead-letter queue or an on-failure destination. A function tagged cloud-cnc/invocation=synchronous (called only synchronously, e.g. by aws.lambda.Invocation during a deployment, which reports the failure itself) is exempt.",
        [...LAMBDA, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"],
        (rs) =>
            ofType(rs, ...LAMBDA).flatMap((f) => {
                if (f.props.tags?.["cloud-cnc/invocation"] === "synchronous") return [];
                if (f.props.deadLetterConfig?.targetArn) return [];
                const configs = ofType(rs, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").filter((c) => references(c, "functionName", f, [f.props.name]));
                return configs.some((c) => c.props.destinationConfig?.onFailure?.destination) ? [] : [{ message: `function ${f.props.name ?? f.name}: no dead-letter queue and no on-failure destination`, urn: f.urn }];
            }),
    ),
    resourceRule("lambda-no-secret-env", "No Lambda environment variable holds a secret-looking value (a key, a token, a password, a URL with credentials): secrets come from Secrets Manager/SSM at run time.", LAMBDA, (p) =>
        Object.entries((p.environment?.variables ?? {}) as Record<string, unknown>)
            .filter(([k, v]) => typeof v === "string" && v.length > 0 && (SECRET_VALUE.test(v) || (SECRET_NAME.test(k) && !/^(arn:|\/|[A-Z_]+$)/.test(v))))
            .map(([k]) => `environment variable ${k} looks like a secret`),
    ),
];
