import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

const root = path.resolve(__dirname, "../..");

/** A stack file's config block as the engine passes it: every value a string, objects JSON-encoded. */
export function stackFileConfig(stack: string): Record<string, string> {
    const doc = YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"));
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries<unknown>(doc.config ?? {})) {
        if (v !== null && typeof v === "object" && "secure" in (v as object)) continue; // encrypted values are not in the repo
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}


/** Secret values a test stands in for (`pulumi config set --secret` in a real stack). */
export const TEST_SECRETS: Record<string, string> = {
    "cloud-cnc:provisionerGitToken": "glpat-test-token-not-real",
    "cloud-cnc:alertWebhookUrl": "https://chat.example.com/hooks/test-webhook-not-real",
    "cloud-cnc:oidcClientSecret": "oidc-client-secret-not-real-Xk93",
};

/** A stack file's config plus the required secrets, as the engine would pass them. */
export function stackTestConfig(stack: string): { config: Record<string, string>; secretKeys: string[] } {
    return { config: { ...stackFileConfig(stack), ...TEST_SECRETS }, secretKeys: Object.keys(TEST_SECRETS) };
}
