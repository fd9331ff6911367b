// Every resource the dev, staging and prod stacks register under mocks, with its inputs, goes
// through the policy pack: zero mandatory violations. A change that breaks a rule fails here.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policy/rules";
import { evaluate, evaluateAll, stackResources } from "../support/policy-harness";
import { runProgram, setupPulumi } from "../support/pulumi-harness";
import { stackTestConfig } from "../support/stack-files";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require("../../stacks");

/** The pack's config per stack, as the workflow passes it (policy/config/<stack>.json, per policy). */
const PACK_CONFIG = Object.fromEntries(
    (["dev", "staging", "prod"] as const).map((s) => [s, JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../policy/config/${s}.json`), "utf8"))["rds-deletion-protection"] as { productionProfile: boolean }]),
) as Record<"dev" | "staging" | "prod", { productionProfile: boolean }>;

describe("policy pack: the committed stacks pass it", function () {
    this.timeout(300_000);

    for (const stack of ["dev", "staging", "prod"] as const) {
        it(`${stack}: every resource passes every mandatory rule`, async () => {
            const rec = await setupPulumi({ ...stackTestConfig(stack), stack });
            await runProgram(program);
            const resources = stackResources(rec);
            assert.ok(resources.length > 200, `only ${resources.length} resources`);
            const violations = await evaluateAll(resources, PACK_CONFIG[stack]);
            const mandatory = violations.filter((v) => v.level === "mandatory");
            assert.deepEqual(mandatory.map((v) => `${v.rule}: ${v.resource}: ${v.message}`), []);
            // Every resource type a rule is about appears in the stack, so each rule was exercised on real inputs
            // (IAM users and access keys, Pods, Jobs and DaemonSets are types the stack must not or does not create directly).
            const types = new Set(resources.map((r) => r.type));
            const exercised = RULES.filter((r) => r.types.some((t) => types.has(t))).length;
            assert.ok(exercised >= RULES.length - 1, `${exercised} of ${RULES.length} rules saw a resource of their types`);
            // Controls on the stack's own resources: the cross-resource rules found what they check.
            const rule = (name: string) => RULES.find((r) => r.policy.name === name)!;
            const broken = (type: string, change: (props: Record<string, any>) => Record<string, any>) => resources.map((r) => (r.type === type ? Object.assign(Object.create(Object.getPrototypeOf(r)), r, { props: change(r.props) }) : r));
            assert.equal((await evaluate(rule("s3-public-access-block"), broken("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (p) => ({ ...p, restrictPublicBuckets: false })))).length, 2);
            assert.equal((await evaluate(rule("rds-force-ssl"), broken("aws:rds/parameterGroup:ParameterGroup", (p) => ({ ...p, parameters: [] })))).length, 1);
            assert.equal((await evaluate(rule("sns-alarm-topic-cmk"), broken("aws:kms/key:Key", (p) => ({ ...p, policy: JSON.stringify({ Statement: [] }) })))).length, 1, "the alarm topic was found and its key read");
            assert.equal((await evaluate(rule("lambda-failure-destination"), broken("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", (p) => ({ ...p, destinationConfig: undefined })))).length, 1);
        });
    }

    it("the pull-request workflow's preview runs the pack with each stack's config, and the pack is a policy project of its own", () => {
        const root = path.resolve(__dirname, "../..");
        const workflow = fs.readFileSync(path.join(root, ".github/workflows/pull-request.yml"), "utf8");
        assert.match(workflow, /policyPacks: policy\n/);
        assert.match(workflow, /policyPackConfigs: policy\/config\/\$\{\{ matrix\.stack \}\}\.json/);
        for (const stack of (/stack: \[([^\]]+)\]/.exec(workflow)?.[1] ?? "dev, staging, prod").split(",").map((x) => x.trim())) assert.ok(fs.existsSync(path.join(root, `policy/config/${stack}.json`)), stack);
        assert.match(fs.readFileSync(path.join(root, "policy/PulumiPolicy.yaml"), "utf8"), /runtime: nodejs/);
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "policy/package.json"), "utf8"));
        const rootPkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        assert.equal(pkg.dependencies["@pulumi/policy"], rootPkg.devDependencies["@pulumi/policy"], "one pinned @pulumi/policy");
    });
});
