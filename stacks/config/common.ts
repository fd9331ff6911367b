/** Settings every section mapping receives, from the top-level config keys. */
export interface CommonSettings {
    /** Environment name (the stack), e.g. dev or prod. */
    environment: string;
    /** Name prefix for globally named resources (buckets), e.g. "cloud". */
    prefix: string;
    /** Sizing profile: every environment-dependent default reads it. */
    profile: "production" | "development";
    /** Protect and retain stateful resources; deletion protection on databases and domains. */
    deletionProtection: boolean;
    /** Tags applied to every AWS resource (through the provider's defaultTags). */
    tags: Record<string, string>;
}
