// What every CallbackFunction of the package shares: runtime, trust policy, VPC permissions and
// the packages never bundled into a handler archive.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement, policyDocument } from "./iam";
import { versions } from "./versions";

/** Lambda runtime of every function (pinned in versions.ts). */
export const LAMBDA_RUNTIME = versions.lambda.runtime;

/** Architecture of every function: Graviton (cheaper per ms; the handlers are pure JavaScript). */
export const LAMBDA_ARCHITECTURE = "arm64";

/**
 * The trust policy of a function role: the Lambda service only. (No aws:SourceAccount /
 * aws:SourceArn condition: Lambda does not document those keys for execution-role assumption.)
 */
export function lambdaTrustPolicy(): PolicyDocument {
    return policyDocument([{ Sid: "LambdaAssume", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
}

/**
 * What Lambda needs to attach a function to a VPC (the actions of the managed
 * AWSLambdaVPCAccessExecutionRole). EC2 has no resource-level permissions for the Describe
 * actions, and Lambda creates the ENIs on the function's behalf: "*".
 */
export const LAMBDA_VPC_ACTIONS = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
];

/** The statement granting LAMBDA_VPC_ACTIONS. */
export function lambdaVpcStatement(): PolicyStatement {
    return { Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: [...LAMBDA_VPC_ACTIONS], Resource: "*" };
}

/**
 * Packages never bundled into a handler archive: Pulumi (deployment-time only), the AWS SDK v3
 * clients (the Lambda runtime provides them), type-only packages, the schema library and dev
 * tooling. Exact names: computeCodePaths matches exclusions by name, and an excluded package's
 * dependencies are only bundled when something else needs them.
 */
export const NEVER_BUNDLED_PACKAGES = [
    "@pulumi/pulumi",
    "@pulumi/aws",
    "@pulumi/awsx",
    "@pulumi/eks",
    "@pulumi/kubernetes",
    "@pulumi/random",
    "@aws-sdk/client-route-53",
    "@aws-sdk/client-eks",
    "@aws-sdk/client-sts",
    "@aws-sdk/client-sqs",
    "@types/node",
    "@types/js-yaml",
    "@types/stream-buffers",
    "@types/aws-lambda",
    "@types/mocha",
    "zod",
    "typescript",
    "ts-node",
    "mocha",
    "fast-check",
    "eslint",
    "typescript-eslint",
    "cloud-cnc",
];

// ---------------------------------------------------------------------------------------------
// One CallbackFunction with its log group, role, policy and (optionally) asynchronous-invocation
// config: the wiring every Lambda of the package shares.

/** Options of a function created by createCallbackFunction. */
export interface CallbackFunctionOptions {
    /** Physical function name an operator recognizes, e.g. `cloud-prod-dns-registrar` (physicalName). */
    functionName: string;
    /** The function's description. */
    description: string;
    /** The handler factory CallbackFunction serializes (plain TypeScript under functions/). */
    callbackFactory: unknown;
    /** Packages to include in and exclude from the archive (computeCodePaths options). */
    codePathOptions: { extraIncludePackages: string[]; extraExcludePackages: string[] };
    memorySize: number;
    /** Seconds. */
    timeout: number;
    /** Retention of the function's log group `/aws/lambda/<functionName>`, in days. */
    logRetentionDays: number;
    /** IAM name prefix of the function role (iamRoleNamePrefix). */
    roleNamePrefix: string;
    roleDescription: string;
    /** The role's inline policy (JSON), given the log group's ARN. */
    policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
    environment?: Record<string, pulumi.Input<string>>;
    vpcConfig?: aws.types.input.lambda.FunctionVpcConfig;
    /** Asynchronous invocations: retries, event age, and the failure destination (a DLQ). */
    asyncInvoke?: { maximumRetryAttempts: number; maximumEventAgeSeconds: number; onFailureDestinationArn: pulumi.Input<string> };
    tags: Record<string, string>;
}

/** The resources of one function. */
export interface CallbackFunctionResources {
    fn: aws.lambda.CallbackFunction<unknown, unknown>;
    role: aws.iam.Role;
    rolePolicy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
}

/**
 * A CallbackFunction on the package's runtime and architecture, logging JSON to its own log
 * group, with a role trusted by Lambda only and exactly the given policy (the function is created
 * after the policy). Children: `${name}-logs`, `-role`, `-policy`, `-function`, `-invoke-config`.
 */
export function createCallbackFunction(name: string, o: CallbackFunctionOptions, parent: pulumi.Resource): CallbackFunctionResources {
    const opts = { parent };
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${o.functionName}`, retentionInDays: o.logRetentionDays, tags: o.tags }, opts);
    const role = new aws.iam.Role(`${name}-role`, { namePrefix: o.roleNamePrefix, description: o.roleDescription, assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()), tags: o.tags }, opts);
    const rolePolicy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: o.policy(logGroup.arn) }, opts);
    const fn = new aws.lambda.CallbackFunction(
        `${name}-function`,
        {
            name: o.functionName,
            callbackFactory: o.callbackFactory as aws.lambda.CallbackFactory<unknown, unknown>,
            role: role.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: [LAMBDA_ARCHITECTURE],
            memorySize: o.memorySize,
            timeout: o.timeout,
            description: o.description,
            ...(o.environment ? { environment: { variables: o.environment } } : {}),
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
            ...(o.vpcConfig ? { vpcConfig: o.vpcConfig } : {}),
            codePathOptions: o.codePathOptions,
            tags: o.tags,
        },
        { parent, dependsOn: [rolePolicy] },
    );
    if (o.asyncInvoke) {
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-invoke-config`,
            {
                functionName: fn.name,
                maximumRetryAttempts: o.asyncInvoke.maximumRetryAttempts,
                maximumEventAgeInSeconds: o.asyncInvoke.maximumEventAgeSeconds,
                destinationConfig: { onFailure: { destination: o.asyncInvoke.onFailureDestinationArn } },
            },
            opts,
        );
    }
    return { fn, role, rolePolicy, logGroup };
}
