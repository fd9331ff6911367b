// The `cloud-cnc:ingress` config section: AppIngress's own schema without the keys the composition
// supplies (the apps domain is the internal zone; the table of hosts comes from the components;
// the VPC's CIDR is always allowed), plus what the stack decides with it: which apps are public,
// and the IdP groups every UI maps to its roles. Rules, messages and defaults of the shared keys
// live in components/app-ingress/schema.ts. The OIDC client secret is the secret config key
// `oidcClientSecret`, never part of this section.
import { z } from "zod";
import { appIngressArgsSchema, certificateRules } from "../../components/app-ingress/schema";
import { idpGroup, internalCidr } from "../../components/common/formats";
import { addIssue, allRules } from "../../components/common/schema";

/** Args the composition supplies. */
const COMPOSED = {
    environment: true,
    prefix: true,
    profile: true,
    tags: true,
    domain: true,
    apps: true,
    allowedCidrs: true,
    oidcClientSecret: true,
} as const;

/** Every UI the stack can put behind the ALB, by host label. */
export const UI_APPS = ["grafana", "thanos", "alertmanager", "provisioner", "headlamp", "prometheus"] as const;
export type UiApp = (typeof UI_APPS)[number];
/** The UIs that may be public: all but Headlamp, which stays private (a cluster UI on the internet is what the original's dashboard got wrong). */
export const PUBLIC_CAPABLE_APPS = UI_APPS.filter((a) => a !== "headlamp");

export const INGRESS_CONFIG_EXPECTED = {
    publicApp: `one of the UIs that may be public: grafana, thanos, alertmanager, provisioner, prometheus (Headlamp stays private)`,
} as const;

const groupList = () => z.array(idpGroup(), "a list of group names");

export const ingressConfigSchema = appIngressArgsSchema
    .omit(COMPOSED)
    .extend({
        /** Private CIDR blocks allowed to reach the internal ALB besides the VPC's (workload and office networks). Default none. */
        allowedCidrs: z.array(internalCidr(), "a list of IPv4 CIDR blocks").default([]),
        /** UIs also exposed on the internet-facing group (OIDC and WAF always on). Default none. */
        publicApps: z.array(z.enum(PUBLIC_CAPABLE_APPS as [string, ...string[]], { message: INGRESS_CONFIG_EXPECTED.publicApp }), "a list of UI names").default([]),
        /** IdP groups (the `groups` claim) mapped to each UI's roles: Grafana Admin/Editor/Viewer; OpenSearch all_access (admin) and read-only (editor, viewer). */
        groups: z
            .object({
                admin: groupList().min(1, "a list of at least one group (Grafana Admin, OpenSearch all_access)"),
                editor: groupList().default([]),
                viewer: groupList().default([]),
            })
            .strict(),
    })
    .strict()
    .superRefine(
        ...allRules((a: { certificate?: { mode?: unknown }; publicApps?: unknown; domain?: unknown; groups?: Record<string, unknown> }, ctx) => {
            certificateRules(a.certificate as never, undefined, ["certificate"], ctx);
            // One role per group (Grafana and OpenSearch would silently give the higher one).
            const seen = new Map<string, string>();
            for (const role of ["admin", "editor", "viewer"]) {
                const list = a.groups?.[role];
                if (!Array.isArray(list)) continue;
                list.forEach((g, i) => {
                    if (typeof g !== "string") return;
                    if (seen.has(g)) addIssue(ctx, ["groups", role, i], `a group not already in groups.${seen.get(g)} (one role per group)`, g);
                    else seen.set(g, role);
                });
            }
            if (Array.isArray(a.publicApps) && a.publicApps.length > 0 && a.certificate?.mode !== "dns") {
                addIssue(ctx, ["publicApps"], 'none unless certificate.mode is "dns" (a public app needs a publicly trusted certificate, and its record goes in that public zone)', a.publicApps);
            }
        }),
    );

export type IngressConfig = z.output<typeof ingressConfigSchema>;
