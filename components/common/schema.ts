// The rule-book machinery every component schema uses: Pulumi Input fields, parsing args into
// settings with every problem at once, profile-dependent defaults, and turning zod issues into
// problems that name the field, the expected form and the value found.
//
// A component's schema.ts defines its args once, with zod: field rules and messages, plain
// defaults, cross-field rules and the defaults that depend on the sizing profile. The component
// parses its args with it before creating any child; the stack config section for the component
// is the same schema with the keys the composition supplies left out.
import { z } from "zod";
import { InvalidArgsError, Problem } from "./errors";

// ---------------------------------------------------------------------------------------------
// Pulumi Inputs

/** The message of the marker branch: never shown to users (problemsFrom drops it). */
const INPUT_MARKER = "__cloud_cnc_pulumi_input__";

/** True for a value whose content is not known while the program runs: an Output or a Promise. */
export function isUnknownInput(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const v = value as { apply?: unknown; then?: unknown };
    return typeof v.apply === "function" || typeof v.then === "function";
}

const unknownInput = z.custom<{ readonly __unknownInput: true }>(isUnknownInput, { message: INPUT_MARKER });

/**
 * A field typed `pulumi.Input<T>` in the Args interface: an Output or Promise passes unchecked
 * (whatever produced it is responsible for it: a resource's attribute, or AWS at deployment);
 * a plain value is checked by `schema`.
 */
export function input<T extends z.ZodType>(schema: T) {
    return z.union([unknownInput, schema]);
}

/** True when `schema` is an `input(...)` wrapper (the Args field is `pulumi.Input<...>`, not plain). */
export function isInputSchema(schema: z.ZodType): schema is z.ZodUnion<[typeof unknownInput, z.ZodType]> {
    const def = (schema as any)?._zod?.def;
    return def?.type === "union" && def.options?.[0] === unknownInput;
}

/** The plain value of an input field when it is known now, else undefined. */
export function known<T>(value: T | { readonly __unknownInput: true } | undefined): T | undefined {
    return value === undefined || isUnknownInput(value) ? undefined : (value as T);
}

// ---------------------------------------------------------------------------------------------
// Sizing profiles

/** The sizing profiles. Every environment-dependent default reads the profile, never the environment's name. */
export const PROFILES = ["production", "development"] as const;
export type Profile = (typeof PROFILES)[number];

/** The `profile` arg every component with profile-dependent defaults takes. */
export const profileSchema = z.enum(PROFILES, { message: 'a sizing profile: "production" or "development"' });

/** Defaults per profile: a partial args object for each profile, applied under what the args set. */
export type ProfileDefaults<T> = Record<Profile, DeepPartial<T>>;

export type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknownInput(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * `defaults` under `value`: every key `value` leaves undefined takes the default; objects merge
 * key by key; arrays and scalars are replaced whole. Neither argument is modified.
 */
export function withDefaults<T>(value: T, defaults: unknown): T {
    if (value === undefined) return structuredCloneData(defaults) as T;
    if (!isPlainObject(value) || !isPlainObject(defaults)) return value;
    const out: Record<string, unknown> = { ...value };
    for (const [k, d] of Object.entries(defaults)) out[k] = withDefaults(out[k], d);
    return out as T;
}

function structuredCloneData(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(structuredCloneData);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneData(x)]));
    return v;
}

// ---------------------------------------------------------------------------------------------
// Problems from zod issues

/** How a problem's location is written: `thanos.compactor.retentionRaw` for args, `cloud-cnc:monitoring.…` for config. */
export type FieldNamer = (path: PropertyKey[]) => string;

/** `nodeGroups[0].minSize` for ["nodeGroups", 0, "minSize"]. */
export function argsFieldName(path: PropertyKey[]): string {
    return path.length === 0 ? "(the args as a whole)" : fieldPath(path);
}

