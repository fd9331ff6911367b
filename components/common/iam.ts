/** An IAM policy statement as AWS documents it; built as data and serialized with JSON.stringify. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: string | string[];
    NotAction?: string | string[];
    Principal?: "*" | Record<string, string | string[]>;
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** The statement every bucket and queue policy here carries: deny any request not sent over TLS. */
export function denyInsecureTransport(resources: string | string[], action = "s3:*"): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
