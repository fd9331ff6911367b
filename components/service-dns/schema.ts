// ServiceDnsRecords' rule book: the one definition of its args (field rules, messages, defaults,
// cross-field rules). The component parses its args with it before creating any record.
import { z } from "zod";
import { dnsName, format, hostedZoneId, intIn, isDnsName } from "../common/formats";
import { addIssue, allRules, input } from "../common/schema";

export const SERVICE_DNS_EXPECTED = {
    name: "a fully qualified lowercase DNS name without a trailing dot, such as grafana.apps.cnc.internal",
    zone: 'the zone that holds the record: "private" or "public"',
    target: "a DNS name (an alias target or a CNAME target)",
    ttl: "a CNAME TTL in seconds from 30 to 86400",
} as const;

const fqdn = () => format(SERVICE_DNS_EXPECTED.name, (v) => isDnsName(v) && !v.endsWith(".") && v === v.toLowerCase() && v.split(".").length >= 3);

export const recordSchema = z
    .object({
        name: fqdn(),
        zone: z.enum(["private", "public"], { message: SERVICE_DNS_EXPECTED.zone }),
        alias: z.object({ dnsName: input(dnsName(SERVICE_DNS_EXPECTED.target)), zoneId: input(hostedZoneId()) }).strict().optional(),
        cname: input(dnsName(SERVICE_DNS_EXPECTED.target)).optional(),
    })
    .strict();

/** Every arg of ServiceDnsRecords. */
export const serviceDnsArgsSchema = z
    .object({
        privateZoneId: input(hostedZoneId()),
        privateZoneName: dnsName(),
        publicZoneId: input(hostedZoneId()).optional(),
        publicZoneName: dnsName().optional(),
        records: z.array(recordSchema, "a list of records").min(1, "a list of at least one record"),
        ttl: intIn(30, 86400, SERVICE_DNS_EXPECTED.ttl).default(300),
    })
    .strict();

const bare = (zone: unknown) => (typeof zone === "string" ? zone.replace(/\.$/, "").toLowerCase() : undefined);

function rules(a: z.output<typeof serviceDnsArgsSchema>, ctx: z.RefinementCtx): void {
    if ((a.publicZoneId === undefined) !== (a.publicZoneName === undefined)) {
        const missing = a.publicZoneId === undefined ? "publicZoneId" : "publicZoneName";
        addIssue(ctx, [missing], "a value (publicZoneId and publicZoneName come together)", undefined);
    }
    const seen = new Map<string, number>();
    (Array.isArray(a.records) ? a.records : []).forEach((r, i) => {
        if (!r || typeof r !== "object") return;
        if ((r.alias === undefined) === (r.cname === undefined)) addIssue(ctx, ["records", i], `exactly one of alias and cname for ${r.name}`, r.alias !== undefined ? "both" : "neither");
        if (r.zone === "public" && a.publicZoneId === undefined) addIssue(ctx, ["records", i, "zone"], `"private" (no public zone is configured: set publicZoneId and publicZoneName to publish ${r.name})`, r.zone);
        const zone = bare(r.zone === "public" ? a.publicZoneName : a.privateZoneName);
        if (typeof r.name === "string" && zone !== undefined && !r.name.endsWith(`.${zone}`)) {
            addIssue(ctx, ["records", i, "name"], `a name inside the ${r.zone} zone ${zone} (a record outside its zone is refused by Route 53)`, r.name);
        }
        const key = `${r.zone}/${r.name}`;
        if (seen.has(key)) addIssue(ctx, ["records", i, "name"], `a name not already in the ${r.zone} zone (same as records[${seen.get(key)}])`, r.name);
        else seen.set(key, i);
    });
}

export const serviceDnsSchema = serviceDnsArgsSchema.superRefine(...allRules(rules));
export type ServiceDnsSettings = z.output<typeof serviceDnsSchema>;
