// cloud-cnc's CrossGuard policy pack: `pulumi preview --policy-pack policy` (and the pull-request
// workflow's preview) evaluates every resource of the stack against it. Rules: policy/rules.
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

new PolicyPack("cloud-cnc", { policies: RULES.map((r) => r.policy) });
