// The `cloud-cnc:provisioner` config section: ProvisionerServer's own schema as config (the same
// rules, messages and defaults), and what the component makes of it once the composition adds the
// stack's keys.
import { strict as assert } from "assert";
import { EXPECTED } from "../../components/common/formats";
import { argsProblems } from "../../components/common/schema";
import { versions } from "../../components/common/versions";
import * as pulumi from "@pulumi/pulumi";
import { PROVISIONER_PROFILE_DEFAULTS, ProvisionerSettings, defaultStateBucketName, provisionerSchema } from "../../components/provisioner/schema";
import { readSecrets } from "../../stacks/config";
import { PROVISIONER_SECRET_KEYS, provisionerConfigSchema } from "../../stacks/config/provisioner";
import { validateSection } from "../../stacks/config/validate";
import { isSecret, setupPulumi, valueOf } from "../support/pulumi-harness";
import { ADMIN_ROLES, CLUSTER_SG, OIDC_ARN, OIDC_URL, StackKeys, SUBNETS, SSH_PUBLIC_KEY, VPC_ID, dev, prod } from "../support/provisioner-harness";

/** The outputs stacks/compose.ts adds to the section (plain stand-ins for the Outputs). */
const outputs = {
    region: "eu-west-1",
    utilitiesGitToken: "glpat-test",
    vpcId: VPC_ID,
    subnetIds: SUBNETS,
    allowedSecurityGroupIds: [CLUSTER_SG],
    internalDomain: "apps.cnc.internal",
    oidcProviderArn: OIDC_ARN,
    oidcProviderUrl: OIDC_URL,
};

/** The component's settings for a config section composed as stacks/compose.ts does. */
function settings(section: unknown, stack: StackKeys): ProvisionerSettings {
    const { value, messages: m } = validateSection("provisioner", provisionerConfigSchema, section);
    assert.deepEqual(m, []);
    const args = { ...value!, ...stack, ...outputs };
    assert.deepEqual(argsProblems(provisionerSchema, args), []);
    return provisionerSchema.parse(args);
}

/** The fields the old mapping produced, from the settings. */
function mapped(s: ProvisionerSettings) {
    const { namespace, image, imageTag, utilitiesGitUrl, utilitiesGitPath, sshPublicKey, stateBucketName, adminRoleArns, route53ZoneIds, db, flags, supervisors, replicas, resources, ingressGroupName, certificateArn, deletionProtection } = s;
    return {
        namespace,
        image,
        imageTag,
        utilitiesGitUrl,
        utilitiesGitPath,
        sshPublicKey,
        stateBucketName,
        adminRoleArns,
        route53ZoneIds,
        db,
        flags,
        supervisors,
        replicas,
        resources,
        ingressGroupName,
        ...(certificateArn ? { certificateArn } : {}),
        deletionProtection,
    };
}

const minimal = {
    imageTag: "v0.93.1",
    utilitiesGitUrl: "https://gitlab.example.com",
    utilitiesGitPath: "/cloud/gitops.git",
    sshPublicKey: SSH_PUBLIC_KEY,
    adminRoleArns: [ADMIN_ROLES[0]],
    route53ZoneIds: ["Z0123456789ABCDEFGHIJ"],
};

function messages(raw: unknown): string[] {
    return validateSection("provisioner", provisionerConfigSchema, raw).messages;
}

