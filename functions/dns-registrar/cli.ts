// Operator CLI: what would the registrar write for this zone dump? Same planner as the Lambda.
//
//   npx ts-node functions/dns-registrar/cli.ts plan records.json [--thanos-zone Z] [--prometheus-zone Z]
//       [--installations-zone Z] [--grpc-port N]
//
// records.json is a ListResourceRecordSets response (`aws route53 list-resource-record-sets
// --hosted-zone-id Z... > records.json`) or its ResourceRecordSets array. Zones default to the
// dump's SOA name (the zone apex). Prints
//   {"thanosEndpoints": "<file text>", "prometheusTargets": [...], "probes": [...], "leafQueryTargets": [...]}
// on stdout, one line per skipped name on stderr; bad input: one line on stderr, exit code 1
// (2 for bad usage).
import * as fs from "fs";
import { DEFAULT_PLAN_OPTIONS, PlanOptions, RecordSet, fileEntries, fileSdGroups, normalizeName, planTargets, renderFile } from "./planner";

export const USAGE =
    "usage: cli.ts plan <records.json> [--thanos-zone Z] [--prometheus-zone Z] [--installations-zone Z] [--grpc-port N]";

export interface CliIo {
    readFile(path: string): string;
    stdout(text: string): void;
    stderr(text: string): void;
}

const nodeIo: CliIo = {
    readFile: (p) => fs.readFileSync(p, "utf8"),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
};

class CliError extends Error {
    constructor(
        message: string,
        readonly exitCode: number,
    ) {
        super(message);
    }
}

/** The record sets of a dump, or a CliError naming what is wrong with it. */
export function parseDump(text: string, file: string): RecordSet[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new CliError(`${file}: not JSON (${(err as Error).message.split("\n")[0]})`, 1);
    }
    const list = Array.isArray(doc) ? doc : doc !== null && typeof doc === "object" ? (doc as { ResourceRecordSets?: unknown }).ResourceRecordSets : undefined;
    if (!Array.isArray(list)) {
        throw new CliError(`${file}: expected a ListResourceRecordSets response (an object with a ResourceRecordSets array) or that array`, 1);
    }
    list.forEach((r, i) => {
        if (r === null || typeof r !== "object" || Array.isArray(r)) throw new CliError(`${file}: ResourceRecordSets[${i}]: expected an object, found ${JSON.stringify(r)}`, 1);
        const { Name, Type } = r as { Name?: unknown; Type?: unknown };
        if (typeof Name !== "string" || Name === "") throw new CliError(`${file}: ResourceRecordSets[${i}].Name: expected a DNS name, found ${JSON.stringify(Name)}`, 1);
        if (typeof Type !== "string" || Type === "") throw new CliError(`${file}: ResourceRecordSets[${i}].Type: expected a record type such as A, found ${JSON.stringify(Type)}`, 1);
    });
    return list as RecordSet[];
}

interface Parsed {
    file: string;
    thanosZone?: string;
    prometheusZone?: string;
    installationsZone?: string;
    grpcPort?: number;
}

function parseArgs(argv: string[]): Parsed {
    const [command, ...rest] = argv;
    if (command !== "plan") throw new CliError(command === undefined ? USAGE : `unknown command ${JSON.stringify(command)}; ${USAGE}`, 2);
    const out: Partial<Parsed> = {};
    const flags: Record<string, keyof Parsed> = { "--thanos-zone": "thanosZone", "--prometheus-zone": "prometheusZone", "--installations-zone": "installationsZone", "--grpc-port": "grpcPort" };
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        if (flag in flags) {
            const value = inline ?? rest[++i];
            if (value === undefined || value === "") throw new CliError(`${flag} needs a value; ${USAGE}`, 2);
            if (flags[flag] === "grpcPort") {
                const n = Number(value);
                if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`--grpc-port: expected a port from 1 to 65535, found ${JSON.stringify(value)}`, 2);
                out.grpcPort = n;
            } else {
                const zone = normalizeName(value);
                if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(zone)) throw new CliError(`${flag}: expected a DNS zone name such as thanos.fleet.internal, found ${JSON.stringify(value)}`, 2);
                (out as Record<string, unknown>)[flags[flag]] = zone;
            }
        } else if (arg.startsWith("--")) {
            throw new CliError(`unknown option ${arg}; ${USAGE}`, 2);
        } else if (out.file === undefined) {
            out.file = arg;
        } else {
            throw new CliError(`unexpected argument ${JSON.stringify(arg)}; ${USAGE}`, 2);
        }
    }
    if (out.file === undefined) throw new CliError(`missing <records.json>; ${USAGE}`, 2);
    return out as Parsed;
}

/**
 * Text safe for one human-readable line: control characters (a Route 53 name may carry `\012`,
 * which normalizeName decodes to a newline), DEL, C1 controls, line/paragraph separators and
 * bidirectional overrides are shown as escapes, so a record name can never forge another line.
 */
export function printable(text: string): string {
    return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    });
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIo = nodeIo): number {
    try {
        const args = parseArgs(argv);
        let text: string;
        try {
            text = io.readFile(args.file);
        } catch (err) {
            throw new CliError(`${args.file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 1);
        }
        const records = parseDump(text, args.file);
        const apexes = [...new Set(records.filter((r) => (r.Type ?? "").toUpperCase() === "SOA").map((r) => normalizeName(r.Name ?? "")))];
        const apex = apexes.length === 1 ? apexes[0] : undefined;
        const thanosZone = args.thanosZone ?? apex;
        const prometheusZone = args.prometheusZone ?? apex;
        if (thanosZone === undefined && prometheusZone === undefined && args.installationsZone === undefined) {
            throw new CliError(`${args.file}: cannot tell the zone (${apexes.length === 0 ? "no SOA record" : `several SOA records: ${apexes.join(", ")}`}); pass --thanos-zone and --prometheus-zone`, 1);
        }
        const options: PlanOptions = {
            ...DEFAULT_PLAN_OPTIONS,
            thanosZone,
            prometheusZone,
            installationsZone: args.installationsZone,
            grpcPort: args.grpcPort ?? DEFAULT_PLAN_OPTIONS.grpcPort,
        };
        const plan = planTargets({ thanos: records, prometheus: records, installations: records }, options);
        // Skips of records outside a role's zone are expected in a multi-zone dump: not reported.
        for (const s of plan.skipped.filter((s) => !s.reason.startsWith("not in zone"))) io.stderr(printable(`skipped ${s.name || "(no name)"} ${s.type} [${s.role}]: ${s.reason}`) + "\n");
        const output = {
            thanosEndpoints: renderFile("thanos", fileEntries(plan.thanos)),
            prometheusTargets: fileSdGroups(plan.prometheus),
            probes: fileSdGroups(plan.probes),
            leafQueryTargets: fileSdGroups(plan.queries),
        };
        io.stdout(JSON.stringify(output, null, 2) + "\n");
        return 0;
    } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        io.stderr(`${printable(`dns-registrar: ${msg.split("\n")[0]}`)}\n`);
        return err instanceof CliError ? err.exitCode : 1;
    }
}

if (require.main === module) {
    process.exitCode = runCli(process.argv.slice(2));
}
