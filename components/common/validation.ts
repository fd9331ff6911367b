// Value rules shared by every component's validation (one definition each).

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Whether a number is a retention value CloudWatch Logs accepts. */
export function isLogRetentionDays(days: unknown): days is (typeof LOG_RETENTION_DAYS)[number] {
    return typeof days === "number" && (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** A Kubernetes (RFC 1123 label) name: lowercase letters, digits and '-', alphanumeric at both ends. */
export const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