describe("provisioner config section", () => {
    it("accepts a minimal section and fills the defaults", () => {
        const { value, messages: m } = validateSection("provisioner", provisionerConfigSchema, minimal);
        assert.deepEqual(m, []);
        assert.deepEqual(value, {
            ...minimal,
            namespace: "provisioner",
            image: "mattermost/mattermost-cloud",
            ingressGroupName: "cnc-internal",
            db: { engineVersion: "17", readReplica: false, iamDatabaseAuthentication: false },
            flags: { poll: 30, clusterResourceThreshold: 80 },
            supervisors: {},
            resources: {},
            requirePermissionsBoundaryOnCreatedPrincipals: false,
        });
    });

    it("defaults the image tag to the pinned release and rejects latest", () => {
        const { imageTag: _omit, ...noTag } = minimal;
        void _omit;
        assert.deepEqual(messages(noTag), []);
        assert.equal(provisionerConfigSchema.parse(noTag).imageTag, versions.provisioner.imageTag);
        assert.deepEqual(messages({ ...minimal, imageTag: "latest" }), ['cloud-cnc:provisioner.imageTag: expected a pinned release tag such as v0.93.1 (never latest), found "latest"']);
        assert.deepEqual(messages({ ...minimal, imageTag: "0.93" }), ['cloud-cnc:provisioner.imageTag: expected a pinned release tag such as v0.93.1 (never latest), found "0.93"']);
        assert.deepEqual(messages({ ...minimal, imageTag: "v0.93.2" }), []);
    });

    it("rejects a kops state bucket that does not start with cloud-, saying why", () => {
        assert.deepEqual(messages({ ...minimal, stateBucketName: "mattermost-kops-state-prod" }), [
            'cloud-cnc:provisioner.stateBucketName: expected an S3 bucket name starting with "cloud-" (the provisioner requires it for its kops state store) of at most 63 lowercase letters, digits and \'-\', such as cloud-dev-kops-state, found "mattermost-kops-state-prod"',
        ]);
        assert.deepEqual(messages({ ...minimal, stateBucketName: "cloud-prod-kops-state" }), []);
    });

    it("defaults the bucket to cloud-<env>-kops-state (cloud-<prefix>-<env>-kops-state for another prefix), always valid", () => {
        assert.equal(defaultStateBucketName("cloud", "dev"), "cloud-dev-kops-state");
        assert.equal(defaultStateBucketName("acme", "prod"), "cloud-acme-prod-kops-state");
        assert.equal(settings(minimal, dev).stateBucketName, "cloud-dev-kops-state");
        assert.equal(settings(minimal, { ...prod, prefix: "acme" }).stateBucketName, "cloud-acme-prod-kops-state");
        for (const name of [defaultStateBucketName("cloud", "prod"), defaultStateBucketName("acme-platform-01", "staging-eu-1234")]) {
            assert.deepEqual(messages({ ...minimal, stateBucketName: name }), [], name);
        }
    });

    it("reports bad values with exact messages", () => {
        assert.deepEqual(
            messages({
                ...minimal,
                namespace: "Prov",
                utilitiesGitUrl: "git@gitlab.example.com:cloud/utilities.git",
                sshPublicKey: "not a key",
                adminRoleArns: [],
                route53ZoneIds: ["example.com"],
                certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
                replicas: 0,
                db: { identifier: "cloud-provisioner", engineVersion: "14", allocatedStorageGiB: 10, backupRetentionDays: 40, colour: "blue" },
                flags: { poll: 0, clusterResourceThreshold: 101 },
                supervisors: { replicas: 11 },
                resources: { cpuRequest: "1 core", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4G" },
                password: "hunter2",
            }),
            [
                "cloud-cnc:provisioner.namespace: expected a Kubernetes namespace name of 1-63 lowercase letters, digits and '-', found \"Prov\"",
                'cloud-cnc:provisioner.utilitiesGitUrl: expected an https URL of the Git host with the utility values, such as https://gitlab.example.com, found "git@gitlab.example.com:cloud/utilities.git"',
                'cloud-cnc:provisioner.sshPublicKey: expected an OpenSSH public key starting with ssh-ed25519 or ssh-rsa (cloud server refuses to start without one in ~/.ssh), found "not a key"',
                "cloud-cnc:provisioner.adminRoleArns: expected a list of at least 1 IAM role ARN (break-glass access to the kops state), found []",
                `cloud-cnc:provisioner.route53ZoneIds[0]: expected ${EXPECTED.zoneId}, found "example.com"`,
                'cloud-cnc:provisioner.certificateArn: expected an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d, found "arn:aws:acm:eu-west-1:123456789012:certificate/x"',
                "cloud-cnc:provisioner.replicas: expected a whole number of replicas from 1 to 10, found 0",
                `cloud-cnc:provisioner.resources.cpuRequest: expected ${EXPECTED.cpu}, found "1 core"`,
                'cloud-cnc:provisioner.resources.memoryLimit: expected a memory quantity such as 512Mi or 2Gi, found "4G"',
                'cloud-cnc:provisioner.db.identifier: expected an RDS identifier of 2-63 lowercase letters, digits and \'-\' starting with a letter, not starting with "cloud-" (the provisioner may delete cloud-* databases), found "cloud-provisioner"',
                'cloud-cnc:provisioner.db.engineVersion: expected a PostgreSQL version whose major is one of 16, 17, such as 17, found "14"',
                "cloud-cnc:provisioner.db.allocatedStorageGiB: expected a whole number of GiB between 20 and 65536, found 10",
                "cloud-cnc:provisioner.db.backupRetentionDays: expected a whole number of days between 1 and 35, found 40",
                'cloud-cnc:provisioner.db.colour: expected no unknown key here (known keys: identifier, engineVersion, instanceClass, allocatedStorageGiB, maxAllocatedStorageGiB, multiAz, backupRetentionDays, readReplica, iamDatabaseAuthentication), found a value (hidden)',
                "cloud-cnc:provisioner.flags.poll: expected a whole number of seconds between 1 and 3600, found 0",
                "cloud-cnc:provisioner.flags.clusterResourceThreshold: expected a whole number (percent) between 1 and 100, found 101",
                "cloud-cnc:provisioner.supervisors.replicas: expected a whole number of replicas from 1 to 10, found 11",
                "cloud-cnc:provisioner.password: expected no unknown key here (known keys: namespace, image, imageTag, utilitiesGitUrl, utilitiesGitPath, sshPublicKey, stateBucketName, adminRoleArns, route53ZoneIds, ingressGroupName, certificateArn, replicas, resources, db, flags, supervisors, requirePermissionsBoundaryOnCreatedPrincipals), found a value (hidden)",
            ],
        );
    });

    it("checks the storage autoscaling ceiling against the allocated storage", () => {
        assert.deepEqual(messages({ ...minimal, db: { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 100 } }), [
            "cloud-cnc:provisioner.db.maxAllocatedStorageGiB: expected at least 110 (RDS storage autoscaling needs 10% above allocatedStorageGiB 100), found 100",
        ]);
        assert.deepEqual(messages({ ...minimal, db: { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 110 } }), []);
    });

    it("makes dev (development profile) a small, disposable provisioner", () => {
        const a = mapped(settings(minimal, dev));
        assert.deepEqual(a, {
            namespace: "provisioner",
            image: "mattermost/mattermost-cloud",
            imageTag: "v0.93.1",
            utilitiesGitUrl: "https://gitlab.example.com",
            utilitiesGitPath: "/cloud/gitops.git",
            sshPublicKey: SSH_PUBLIC_KEY,
            stateBucketName: "cloud-dev-kops-state",
            adminRoleArns: [ADMIN_ROLES[0]],
            route53ZoneIds: ["Z0123456789ABCDEFGHIJ"],
            db: {
                identifier: "provisioner-dev",
                engineVersion: "17",
                instanceClass: "db.t4g.small",
                allocatedStorageGiB: 20,
                maxAllocatedStorageGiB: 100,
                multiAz: false,
                backupRetentionDays: 7,
                readReplica: false,
                iamDatabaseAuthentication: false,
            },
            flags: { keepDatabaseData: false, keepFilestoreData: false, poll: 30, clusterResourceThreshold: 80, dev: true },
            supervisors: { enabled: false, replicas: 1 },
            replicas: 1,
            resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "2Gi" },
            ingressGroupName: "cnc-internal",
            deletionProtection: false,
        });
    });

    it("makes prod (production profile) Multi-AZ, 30-day backups, kept data, HA replicas and the installation supervisors", () => {
        const a = mapped(settings({ ...minimal, db: { allocatedStorageGiB: 500 } }, prod));
        assert.equal(a.stateBucketName, "cloud-prod-kops-state");
        assert.deepEqual(a.db, {
            identifier: "provisioner-prod",
            engineVersion: "17",
            instanceClass: "db.m7g.large",
            allocatedStorageGiB: 500,
            // The default ceiling (500) is lifted to 10% above the allocated storage.
            maxAllocatedStorageGiB: 550,
            multiAz: true,
            backupRetentionDays: 30,
            readReplica: false,
            iamDatabaseAuthentication: false,
        });
        assert.deepEqual(a.flags, { keepDatabaseData: true, keepFilestoreData: true, poll: 30, clusterResourceThreshold: 80, dev: false });
        assert.deepEqual(a.supervisors, { enabled: true, replicas: 3 });
        assert.equal(a.replicas, 2);
        assert.equal(a.deletionProtection, true);
        // Explicit settings win over the profile's defaults.
        const custom = settings({ ...minimal, replicas: 3, supervisors: { enabled: false }, flags: { keepDatabaseData: false } }, prod);
        assert.equal(custom.replicas, 3);
        assert.equal(custom.supervisors.enabled, false);
        assert.equal(custom.flags.keepDatabaseData, false);
    });

    it("takes every environment-dependent default from the profile, never from the environment's name", () => {
        // Each profile's defaults reach the settings (the values are the table's: README "Sizing profiles").
        for (const [keys, profile] of [[prod, "production"], [dev, "development"]] as const) {
            const t = PROVISIONER_PROFILE_DEFAULTS[profile];
            const s = settings(minimal, keys);
            assert.deepEqual([s.db.instanceClass, s.db.multiAz, s.db.backupRetentionDays, s.replicas, s.supervisors, s.flags.dev, s.deletionProtection], [t.db.instanceClass, t.db.multiAz, t.db.backupRetentionDays, t.replicas, t.supervisors, t.flags.dev, t.deletionProtection]);
        }
        // An environment named neither dev nor prod gets its profile's sizes; the names dev and prod change nothing.
        const { deletionProtection: _unset, ...staging } = { ...prod, environment: "staging" };
        void _unset;
        const stagingProd = settings(minimal, staging as StackKeys);
        assert.deepEqual([stagingProd.db.instanceClass, stagingProd.db.multiAz, stagingProd.replicas, stagingProd.supervisors.enabled, stagingProd.flags.dev], ["db.m7g.large", true, 2, true, false]);
        assert.equal(stagingProd.deletionProtection, true, "the production profile protects by default");
        assert.equal(stagingProd.db.identifier, "provisioner-staging");
        const devNamedProduction = settings(minimal, { ...dev, profile: "production" });
        assert.equal(devNamedProduction.flags.dev, false, "--dev follows the profile, not the environment named dev");
        assert.equal(devNamedProduction.db.instanceClass, "db.m7g.large");
        const prodNamedDevelopment = settings(minimal, { ...prod, profile: "development", deletionProtection: false });
        assert.equal(prodNamedDevelopment.flags.dev, true);
        assert.deepEqual(prodNamedDevelopment.supervisors, { enabled: false, replicas: 1 });
        // A partial resources section keeps the profile's other values.
        assert.deepEqual(settings({ ...minimal, resources: { memoryLimit: "8Gi" } }, prod).resources, { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "8Gi" });
    });

    it("config and component report a mistake identically (one rule book)", () => {
        const section = {
            ...minimal,
            imageTag: "latest",
            stateBucketName: "kops-state",
            adminRoleArns: [ADMIN_ROLES[0], ADMIN_ROLES[0]],
            route53ZoneIds: [],
            replicas: 11,
            resources: { memoryLimit: "4G" },
            db: { identifier: "cloud-db", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 100 },
            flags: { poll: 0 },
        };
        const fromConfig = validateSection("provisioner", provisionerConfigSchema, section).problems.map((p) => [p.field.replace("cloud-cnc:provisioner.", ""), p.expected]);
        const fromArgs = argsProblems(provisionerSchema, { ...section, ...prod, ...outputs }).map((p) => [p.field, p.expected]);
        assert.equal(fromConfig.length, 9, JSON.stringify(fromConfig));
        assert.deepEqual(fromConfig, fromArgs);
    });

    it("reports a storage ceiling below the profile's allocated storage in the component, where the profile is known", () => {
        // The config section has no profile (the stack supplies it); the component checks against the profile's 100 GiB.
        assert.deepEqual(messages({ ...minimal, db: { maxAllocatedStorageGiB: 105 } }), []);
        const args = { ...validateSection("provisioner", provisionerConfigSchema, { ...minimal, db: { maxAllocatedStorageGiB: 105 } }).value!, ...prod, ...outputs };
        assert.deepEqual(argsProblems(provisionerSchema, args).map((p) => [p.field, p.expected, p.found]), [
            ["db.maxAllocatedStorageGiB", "at least 110 (RDS storage autoscaling needs 10% above allocatedStorageGiB 100)", 105],
        ]);
        assert.deepEqual(argsProblems(provisionerSchema, { ...args, ...dev }), [], "20 GiB under development: 105 is enough");
    });

    it("reads the Git token with requireSecret and the optional SSH private key with getSecret", async () => {
        assert.deepEqual(Object.keys(PROVISIONER_SECRET_KEYS), ["provisionerGitToken", "provisionerSshPrivateKey"]);
        await setupPulumi({
            config: { "cloud-cnc:provisionerGitToken": "glpat-config-token", "cloud-cnc:alertWebhookUrl": "https://chat.example/hooks/x" },
            secretKeys: ["cloud-cnc:provisionerGitToken", "cloud-cnc:alertWebhookUrl"],
        });
        const s = readSecrets(new pulumi.Config("cloud-cnc"));
        assert.equal(await isSecret(s.provisionerGitToken), true);
        assert.equal(await valueOf(s.provisionerGitToken), "glpat-config-token");
        assert.equal(s.provisionerSshPrivateKey, undefined);

        await setupPulumi({ config: { "cloud-cnc:alertWebhookUrl": "https://chat.example/hooks/x" } });
        assert.throws(() => readSecrets(new pulumi.Config("cloud-cnc")), /provisionerGitToken/);
    });
});
