// amtool (built by scripts/setup-binaries.sh at the Alertmanager version the stack runs) on the
// Alertmanager configuration ThanosFederation renders: it loads, and alerts route where the config
// says.
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ALERT_WEBHOOK_FILE, renderAlertmanagerConfig } from "../../components/thanos-federation/render";
import { binary } from "../support/binaries";
import { tempDir } from "../support/thanos-prometheus";

describe("real tools: amtool on the rendered Alertmanager config", function () {
    this.timeout(60_000);
    let amtool: string;
    let file: string;

    before(() => {
        amtool = binary("amtool");
        const dir = tempDir("cloud-cnc-amtool-");
        file = path.join(dir, "alertmanager.yml");
        fs.writeFileSync(file, YAML.stringify(renderAlertmanagerConfig(), { sortMapEntries: true }));
    });

    it("check-config accepts it, with the webhook read from the mounted Secret file", () => {
        const out = execFileSync(amtool, ["check-config", file], { encoding: "utf8" });
        assert.match(out, /SUCCESS/);
        assert.match(out, /2 receivers/);
        assert.match(out, /1 inhibit rules/);
        assert.ok(fs.readFileSync(file, "utf8").includes(`api_url_file: ${ALERT_WEBHOOK_FILE}`));
    });

    it("check-config rejects a broken variant (the check can fail)", () => {
        const broken = path.join(path.dirname(file), "broken.yml");
        const config = renderAlertmanagerConfig();
        config.route.receiver = "nobody";
        fs.writeFileSync(broken, YAML.stringify(config));
        const run = spawnSync(amtool, ["check-config", broken], { encoding: "utf8" });
        assert.notEqual(run.status, 0);
        assert.match(run.stdout + run.stderr, /nobody/);
    });

    const route = (labels: string[]) => execFileSync(amtool, ["config", "routes", "test", "--config.file", file, ...labels], { encoding: "utf8" }).trim();

    it("routes fleet alerts to Mattermost and the Watchdog to nowhere", () => {
        assert.equal(route(["alertname=ThanosCompactHalted", "clusterID=cloud-prod-cnc", "severity=critical"]), "mattermost");
        assert.equal(route(["alertname=Watchdog", "severity=none"]), "null");
    });
});
