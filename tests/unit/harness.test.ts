import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { setupPulumi, settle, valueOf, isSecret } from "../support/pulumi-harness";

describe("pulumi harness", () => {
    it("records inputs, options and secrets, and answers common invokes", async () => {
        const rec = await setupPulumi({ config: { "cloud-cnc:x": { a: 1 } } });
        const parent = new pulumi.ComponentResource("cloud-cnc:index:Test", "t", {}, {});
        const bucket = new aws.s3.Bucket("b", { bucket: "cloud-x", tags: { s: "v" } }, { parent, protect: true, retainOnDelete: true });
        new aws.ssm.Parameter("p", { type: "SecureString", value: pulumi.secret("shh") }, { parent, dependsOn: [bucket] });
        const id = await aws.getCallerIdentity({});
        assert.equal(id.accountId, "123456789012");
        const azs = await aws.getAvailabilityZones({});
        assert.deepEqual(azs.names, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.equal(await valueOf(bucket.arn), "arn:aws:s3:::cloud-x");
        await settle();
        const b = rec.one("aws:s3/bucket:Bucket");
        assert.equal(b.protect, true);
        assert.equal(b.retainOnDelete, true);
        assert.match(b.parent, /cloud-cnc:index:Test::t$/);
        const p = rec.one("aws:ssm/parameter:Parameter");
        assert.deepEqual(p.secretInputs, ["value"]);
        assert.equal(p.dependencies.length, 1);
        assert.equal(new pulumi.Config("cloud-cnc").requireObject<{ a: number }>("x").a, 1);
        assert.equal(await isSecret(pulumi.secret("x")), true);
        assert.equal(rec.errorsLogged(), false);
    });
});
