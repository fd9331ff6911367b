import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with a component's args or a stack's config. */
export interface Problem {
    /** Where: an args field (`nodeGroups[0].minSize`) or a config key (`cloud-cnc:network.vpcCidr`). */
    field: string;
    /** The form that was expected, phrased to follow "expected": "an IPv4 CIDR block such as 10.0.0.0/16". */
    expected: string;
    /** The value found (rendered with JSON.stringify; undefined renders as "nothing"). */
    found: unknown;
    /** The field is not a known key (its value is never shown: it may be a mistyped secret). */
    unknownKey?: boolean;
}

/** What is printed instead of a value that must not be echoed. */
export const HIDDEN = "a value (hidden)";

/** Field names whose values are credentials (or carry them, like webhook URLs). */
const SECRET_FIELD = /(token|password|passwd|secret|private[-_]?key|credential|webhook|api[-_]?key|access[-_]?key|session[-_]?key)/i;

/**
 * Values that look like a credential wherever they appear: a URL with userinfo, a URL whose path
 * or query carries a token, a PEM block, an AWS access key id, a JWT, or a provider token prefix.
 */
export function looksSecret(value: unknown): boolean {
    const texts: string[] = [];
    const collect = (v: unknown) => {
        if (typeof v === "string") texts.push(v);
        else if (Array.isArray(v)) v.forEach(collect);
        else if (v !== null && typeof v === "object") Object.values(v).forEach(collect);
    };
    collect(value);
    return texts.some(
        (t) =>
            /:\/\/[^/\s@]*:[^/\s@]*@/.test(t) || // scheme://user:password@host
            /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(t) ||
            /\b(AKIA|ASIA)[A-Z0-9]{16}\b/.test(t) ||
            /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./.test(t) ||
            /\b(glpat-|ghp_|gho_|ghs_|github_pat_|xox[abpr]-|sk-[A-Za-z0-9]{16})/.test(t) ||
            /\/hooks\/[A-Za-z0-9]{10,}/.test(t) || // Mattermost/Slack incoming webhooks
            /[?&](token|key|secret|signature|sig|password)=/i.test(t),
    );
}

/** Whether a problem's value must not be printed: an unknown key (maybe a mistyped secret), a secret-named field, a credential-looking value. */
export function hideFound(p: Problem): boolean {
    return p.unknownKey === true || SECRET_FIELD.test(p.field.replace(/^[^:]*:/, "")) || looksSecret(p.found);
}

export function renderFound(value: unknown): string {
    if (value === undefined) return "nothing";
    try {
        const s = JSON.stringify(value);
        return s.length > 200 ? `${s.slice(0, 197)}...` : s;
    } catch {
        return String(value);
    }
}

export function renderProblem(p: Problem): string {
    const found = p.found !== undefined && hideFound(p) ? HIDDEN : renderFound(p.found);
    return `${p.field}: expected ${p.expected}, found ${found}`;
}

/**
 * Thrown before any child resource is created when args (or config) are invalid. Every
 * problem is reported at once, one line each, naming the field, the expected form and the value found.
 */
export class InvalidArgsError extends pulumi.RunError {
    readonly problems: Problem[];
    constructor(subject: string, problems: Problem[]) {
        super(`${subject}: ${problems.length} invalid ${problems.length === 1 ? "setting" : "settings"}:\n` + problems.map((p) => `  - ${renderProblem(p)}`).join("\n"));
        this.name = "InvalidArgsError";
        this.problems = problems;
    }
}

/** Throws InvalidArgsError when there are problems; no-op otherwise. */
export function assertNoProblems(subject: string, problems: Problem[]): void {
    if (problems.length > 0) throw new InvalidArgsError(subject, problems);
}
