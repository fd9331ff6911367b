// ServiceDnsRecords under mocks: one record per entry in its zone with the right type and target,
// AppIngress's records land as alias A records to the ALB, and bad entries are refused before any
// record is registered.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgsError } from "../../components/common/errors";
import { ServiceDnsRecords, ServiceDnsRecordsArgs } from "../../components/service-dns";
import { ALB_HOST, ELB_ZONE, T, args as ingressArgs, build as buildIngress } from "../support/app-ingress-fixtures";
import { setupPulumi, settle, valueOf } from "../support/pulumi-harness";

const PRIVATE = "Z0PRIVATE0000000000001";
const PUBLIC = "Z0PUBLIC00000000000001";
const OPENSEARCH = "vpc-cloud-prod-logs-abc123.eu-west-1.es.amazonaws.com";

function dnsArgs(overrides: Partial<ServiceDnsRecordsArgs> = {}): ServiceDnsRecordsArgs {
    return {
        privateZoneId: PRIVATE,
        privateZoneName: "apps.cnc.example.com",
        publicZoneId: PUBLIC,
        publicZoneName: "cnc.example.com",
        records: [
            { name: "grafana.apps.cnc.example.com", zone: "private", alias: { dnsName: pulumi.output(ALB_HOST.internal), zoneId: ELB_ZONE } },
            { name: "grafana.apps.cnc.example.com", zone: "public", alias: { dnsName: ALB_HOST.public, zoneId: ELB_ZONE } },
            { name: "opensearch.apps.cnc.example.com", zone: "private", cname: pulumi.output(OPENSEARCH) },
        ],
        ...overrides,
    };
}

function refused(a: unknown): string {
    try {
        new ServiceDnsRecords("dns", a as ServiceDnsRecordsArgs);
    } catch (e) {
        assert.ok(e instanceof InvalidArgsError, String(e));
        return e.message;
    }
    assert.fail("expected the args to be refused");
}

describe("ServiceDnsRecords (mocks)", function () {
    this.timeout(60_000);

    it("writes one record per entry in its zone: alias A to the load balancer (health evaluated), CNAME with the TTL", async () => {
        const rec = await setupPulumi({ state: (m) => (m.type === T.record ? { fqdn: m.inputs.name } : undefined) });
        const dns = new ServiceDnsRecords("dns", dnsArgs({ ttl: 120 }));
        await settle();
        const records = rec.ofType(T.record);
        assert.equal(records.length, 3);
        const byZone = (zone: string, name: string) => records.find((r) => r.inputs.zoneId === zone && r.inputs.name === name)!;
        const priv = byZone(PRIVATE, "grafana.apps.cnc.example.com");
        assert.equal(priv.inputs.type, "A");
        assert.deepEqual(priv.inputs.aliases, [{ name: ALB_HOST.internal, zoneId: ELB_ZONE, evaluateTargetHealth: true }]);
        assert.equal(priv.inputs.allowOverwrite, false);
        assert.equal(byZone(PUBLIC, "grafana.apps.cnc.example.com").inputs.aliases[0].name, ALB_HOST.public);
        const os = byZone(PRIVATE, "opensearch.apps.cnc.example.com");
        assert.equal(os.inputs.type, "CNAME");
        assert.deepEqual(os.inputs.records, [OPENSEARCH]);
        assert.equal(os.inputs.ttl, 120);
        // Logical names by zone and host: the same host in two zones does not collide.
        assert.deepEqual(records.map((r) => r.name).sort(), ["dns-private-grafana.apps.cnc.example.com", "dns-private-opensearch.apps.cnc.example.com", "dns-public-grafana.apps.cnc.example.com"]);
        assert.deepEqual((await valueOf(dns.fqdns)).sort(), ["grafana.apps.cnc.example.com", "grafana.apps.cnc.example.com", "opensearch.apps.cnc.example.com"]);
    });

    it("AppIngress's records become exactly the Ingress hosts, aliased to their group's ALB", async () => {
        const ingress = await buildIngress(ingressArgs({ apps: [...ingressArgs().apps, { name: "status", namespace: "monitoring", service: "status", port: 8080, public: true }] }));
        new ServiceDnsRecords("dns", { privateZoneId: PRIVATE, privateZoneName: "apps.cnc.example.com", publicZoneId: PUBLIC, publicZoneName: "example.com", records: ingress.component.records });
        await settle();
        const hosts = ingress.rec.ofType(T.ingress).map((i) => `${i.inputs.metadata.annotations["alb.ingress.kubernetes.io/group.name"]}/${i.inputs.spec.rules[0].host}`);
        const records = ingress.rec.ofType(T.record).filter((r) => r.name.startsWith("dns-"));
        const written = records.map((r) => `${r.inputs.zoneId === PUBLIC ? "cnc-public" : "cnc-internal"}/${r.inputs.name}`);
        assert.deepEqual(written.sort(), hosts.sort());
        for (const r of records) assert.equal(r.inputs.aliases[0].name, r.inputs.zoneId === PUBLIC ? ALB_HOST.public : ALB_HOST.internal);
    });

    describe("refuses bad entries before any record, naming the field", () => {
        it("a name outside its zone, a duplicate, a public record without a public zone, both or neither target", async () => {
            const rec = await setupPulumi();
            const a = dnsArgs();
            assert.match(refused({ ...a, records: [{ ...a.records[0], name: "grafana.other.internal" }] }), /records\[0\]\.name: expected a name inside the private zone apps\.cnc\.example\.com/);
            assert.match(refused({ ...a, records: [a.records[0], { ...a.records[0] }] }), /records\[1\]\.name: expected a name not already in the private zone \(same as records\[0\]\)/);
            assert.match(refused({ ...a, publicZoneId: undefined, publicZoneName: undefined }), /records\[1\]\.zone: expected "private" \(no public zone is configured/);
            assert.match(refused({ ...a, publicZoneName: undefined }), /publicZoneName: expected a value \(publicZoneId and publicZoneName come together\)/);
            assert.match(refused({ ...a, records: [{ ...a.records[0], cname: OPENSEARCH }] }), /records\[0\]: expected exactly one of alias and cname/);
            assert.match(refused({ ...a, records: [{ name: "x.apps.cnc.example.com", zone: "private" }] }), /records\[0\]: expected exactly one of alias and cname/);
            assert.match(refused({ ...a, records: [{ ...a.records[0], name: "Grafana.apps.cnc.example.com." }] }), /records\[0\]\.name: expected a fully qualified lowercase DNS name/);
            assert.match(refused({ ...a, records: [] }), /records: expected a list of at least one record/);
            await settle();
            assert.equal(rec.ofType(T.record).length, 0);
        });
    });
});
