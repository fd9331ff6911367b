import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DnsRecordEntry } from "../common/dns";
import { parseArgs } from "../common/schema";
import { serviceDnsSchema } from "./schema";

export type { DnsAliasTarget, DnsRecordEntry } from "../common/dns";

/** Args of ServiceDnsRecords (rules, messages and defaults: components/service-dns/schema.ts). */
export interface ServiceDnsRecordsArgs {
    /** The private (VPC) hosted zone of the apps domain. */
    privateZoneId: pulumi.Input<string>;
    /** Its name (apps.cnc.internal): every private record lies inside it. */
    privateZoneName: string;
    /** The public hosted zone, only when an app is public. */
    publicZoneId?: pulumi.Input<string>;
    /** Its name: every public record lies inside it. */
    publicZoneName?: string;
    /** The records: names known at construction, targets (alias or CNAME) as Inputs; AppIngress.records plus the stack's CNAMEs. */
    records: DnsRecordEntry[];
    /** TTL of CNAME records in seconds (alias records take the target's). Default 300. */
    ttl?: number;
}

/**
 * The Route 53 registration layer: one record per UI host, in the private zone (and the public
 * one for public apps). Alias A records for load balancers, CNAMEs for other endpoints. It comes
 * last in the stack: the targets exist only once the load balancers do.
 */
export class ServiceDnsRecords extends pulumi.ComponentResource {
    /** Every record's fully qualified name. */
    public readonly fqdns: pulumi.Output<string[]>;

    constructor(name: string, args: ServiceDnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:ServiceDnsRecords", name, {}, opts);
        const s = parseArgs(`ServiceDnsRecords ${name}`, serviceDnsSchema, args);
        const parent = { parent: this };
        const records = args.records.map((r, i) => {
            const zoneId = r.zone === "public" ? args.publicZoneId! : args.privateZoneId;
            // Logical names by zone and host: stable when the list is reordered, readable in the preview.
            const logical = `${name}-${r.zone}-${r.name}`;
            if (s.records[i].alias) {
                // Alias A only: the ALBs are created ipv4 (the controller's ip-address-type default), so an
                // AAAA alias would answer with nothing.
                return new aws.route53.Record(
                    logical,
                    { zoneId, name: r.name, type: "A", aliases: [{ name: r.alias!.dnsName, zoneId: r.alias!.zoneId, evaluateTargetHealth: true }], allowOverwrite: false },
                    parent,
                );
            }
            return new aws.route53.Record(logical, { zoneId, name: r.name, type: "CNAME", ttl: s.ttl, records: [r.cname!], allowOverwrite: false }, parent);
        });
        this.fqdns = pulumi.all(records.map((r) => r.fqdn));
        this.registerOutputs({ fqdns: this.fqdns });
    }
}
