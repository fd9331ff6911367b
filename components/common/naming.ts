// Physical names an operator recognizes in the AWS console: `<prefix>-<environment>-<role>`
// (cloud-prod-dns-registrar, cloud-prod-thanos-compactor, ...). Logical names stay
// `<component instance>-<role>`; these are the names AWS shows.

/** `<prefix>-<environment>-<role>`, cut to `maxLength` (never ending in '-'). */
export function physicalName(prefix: string, environment: string, role: string, maxLength = 64): string {
    return `${prefix}-${environment}-${role}`.slice(0, maxLength).replace(/-+$/, "");
}

/**
 * IAM `namePrefix` of a role: `<prefix>-<environment>-<role>-`, at most 38 characters (the
 * provider's limit), so AWS appends a unique suffix and a replacement never collides.
 */
export function iamRoleNamePrefix(prefix: string, environment: string, role: string): string {
    return `${physicalName(prefix, environment, role, 37)}-`;
}
