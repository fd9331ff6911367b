// Compares a component's zod args schema with the inputs Pulumi's component analyzer reads from
// its TypeScript Args interface: the same keys, types, optionality and Input-ness at every level.
// (tests/package/analyzer.test.ts runs it for every component.)
import { isInputSchema } from "../../components/common/schema";

/** One input as both sides describe it. */
export interface Shape {
    type: "string" | "number" | "boolean" | "array" | "object" | "unknown";
    optional: boolean;
    /** false for `pulumi.Input<...>` (the analyzer's `plain` flag). */
    plain: boolean;
    items?: Shape;
    additionalProperties?: Shape;
    properties?: Record<string, Shape>;
}

const WRAPPERS_OPTIONAL = ["optional", "default", "prefault"];

/** The shape of a zod schema (zod 4 internals: `_zod.def`). */
export function zodShape(schema: unknown): Shape {
    let node: any = schema;
    let optional = false;
    let plain = true;
    for (;;) {
        const def = node?._zod?.def;
        if (!def) return { type: "unknown", optional, plain };
        if (WRAPPERS_OPTIONAL.includes(def.type)) {
            optional = true;
            node = def.innerType;
        } else if (["readonly", "catch", "nullable"].includes(def.type)) node = def.innerType;
        else if (def.type === "pipe") node = def.in;
        else if (isInputSchema(node)) {
            plain = false;
            node = def.options[1];
        } else break;
    }
    const def = node._zod.def;
    switch (def.type) {
        case "string":
        case "enum":
            return { type: "string", optional, plain };
        case "literal":
            return { type: typeof def.values[0] === "number" ? "number" : typeof def.values[0] === "boolean" ? "boolean" : "string", optional, plain };
        case "number":
            return { type: "number", optional, plain };
        case "boolean":
            return { type: "boolean", optional, plain };
        case "array":
            return { type: "array", optional, plain, items: zodShape(def.element) };
        case "record":
            return { type: "object", optional, plain, additionalProperties: zodShape(def.valueType) };
        case "object":
            return { type: "object", optional, plain, properties: Object.fromEntries(Object.entries(def.shape).map(([k, v]) => [k, zodShape(v)])) };
        default:
            return { type: "unknown", optional, plain };
    }
}

/** The shape of an analyzer/package-schema property, resolving `$ref`s through `types`. */
export function analyzerShape(prop: any, types: Record<string, any>): Shape {
    const optional = prop.optional === true;
    const plain = prop.plain === true;
    if (prop.$ref) {
        const token = String(prop.$ref).replace(/^#\/types\//, "");
        const type = types[token];
        if (!type) return { type: "unknown", optional, plain };
        const required = new Set<string>(type.required ?? []);
        return {
            type: "object",
            optional,
            plain,
            properties: Object.fromEntries(Object.entries(type.properties ?? {}).map(([k, v]) => [k, { ...analyzerShape(v, types), optional: !required.has(k) }])),
        };
    }
    switch (prop.type) {
        case "string":
        case "number":
        case "boolean":
            return { type: prop.type, optional, plain };
        case "integer":
            return { type: "number", optional, plain };
        case "array":
            return { type: "array", optional, plain, items: analyzerShape(prop.items, types) };
        case "object":
            return prop.additionalProperties ? { type: "object", optional, plain, additionalProperties: analyzerShape(prop.additionalProperties, types) } : { type: "object", optional, plain, properties: {} };
        default:
            return { type: "unknown", optional, plain };
    }
}

function describe(s: Shape): string {
    return `${s.optional ? "optional" : "required"} ${s.plain ? "" : "Input<"}${s.type}${s.plain ? "" : ">"}`;
}

/**
 * Every difference between the two shapes, one line each (`<path>: schema says X, Args say Y`).
 * Array items and map values are compared for type and Input-ness (optionality means nothing there).
 */
export function shapeDifferences(path: string, schema: Shape, args: Shape, element = false): string[] {
    const out: string[] = [];
    const same = schema.type === args.type && schema.plain === args.plain && (element || schema.optional === args.optional);
    if (!same) {
        out.push(`${path}: the zod schema says ${describe(schema)}, the Args interface says ${describe(args)}`);
        return out;
    }
    if (schema.items && args.items) out.push(...shapeDifferences(`${path}[]`, schema.items, args.items, true));
    if (schema.additionalProperties && args.additionalProperties) out.push(...shapeDifferences(`${path}{}`, schema.additionalProperties, args.additionalProperties, true));
    if (schema.type === "object" && (schema.properties || args.properties)) {
        if (!schema.properties || !args.properties) {
            out.push(`${path}: the zod schema says ${schema.properties ? "an object with fields" : "a map"}, the Args interface says ${args.properties ? "an object with fields" : "a map"}`);
            return out;
        }
        out.push(...propertyDifferences(path, schema.properties, args.properties));
    }
    return out;
}

/** Differences between two property maps: missing keys on either side, then each shared key. */
export function propertyDifferences(path: string, schema: Record<string, Shape>, args: Record<string, Shape>): string[] {
    const out: string[] = [];
    const at = (k: string) => (path ? `${path}.${k}` : k);
    for (const k of Object.keys(args)) if (!(k in schema)) out.push(`${at(k)}: in the Args interface, not in the zod schema`);
    for (const k of Object.keys(schema)) if (!(k in args)) out.push(`${at(k)}: in the zod schema, not in the Args interface`);
    for (const k of Object.keys(schema)) if (k in args) out.push(...shapeDifferences(at(k), schema[k], args[k]));
    return out;
}