/** `zoneAssociations[0].vpcId` for ["zoneAssociations", 0, "vpcId"]; odd keys quoted (tags["a b"]). Args and config keys are both named with it. */
export function fieldPath(path: PropertyKey[]): string {
    let out = "";
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else if (!PLAIN_KEY.test(String(p))) out += `[${JSON.stringify(String(p))}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
}

/** Keys printed as they are (tags.Team, tags.aws:owner); any other key is quoted (tags["a.b c"], [""]), so a key cannot forge a line or a path. */
const PLAIN_KEY = /^[A-Za-z0-9_$@:/+=-]+$/;

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let v: any = root;
    for (const key of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = v[key as any];
    }
    return v;
}

const TYPE_WORDS: Record<string, string> = {
    record: "a map of names to values",
    array: "a list",
    object: "an object",
    int: "a whole number",
    undefined: "nothing",
};

function describeType(expected: string): string {
    if (expected in TYPE_WORDS) return TYPE_WORDS[expected];
    return `${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}`;
}

/** Unwraps optional/default/prefault/readonly/catch/nullable, pipes (to their input) and input() unions. */
function unwrap(node: any): any {
    for (;;) {
        const def = node?._zod?.def;
        if (!def) return node;
        if (["optional", "default", "nullable", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) node = def.innerType;
        else if (def.type === "pipe") node = def.in;
        else if (def.type === "union" && def.options?.[0] === unknownInput) node = def.options[1];
        else return node;
    }
}

/** The keys an object schema allows at `path` (zod issues do not carry them). */
export function knownKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
    let node: any = unwrap(schema);
    for (const key of path) {
        const def = node?._zod?.def;
        if (!def) return [];
        if (def.type === "object") node = def.shape[key as string];
        else if (def.type === "array") node = def.element;
        else if (def.type === "record") node = def.valueType;
        else return [];
        node = unwrap(node);
    }
    const def = node?._zod?.def;
    return def?.type === "object" ? Object.keys(def.shape) : [];
}

/**
 * Turns zod issues into problems that name the field, the expected form and the value found.
 * Convention for schema messages: phrase them as the expected form ("an IPv4 CIDR block such as
 * 10.0.0.0/16"); this function adds "expected" and the value found at the issue's path.
 */
export function problemsFrom(error: { issues: readonly z.core.$ZodIssue[] }, input: unknown, name: FieldNamer = argsFieldName, schema?: z.ZodType, basePath: PropertyKey[] = []): Problem[] {
    const problems: Problem[] = [];
    const visit = (issue: z.core.$ZodIssue, prefix: PropertyKey[]) => {
        const local = [...prefix, ...issue.path];
        const path = [...basePath, ...local];
        const found = valueAt(input, local);
        switch (issue.code) {
            case "unrecognized_keys":
                for (const key of issue.keys) {
                    const known = schema ? knownKeysAt(schema, local) : [];
                    problems.push({
                        field: name([...path, key]),
                        expected: known.length > 0 ? `no unknown key here (known keys: ${known.join(", ")})` : "no unknown key here",
                        found: valueAt(input, [...local, key]),
                        unknownKey: true,
                    });
                }
                break;
            case "invalid_union": {
                // An input() field: report the plain branch's problems, never the marker's.
                const branches = issue.errors.filter((branch) => !branch.some((i) => i.message === INPUT_MARKER));
                if (branches.length === 1) {
                    for (const inner of branches[0]) visit(inner, local);
                } else {
                    problems.push({ field: name(path), expected: issue.message.startsWith("Invalid input") ? "a value of another form" : issue.message, found });
                }
                break;
            }
            case "invalid_type": {
                const custom = issue.message && !issue.message.startsWith("Invalid input") ? issue.message : undefined;
                // YAML reads `kubernetesVersion: 1.30` as the number 1.3: say how to keep the text.
                const hint = issue.expected === "string" && typeof found === "number" ? " (YAML read a number: quote it in the stack file, e.g. \"1.30\" for a version)" : "";
                problems.push({
                    field: name(path),
                    expected: (custom ?? (found === undefined ? `a value (required; ${describeType(issue.expected)})` : describeType(issue.expected))) + hint,
                    found,
                });
                break;
            }
            case "invalid_value": {
                const custom = issue.message && !issue.message.startsWith("Invalid option") && !issue.message.startsWith("Invalid input") ? issue.message : undefined;
                problems.push({ field: name(path), expected: custom ?? `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, found });
                break;
            }
            case "too_small":
            case "too_big": {
                const custom = issue.message && !/^Too (small|big)/.test(issue.message) ? issue.message : undefined;
                const bound = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
                const count = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
                const what = issue.origin === "array" ? `a list of ${bound} item${count === 1 ? "" : "s"}` : issue.origin === "string" ? `a string of ${bound} characters` : `a number ${bound}`;
                problems.push({ field: name(path), expected: custom ?? what, found });
                break;
            }
            case "invalid_key": {
                // A record key that fails its format: the key itself is what was found.
                const key = local[local.length - 1];
                const messages = new Set(issue.issues.map((inner) => (inner.message && !inner.message.startsWith("Invalid") ? inner.message : "a valid key")));
                for (const expected of messages) problems.push({ field: name(path), expected, found: key });
                break;
            }
            default: {
                // addIssue's `found` (zod drops an issue's `input` unless asked to report it).
                const given = issue.code === "custom" ? (issue.params as { found?: unknown } | undefined)?.found : undefined;
                problems.push({ field: name(path), expected: issue.message, found: given !== undefined ? given : "input" in issue && issue.input !== undefined ? issue.input : found });
            }
        }
    };
    for (const issue of error.issues) visit(issue, []);
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Parsing args

