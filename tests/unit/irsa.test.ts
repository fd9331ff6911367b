// IRSA helpers (components/common/irsa.ts): pure trust policies, and createIrsaRole under mocks.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { createIrsaRole, IRSA_ROLE_ANNOTATION, irsaServiceAccountAnnotations, irsaTrustPolicy, issuerHost, serviceAccountSubject } from "../../components/common/irsa";
import { thrown } from "../support/cluster-fixtures";
import { settle, setupPulumi, valueOf } from "../support/pulumi-harness";

const PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
const HOST = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";

describe("IRSA helpers", () => {
    describe("issuerHost", () => {
        it("strips the https scheme and trailing slashes", () => {
            assert.equal(issuerHost(`https://${HOST}`), HOST);
            assert.equal(issuerHost(`https://${HOST}/`), HOST);
            assert.equal(issuerHost(`https://${HOST}//`), HOST);
        });

        it("leaves a bare issuer host unchanged", () => {
            assert.equal(issuerHost(HOST), HOST);
        });

        it("is idempotent (property)", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[a-z0-9.\/-]{1,40}$/), (s) => {
                    assert.equal(issuerHost(issuerHost(s)), issuerHost(s));
                    assert.equal(issuerHost(`https://${s}`), issuerHost(s));
                }),
            );
        });
    });

    it("spells the service-account subject as Kubernetes issues it", () => {
        assert.equal(serviceAccountSubject("kube-system", "ebs-csi-controller-sa"), "system:serviceaccount:kube-system:ebs-csi-controller-sa");
    });

    it("builds the role annotation for a service account", () => {
        assert.equal(IRSA_ROLE_ANNOTATION, "eks.amazonaws.com/role-arn");
        assert.deepEqual(irsaServiceAccountAnnotations("arn:aws:iam::123456789012:role/x"), { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" });
    });

    describe("irsaTrustPolicy", () => {
        it("lets exactly one namespace/service account assume the role, with sub and aud StringEquals", () => {
            assert.deepEqual(irsaTrustPolicy(PROVIDER_ARN, `https://${HOST}`, "monitoring", "thanos-store"), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AssumeFromExactServiceAccount",
                        Effect: "Allow",
                        Principal: { Federated: PROVIDER_ARN },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                [`${HOST}:sub`]: "system:serviceaccount:monitoring:thanos-store",
                                [`${HOST}:aud`]: "sts.amazonaws.com",
                            },
                        },
                    },
                ],
            });
        });

        it("gives the same policy whether or not the issuer URL has a scheme", () => {
            assert.deepEqual(irsaTrustPolicy(PROVIDER_ARN, HOST, "a", "b"), irsaTrustPolicy(PROVIDER_ARN, `https://${HOST}/`, "a", "b"));
        });

        it("never contains a wildcard or a StringLike condition for any Kubernetes names (property)", () => {
            const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
            fc.assert(
                fc.property(name, name, (ns, sa) => {
                    const doc = irsaTrustPolicy(PROVIDER_ARN, HOST, ns, sa);
                    const text = JSON.stringify(doc);
                    assert.equal(text.includes("*"), false);
                    assert.equal(text.includes("StringLike"), false);
                    assert.equal(doc.Statement[0].Condition!.StringEquals[`${HOST}:sub`], `system:serviceaccount:${ns}:${sa}`);
                }),
            );
        });
    });

    describe("createIrsaRole", () => {
        it("creates the role with the exact trust policy and its inline and managed policies", async () => {
            const rec = await setupPulumi();
            const parent = new pulumi.ComponentResource("cloud-cnc:index:Test", "t", {}, {});
            const role = createIrsaRole(
                "t-store",
                {
                    oidcProviderArn: pulumi.output(PROVIDER_ARN),
                    oidcProviderUrl: pulumi.output(`https://${HOST}`),
                    namespace: "monitoring",
                    serviceAccount: "thanos-store",
                    inlinePolicies: { s3: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }) },
                    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    tags: { team: "platform" },
                },
                { parent },
            );
            await settle();
            const r = rec.one("aws:iam/role:Role", "t-store");
            assert.deepEqual(JSON.parse(r.inputs.assumeRolePolicy), irsaTrustPolicy(PROVIDER_ARN, HOST, "monitoring", "thanos-store"));
            assert.equal(r.inputs.description, "IRSA for monitoring/thanos-store");
            assert.deepEqual(r.inputs.tags, { team: "platform" });
            assert.match(r.parent, /cloud-cnc:index:Test::t$/);
            const inline = rec.one("aws:iam/rolePolicy:RolePolicy", "t-store-s3");
            assert.equal(inline.inputs.role, r.state.name);
            assert.match(inline.parent, /cloud-cnc:index:Test::t$/);
            const managed = rec.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "t-store-managed-0");
            assert.deepEqual([managed.inputs.role, managed.inputs.policyArn], [r.state.name, "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            // The ARN it hands out waits for the policies: a pod using it never runs without permissions.
            assert.equal(await valueOf(role.arn), r.state.arn);
            const arnResources = await (role.arn as any).allResources();
            for (const p of [inline, managed]) {
                assert.ok([...arnResources].some((res: any) => res.__name === p.name), `the ARN does not depend on ${p.name}`);
            }
            assert.equal(role.resources.length, 3);
        });

        it("parents the policies to the role when no parent is given", async () => {
            const rec = await setupPulumi();
            createIrsaRole("solo", { oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: HOST, namespace: "ns", serviceAccount: "sa", inlinePolicies: { p: "{}" } }, {});
            await settle();
            assert.equal(rec.one("aws:iam/rolePolicy:RolePolicy", "solo-p").parent, rec.one("aws:iam/role:Role", "solo").urn);
        });

        it("rejects a namespace or service account that is not a Kubernetes name, before creating the role", async () => {
            const rec = await setupPulumi();
            assert.equal(
                thrown(() => createIrsaRole("bad", { oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: HOST, namespace: "*", serviceAccount: "sa" }, {})),
                'IRSA role bad: namespace: expected a Kubernetes name (lowercase letters, digits, \'-\'), found "*"',
            );
            assert.equal(
                thrown(() => createIrsaRole("bad", { oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: HOST, namespace: "ns", serviceAccount: "Controller_SA" }, {})),
                'IRSA role bad: serviceAccount: expected a Kubernetes name (lowercase letters, digits, \'-\'), found "Controller_SA"',
            );
            await settle();
            assert.equal(rec.ofType("aws:iam/role:Role").length, 0);
        });
    });
});
