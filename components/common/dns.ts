// The records the DNS layer (ServiceDnsRecords) writes, as the components that own the hosts
// describe them. Names are known when the component is constructed (so the record set is plain
// data that tests compare with the Ingress hosts); only the targets are Outputs.
import type * as pulumi from "@pulumi/pulumi";

/** An alias target: a load balancer's DNS name and its canonical hosted zone id. */
export interface DnsAliasTarget {
    /** The load balancer's DNS name. */
    dnsName: pulumi.Input<string>;
    /** Its canonical hosted zone id (aws.lb.getHostedZoneId). */
    zoneId: pulumi.Input<string>;
}

/** One DNS record for a UI host, written last by the DNS layer: an alias A record or a CNAME. */
export interface DnsRecordEntry {
    /** Fully qualified name, without a trailing dot (grafana.apps.cnc.internal). */
    name: string;
    /** Which hosted zone holds it: "private" (the VPC's) or "public" (a string for Pulumi's analyzer, which has no unions; validated by the schema). */
    zone: string;
    /** Alias A record target: the load balancer's DNS name and its canonical hosted zone id. */
    alias?: DnsAliasTarget;
    /** CNAME target (an endpoint that is not a load balancer: the OpenSearch domain's VPC endpoint). */
    cname?: pulumi.Input<string>;
}
