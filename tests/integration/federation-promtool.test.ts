// promtool (built by scripts/setup-binaries.sh at the Prometheus version the stack deploys) on the files ThanosFederation renders: the
// federation Prometheus configs (flat, hierarchical central, each group federator) and the
// Ruler's rule groups, including a unit test that the alerts fire.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { renderFileSd } from "../../functions/dns-registrar/contract";
import { DEFAULT_FEDERATION_MATCH } from "../../components/thanos-federation/schema";
import { RuleFile, centralFederationConfig, groupFederationConfig, groupTargets, renderPrometheusConfig, renderRuleFile, ruleGroups, cncPrometheusTarget, toYaml } from "../../components/thanos-federation/render";
import { binary } from "../support/binaries";
import { tempDir } from "../support/thanos-prometheus";

interface Run {
    code: number;
    output: string;
}

function run(binary: string, args: string[], cwd: string): Run {
    try {
        const output = execFileSync(binary, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
        return { code: 0, output };
    } catch (e: any) {
        return { code: e.status ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

/** The Ruler file as promtool reads it: `partial_response_strategy` is a Thanos extension promtool rejects. */
function forPromtool(file: RuleFile): string {
    return toYaml({ groups: file.groups.map(({ partial_response_strategy: _thanosOnly, ...group }) => group) });
}

describe("rendered federation configs and rules under promtool (real tool)", function () {
    this.timeout(120_000);
    let promtool: string;
    let dir: string;
    let targetsFile: string;

    before(() => {
        promtool = binary("promtool");
        dir = tempDir("cloud-cnc-promtool-");
        targetsFile = path.join(dir, "targets.json");
        fs.writeFileSync(targetsFile, renderFileSd([{ targets: ["cluster-a-grpc.example.internal:9090"], labels: { clusterID: "cluster-a" } }]));
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const cases: [string, () => string][] = [
        ["central, flat", () => renderPrometheusConfig(centralFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile, cncTarget: cncPrometheusTarget(), groupTargets: [] }))],
        [
            "central over 3 groups",
            () => renderPrometheusConfig(centralFederationConfig({ match: ['{__name__=~"job:.*"}'], targetsFile, cncTarget: cncPrometheusTarget(), groupTargets: groupTargets(3) })),
        ],
        ...[0, 1, 2].map((index): [string, () => string] => [
            `group ${index} of 3`,
            () => renderPrometheusConfig(groupFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile, groups: 3, index })),
        ]),
    ];
    for (const [label, render] of cases) {
        it(`promtool check config accepts the ${label} config`, () => {
            const file = path.join(dir, `${label.replace(/\W+/g, "-")}.yml`);
            fs.writeFileSync(file, render());
            const result = run(promtool, ["check", "config", file], dir);
            assert.equal(result.code, 0, result.output);
            assert.match(result.output, /SUCCESS/);
        });
    }

    it("promtool check config rejects a broken federation config (the check can fail)", () => {
        const config = centralFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile, cncTarget: cncPrometheusTarget(), groupTargets: [] });
        (config.scrape_configs[0] as any).relabel_configs = [{ action: "hashmod", source_labels: ["__address__"], target_label: "__tmp" }]; // no modulus
        const file = path.join(dir, "broken.yml");
        fs.writeFileSync(file, renderPrometheusConfig(config));
        const result = run(promtool, ["check", "config", file], dir);
        assert.notEqual(result.code, 0);
        assert.match(result.output, /modulus/i);
    });

    it("the Ruler's groups evaluate on partial responses (warn) and pass promtool check rules", () => {
        const rendered = YAML.parse(renderRuleFile(ruleGroups())) as RuleFile;
        assert.ok(rendered.groups.length > 0);
        for (const g of rendered.groups) assert.equal(g.partial_response_strategy, "warn", g.name);
        const file = path.join(dir, "rules.yml");
        fs.writeFileSync(file, forPromtool(rendered));
        const result = run(promtool, ["check", "rules", file], dir);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /SUCCESS: 3 rules found/);
    });

    it("promtool test rules: ThanosCompactHalted fires after 5m and the clusterID:up:count recording rule counts per cluster", () => {
        fs.writeFileSync(path.join(dir, "rules-under-test.yml"), forPromtool(ruleGroups()));
        const tests = {
            rule_files: ["rules-under-test.yml"],
            evaluation_interval: "1m",
            tests: [
                {
                    interval: "1m",
                    input_series: [
                        { series: 'thanos_compact_halted{job="thanos-compactor", instance="c-0"}', values: "0 1 1 1 1 1 1 1 1 1" },
                        { series: 'up{job="a", clusterID="one", instance="x"}', values: "1x10" },
                        { series: 'up{job="b", clusterID="one", instance="y"}', values: "1x10" },
                        { series: 'up{job="a", clusterID="two", instance="z"}', values: "0x10" },
                    ],
                    alert_rule_test: [
                        { eval_time: "4m", alertname: "ThanosCompactHalted", exp_alerts: [] },
                        {
                            eval_time: "7m",
                            alertname: "ThanosCompactHalted",
                            exp_alerts: [
                                {
                                    exp_labels: { job: "thanos-compactor", severity: "critical" },
                                    exp_annotations: {
                                        summary: "Thanos Compactor halted",
                                        description: "The compactor thanos-compactor halted on an error: compaction, downsampling and retention have stopped.",
                                    },
                                },
                            ],
                        },
                    ],
                    promql_expr_test: [
                        {
                            expr: "clusterID:up:count",
                            eval_time: "5m",
                            exp_samples: [
                                { labels: 'clusterID:up:count{clusterID="one"}', value: 2 },
                                { labels: 'clusterID:up:count{clusterID="two"}', value: 1 },
                            ],
                        },
                    ],
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "rules-test.yml"), toYaml(tests));
        const result = run(promtool, ["test", "rules", "rules-test.yml"], dir);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /SUCCESS/);
    });
});
