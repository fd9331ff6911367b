// ProvisionerServer's pods against what the pinned mattermost-cloud release accepts: every flag
// of every container exists there with a value of its type, the flags the server cannot start
// without are given, the environment is what the image's programs read, and the pod runs the image
// as it was built. The upstream facts live in tests/support/mattermost-cloud.ts, with their source.
import { strict as assert } from "assert";
import { versions } from "../../components/common/versions";
import { API_PORT, Container, deployment, DeploymentManifest, METRICS_PORT, migrateArgs, service } from "../../components/provisioner/render";
import { provisionerSchema } from "../../components/provisioner/schema";
import {
    ENV_PREFIX,
    FLAGS_RELEASE,
    IMAGE,
    KNOWN_ENV,
    parseFlags,
    ROOT_PERSISTENT_FLAGS,
    SCHEMA_MIGRATE_FLAGS,
    SERVER_FLAGS,
    SERVER_REQUIRED_FLAGS,
} from "../support/mattermost-cloud";
import { dev, prod, provisionerArgs } from "../support/provisioner-harness";

const SERVER_TABLE = { ...SERVER_FLAGS, ...ROOT_PERSISTENT_FLAGS };
const MIGRATE_TABLE = { ...SCHEMA_MIGRATE_FLAGS, ...ROOT_PERSISTENT_FLAGS };

/** Every Deployment the component can render: both profiles, with and without the supervisors Deployment. */
function deployments(): [string, DeploymentManifest][] {
    const out: [string, DeploymentManifest][] = [];
    for (const stack of [dev, prod]) {
        const { imageTag: _t, ...args } = provisionerArgs(stack);
        void _t;
        const s = provisionerSchema.parse({ ...args, supervisors: { enabled: true } });
        out.push([`${stack.profile} server`, deployment(s, false)], [`${stack.profile} supervisors`, deployment(s, true)]);
    }
    return out;
}

const containers = (d: DeploymentManifest): Container[] => [...d.spec.template.spec.initContainers, ...d.spec.template.spec.containers];

