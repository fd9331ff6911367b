import { z } from "zod";
import { Problem, renderProblem } from "../../components/common/errors";

/** The Pulumi config namespace of this project. */
export const NAMESPACE = "cloud-cnc";

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    let v: any = root;
    for (const key of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = v[key as any];
    }
    return v;
}

/** `cloud-cnc:network.subnets[0].cidr` for the path ["network", "subnets", 0, "cidr"]. */
export function keyName(path: PropertyKey[]): string {
    let out = NAMESPACE + ":";
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
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

/**
 * Turns zod issues into problems that name the key, the expected form and the value found.
 * Convention for schema messages: phrase them as the expected form ("an IPv4 CIDR block such as
 * 10.0.0.0/16"); this function adds "expected" and the value found at the issue's path.
 */
export function problemsFrom(error: z.ZodError, input: unknown, basePath: PropertyKey[] = [], schema?: z.ZodType): Problem[] {
    const problems: Problem[] = [];
    for (const issue of error.issues) {
        const path = [...basePath, ...issue.path];
        const found = valueAt(input, issue.path);
        switch (issue.code) {
            case "unrecognized_keys":
                for (const key of issue.keys) {
                    const known = schema ? knownKeysAt(schema, issue.path) : [];
                    problems.push({
                        field: keyName([...path, key]),
                        expected: known.length > 0 ? `no unknown key here (known keys: ${known.join(", ")})` : "no unknown key here",
                        found: valueAt(input, [...issue.path, key]),
                    });
                }
                break;
            case "invalid_type": {
                const custom = issue.message && !issue.message.startsWith("Invalid input") ? issue.message : undefined;
                problems.push({
                    field: keyName(path),
                    expected: custom ?? (found === undefined ? `a value (required; ${describeType(issue.expected)})` : describeType(issue.expected)),
                    found,
                });
                break;
            }
            case "invalid_value":
                problems.push({ field: keyName(path), expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, found });
                break;
            case "too_small":
            case "too_big": {
                const custom = issue.message && !/^Too (small|big)/.test(issue.message) ? issue.message : undefined;
                const bound = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
                const what = issue.origin === "array" ? `a list of ${bound} item${Number(issue.code === "too_small" ? issue.minimum : issue.maximum) === 1 ? "" : "s"}` : issue.origin === "string" ? `a string of ${bound} characters` : `a number ${bound}`;
                problems.push({ field: keyName(path), expected: custom ?? what, found });
                break;
            }
            default:
                problems.push({ field: keyName(path), expected: issue.message, found });
        }
    }
    return problems;
}

/** The keys an object schema allows at `path` (zod issues do not carry them). */
function knownKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
    let node: any = schema;
    const unwrap = () => {
        for (;;) {
            const def = node?._zod?.def;
            if (!def) return;
            if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) node = def.innerType;
            else if (def.type === "pipe") node = def.in;
            else return;
        }
    };
    unwrap();
    for (const key of path) {
        const def = node?._zod?.def;
        if (!def) return [];
        if (def.type === "object") node = def.shape[key as string];
        else if (def.type === "array") node = def.element;
        else if (def.type === "record") node = def.valueType;
        else return [];
        unwrap();
    }
    const def = node?._zod?.def;
    return def?.type === "object" ? Object.keys(def.shape) : [];
}

/** Parses one config section with its schema; returns the value or the rendered problems. */
export function validateSection<S extends z.ZodType>(section: string, schema: S, raw: unknown): { value?: z.infer<S>; problems: Problem[]; messages: string[] } {
    const result = schema.safeParse(raw);
    if (result.success) return { value: result.data, problems: [], messages: [] };
    const problems = problemsFrom(result.error, raw, [section], schema);
    return { problems, messages: problems.map(renderProblem) };
}
