// The alarm topic's key and topic policies grant CloudWatch exactly what it needs to notify, for
// this account's alarms only (issue 11: alarms under alias/aws/sns never notify anybody).
import { strict as assert } from "assert";
import { alarmTopicKeyPolicy, alarmTopicPolicy } from "../../components/common/alarms";
import { PolicyStatement } from "../../components/common/iam";

const scope = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:cloud-prod-alarms";

/** Statements that allow a service principal something. */
const serviceGrants = (statements: PolicyStatement[]) => statements.filter((s) => s.Effect === "Allow" && s.Principal !== "*" && s.Principal?.Service !== undefined);

describe("alarm topic policies", () => {
    it("the key lets CloudWatch generate data keys and decrypt, only for this account's alarms in this region, and nothing else", () => {
        const doc = alarmTopicKeyPolicy(scope);
        const grants = serviceGrants(doc.Statement);
        assert.deepEqual(grants, [
            {
                Sid: "CloudWatchAlarmsEncryptNotifications",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*" } },
            },
        ]);
        // The only other statement is KMS's default: the account administers the key through IAM.
        const others = doc.Statement.filter((s) => !grants.includes(s));
        assert.deepEqual(others, [{ Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }]);
    });

    it("the topic lets only CloudWatch publish, for this account's alarms, over TLS", () => {
        const doc = alarmTopicPolicy(TOPIC, scope);
        const allows = doc.Statement.filter((s) => s.Effect === "Allow");
        assert.deepEqual(allows, [
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: TOPIC,
                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*" } },
            },
        ]);
        const deny = doc.Statement.find((s) => s.Effect === "Deny")!;
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(deny.Principal, "*");
    });

    it("follows the stack's partition, region and account", () => {
        const gov = { partition: "aws-us-gov", region: "us-gov-west-1", accountId: "444455556666" };
        assert.match(JSON.stringify(alarmTopicKeyPolicy(gov)), /arn:aws-us-gov:cloudwatch:us-gov-west-1:444455556666:alarm:\*/);
        assert.match(JSON.stringify(alarmTopicKeyPolicy(gov)), /arn:aws-us-gov:iam::444455556666:root/);
        assert.doesNotMatch(JSON.stringify(alarmTopicPolicy("arn:aws-us-gov:sns:us-gov-west-1:444455556666:t", gov)), /arn:aws:/);
    });
});