describe(`ProvisionerServer against mattermost-cloud ${FLAGS_RELEASE} (tests/support/mattermost-cloud.ts)`, () => {
    it("pins the release whose flags, environment and image were checked (a tag the release workflow publishes)", () => {
        // The release workflow that pushes mattermost/mattermost-cloud:<tag> first exists at v0.93.0; v0.93.1 is the tag cut on the fixed pipeline.
        assert.equal(versions.provisioner.imageTag, FLAGS_RELEASE);
        const { imageTag: _t, ...args } = provisionerArgs();
        void _t;
        assert.equal(provisionerSchema.parse(args).imageTag, FLAGS_RELEASE);
    });

    it("passes only flags `cloud server` has, each with a value of its type, none twice", () => {
        for (const [label, d] of deployments()) {
            const args = d.spec.template.spec.containers[0].args;
            const parsed = parseFlags(args, SERVER_TABLE);
            assert.deepEqual(parsed.problems, [], label);
            assert.deepEqual(parsed.positional, ["server"], label);
        }
    });

    it("passes every flag the server cannot start without, non-empty", () => {
        for (const [label, d] of deployments()) {
            const flags = new Map(parseFlags(d.spec.template.spec.containers[0].args, SERVER_TABLE).flags);
            for (const name of SERVER_REQUIRED_FLAGS) assert.ok(flags.get(name), `${label}: --${name} (executeServerCmd exits without it)`);
        }
    });

    it("registers a DNS provider: Route 53 (without one, or CLOUDFLARE_API_TOKEN, the server exits: no Installation DNS providers registered)", () => {
        for (const [label, d] of deployments()) {
            const c = d.spec.template.spec.containers[0];
            const flags = new Map(parseFlags(c.args, SERVER_TABLE).flags);
            assert.equal(flags.get("installation-enable-route53"), "true", label);
            assert.equal(c.env.some((e) => e.name === "CLOUDFLARE_API_TOKEN"), false, label);
        }
    });

    it("listens on the ports the container, the Service and the image declare", () => {
        assert.deepEqual([API_PORT, METRICS_PORT], [...IMAGE.exposedPorts]);
        for (const [label, d] of deployments()) {
            const c = d.spec.template.spec.containers[0];
            const flags = new Map(parseFlags(c.args, SERVER_TABLE).flags);
            const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
            assert.equal(flags.get("listen"), `:${ports.api}`, label);
            assert.equal(flags.get("metrics-port"), String(ports.metrics), label);
        }
        assert.deepEqual(
            service("provisioner").spec.ports.map((p) => [p.port, p.targetPort]),
            [
                [API_PORT, "api"],
                [METRICS_PORT, "metrics"],
            ],
        );
    });

    it("migrates the schema with the flags `cloud schema migrate` has", () => {
        const parsed = parseFlags(migrateArgs(), MIGRATE_TABLE);
        assert.deepEqual(parsed.problems, []);
        assert.deepEqual(parsed.positional, ["schema", "migrate"]);
        assert.equal(new Map(parsed.flags).get("database"), "$(DATABASE)");
        for (const [label, d] of deployments()) assert.deepEqual(d.spec.template.spec.initContainers[0].args, migrateArgs(), label);
    });

    it("fails a removed, misspelled or mistyped flag (the check has teeth)", () => {
        // --route53-id and --private-dns are flags of the original deployment, long removed upstream.
        const parsed = parseFlags(["server", "--route53-id=Z1", "--private-dns", "x", "--keep-database-data=yes", "--poll=30s", "--listen=:1", "--listen=:2", "--metrics-port"], SERVER_TABLE);
        assert.deepEqual(parsed.problems, [
            "unknown flag --route53-id",
            "unknown flag --private-dns",
            '--keep-database-data: not a Bool: "yes"',
            '--poll: not an Int: "30s"',
            "--listen given twice",
            "--metrics-port needs a value",
        ]);
        assert.deepEqual(parseFlags(["--installation-deletion-pending-time=3m", "--backup-job-ttl-seconds=3000000000"], SERVER_TABLE).problems, ["--backup-job-ttl-seconds: out of Int32 range: 3000000000"]);
    });

    it("sets only environment the image's programs read, no CP_ variable (a hidden flag), and every $(VAR) the args use", () => {
        for (const [label, d] of deployments()) {
            for (const c of containers(d)) {
                const names = c.env.map((e) => e.name);
                for (const name of names) {
                    assert.ok(!name.startsWith(ENV_PREFIX), `${label}/${c.name}: ${name} would set --${name.slice(ENV_PREFIX.length).toLowerCase().replace(/_/g, "-")} behind the args' back`);
                    assert.ok(name in KNOWN_ENV, `${label}/${c.name}: ${name} is read by nothing in the image`);
                }
                assert.equal(new Set(names).size, names.length, `${label}/${c.name}: an environment variable set twice`);
                // The kubelet leaves an undefined $(VAR) as is: the server would get the literal text.
                for (const ref of c.args.join(" ").match(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g) ?? []) {
                    assert.ok(names.includes(ref.slice(2, -1)), `${label}/${c.name}: ${ref} is not defined`);
                }
            }
        }
    });

    it("runs the image as built: its entrypoint, its UID, its tools and files where the image put them", () => {
        const shadows = (mountPath: string, dir: string) => dir === mountPath || dir.startsWith(`${mountPath}/`) || mountPath.startsWith(`${dir}/`);
        for (const [label, d] of deployments()) {
            const pod = d.spec.template.spec;
            assert.equal(pod.securityContext.runAsUser, IMAGE.uid, label);
            for (const c of containers(d)) {
                // No `command`: the entrypoint (`exec ${CLOUD} $@`) runs the cloud binary with the args,
                // and its unquoted $@ would split an argument holding whitespace.
                assert.equal("command" in c, false, `${label}/${c.name}`);
                for (const arg of c.args) assert.doesNotMatch(arg, /\s/, `${label}/${c.name}: ${JSON.stringify(arg)} would be split by the entrypoint`);
                assert.equal(c.securityContext.runAsUser, IMAGE.uid, `${label}/${c.name}`);
                for (const name of ["PATH", ...IMAGE.env]) assert.equal(c.env.some((e) => e.name === name), false, `${label}/${c.name}: ${name} is the image's`);
                for (const m of c.volumeMounts) {
                    for (const dir of [IMAGE.toolDir, IMAGE.appDir]) assert.equal(shadows(m.mountPath, dir), false, `${label}/${c.name}: ${m.mountPath} hides ${dir}`);
                }
            }
        }
    });
});
