// examples/workload-cluster, a separate Pulumi project, built against the packed package: it
// installs, compiles strictly and runs under Pulumi mocks with its own example stack file, and
// registers the records the C&C's DnsRegistrar expects for the configured cluster.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { NAME_PATTERNS, registrationName } from "../../functions/dns-registrar/contract";

const root = path.resolve(__dirname, "../..");
const example = path.join(root, "examples/workload-cluster");

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs the compiled program under mocks with the example stack file's config (and a kubeconfig secret). */
const RUNNER = `
const pulumi = require("@pulumi/pulumi");
const YAML = require("yaml");
const fs = require("fs");
const stack = YAML.parse(fs.readFileSync("Pulumi.example.yaml", "utf8")).config;
const config = { "workload-cluster-monitoring:kubeconfig": "{}" };
for (const [k, v] of Object.entries(stack)) config[k] = typeof v === "string" ? v : JSON.stringify(v);
pulumi.runtime.setAllConfig(config, ["workload-cluster-monitoring:kubeconfig"]);
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs, provider: a.provider || "" });
        const state = { ...a.inputs };
        if (a.type === "kubernetes:core/v1:Service" && a.inputs.spec && a.inputs.spec.type === "LoadBalancer") state.status = { loadBalancer: { ingress: [{ hostname: "k8s-monitori-fleetreg-0123456789.elb.eu-west-1.amazonaws.com" }] } };
        if (a.type === "aws:iam/role:Role") state.arn = "arn:aws:iam::123456789012:role/" + a.name;
        if (a.type === "aws:route53/record:Record") state.fqdn = a.inputs.name;
        return { id: a.name + "-id", state };
    },
    call: (a) => (a.token === "aws:lb/getHostedZoneId:getHostedZoneId" ? { id: "Z2IFOLAFXWLO4F" } : a.inputs),
}, "workload-cluster-monitoring", "example", false);
const program = require("./bin/index.js");
pulumi.all([program.registrationNames, program.loadBalancerHostname, program.sidecarRoleArn]).apply(([names, host, role]) => {
    setTimeout(() => console.log(JSON.stringify({ names, host, role, registered })), 200);
});
`;

describe("package: examples/workload-cluster against the packed package", function () {
    this.timeout(900_000);
    let dir: string;

    before(() => {
        run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], root);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-cnc-example-"));
        const info = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], root))[0];
        for (const f of fs.readdirSync(example)) if (!["node_modules", "bin"].includes(f)) fs.copyFileSync(path.join(example, f), path.join(dir, f));
        // The example depends on the tarball `npm pack` writes at the repository root; here it is in the temp dir.
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.equal(pkg.dependencies["cloud-cnc"], `file:../../${info.filename}`, "the example depends on the packed package of this version");
        pkg.dependencies["cloud-cnc"] = `file:${path.join(dir, info.filename)}`;
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
        run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
    });

    after(() => {
        if (dir && !process.env.KEEP_EXAMPLE) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("is its own Pulumi project with a stack file, and its README shows the three commands", () => {
        const project = YAML.parse(fs.readFileSync(path.join(example, "Pulumi.yaml"), "utf8"));
        assert.equal(project.name, "workload-cluster-monitoring");
        assert.equal(project.runtime.name, "nodejs");
        const readme = fs.readFileSync(path.join(example, "README.md"), "utf8");
        for (const cmd of ["npm install", "pulumi stack init", "pulumi up"]) assert.ok(readme.includes(cmd), `README lacks ${cmd}`);
    });

    it("compiles strictly against the package's declarations and runs under mocks: the registration records of its cluster, through the NLB", () => {
        run(process.execPath, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", "."], dir);
        fs.writeFileSync(path.join(dir, "run.js"), RUNNER);
        const out = JSON.parse(run(process.execPath, ["run.js"], dir).trim().split("\n").pop()!);
        const cfg = YAML.parse(fs.readFileSync(path.join(example, "Pulumi.example.yaml"), "utf8")).config;
        const id = cfg["workload-cluster-monitoring:clusterId"];
        const zone = cfg["workload-cluster-monitoring:registrationZone"].zoneName;
        assert.deepEqual(out.names.sort(), [registrationName(NAME_PATTERNS.thanos, id, zone), registrationName(NAME_PATTERNS.query, id, zone)].sort());
        const records = out.registered.filter((r: any) => r.type === "aws:route53/record:Record");
        assert.deepEqual(records.map((r: any) => r.inputs.name).sort(), out.names.sort());
        for (const r of records) assert.equal(r.inputs.aliases[0].name, out.host);
        const types = new Set(out.registered.map((r: any) => r.type));
        for (const t of ["cloud-cnc:index:WorkloadClusterMonitoring", "kubernetes:helm.sh/v3:Release", "kubernetes:apps/v1:Deployment", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "aws:iam/role:Role"]) assert.ok(types.has(t), `nothing of type ${t}`);
        assert.match(out.role, /^arn:aws:iam::123456789012:role\//);
    });
});
