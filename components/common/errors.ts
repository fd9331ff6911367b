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
    return `${p.field}: expected ${p.expected}, found ${renderFound(p.found)}`;
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
