import * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for stateful children (buckets, databases, domains, KMS keys, hosted zones):
 * protected and retained on delete when the stack asks for deletion protection (prod).
 */
export function statefulOptions(protect: boolean | undefined, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return protect ? { ...opts, protect: true, retainOnDelete: true } : opts;
}