/**
 * Parses a component's args with its schema: the settings (plain defaults applied) or an
 * InvalidArgsError listing every problem, thrown before the component creates any child.
 */
export function parseArgs<S extends z.ZodType>(subject: string, schema: S, args: unknown): z.output<S> {
    const result = schema.safeParse(args);
    if (!result.success) throw new InvalidArgsError(subject, problemsFrom(result.error, args, argsFieldName, schema));
    return result.data;
}

/** Every problem with `args` (empty when they are valid): what parseArgs would throw. */
export function argsProblems(schema: z.ZodType, args: unknown): Problem[] {
    const result = schema.safeParse(args);
    return result.success ? [] : problemsFrom(result.error, args, argsFieldName, schema);
}

/**
 * Options of every rules superRefine: run even when some field failed its own rule (zod skips a
 * refinement after an aborting issue such as a wrong type), so the component and the config
 * report every problem at once, not the formats first and the rules on the next run. Rules are
 * therefore written for raw, possibly invalid input.
 */
export const EVERY_PROBLEM = { when: () => true } as const;

/**
 * A component's cross-field rules as superRefine arguments: run with EVERY_PROBLEM, and a rule
 * that cannot run on a field of the wrong type (already reported by that field's own rule) is
 * skipped instead of crashing the parse. Use: `argsSchema.superRefine(...allRules(myRules))`.
 */
export function allRules<T>(fn: (value: T, ctx: z.RefinementCtx) => void): [(value: T, ctx: z.RefinementCtx) => void, typeof EVERY_PROBLEM] {
    const guarded = (value: T, ctx: z.RefinementCtx) => {
        const before = (ctx as { issues?: unknown[] }).issues?.length ?? 0;
        try {
            fn(value, ctx);
        } catch (e) {
            if (before === 0) throw e;
        }
    };
    return [guarded, EVERY_PROBLEM];
}

/** Adds a problem from a superRefine, located at `path`, phrased as the expected form; `found` is the value shown (when undefined: the value at `path`). */
export function addIssue(ctx: z.RefinementCtx, path: PropertyKey[], expected: string, found: unknown): void {
    ctx.addIssue({ code: "custom", path: path as (string | number)[], message: expected, input: found, params: { found } });
}
