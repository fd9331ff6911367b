// README.md's generated blocks say what the code does.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderReadme } from "../../scripts/render-docs";
import { profileRows } from "../../stacks/config/profiles";

describe("docs: README.md generated blocks", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");

    it("the sizing-profile table equals the components' profile defaults (npm run docs)", () => {
        assert.equal(readme, renderReadme(readme), "README.md is stale: run `npm run docs`");
    });

    it("the table has a row for each profile-dependent default, and the two profiles differ on each", () => {
        const rows = profileRows();
        const keys = rows.map((r) => r.key);
        for (const key of ["cloud-cnc:deletionProtection", "cloud-cnc:network.natGateways", "cloud-cnc:cluster.nodeGroups", "cloud-cnc:monitoring.prometheus.replicas", "cloud-cnc:logging.instanceCount", "cloud-cnc:provisioner.db.multiAz", "cloud-cnc:provisioner.flags.dev"]) {
            assert.ok(keys.includes(key), `no row for ${key}`);
        }
        for (const r of rows) assert.notEqual(r.development, r.production, `${r.key}: a profile default that does not depend on the profile`);
    });
});
