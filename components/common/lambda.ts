// What every CallbackFunction of the package shares: runtime, trust policy, VPC permissions and
// the packages never bundled into a handler archive.
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
