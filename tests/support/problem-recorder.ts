// Measurement, not a test: loaded with `mocha --require` by scripts/count-bad-configs.sh. Wraps the
// three entry points every config and args check goes through (parseStackConfig, parseArgs,
// argsProblems) and appends each rejected input's problems, rendered as operators see them, to
// the file named by CNC_PROBLEM_LOG (one JSON line per rejection). Without that variable it does
// nothing.
import * as fs from "fs";

const log = process.env.CNC_PROBLEM_LOG;
if (log) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const errors = require("../../components/common/errors") as typeof import("../../components/common/errors");
    const record = (entry: string, problems: unknown) => {
        if (!Array.isArray(problems) || problems.length === 0) return;
        const rendered = problems.map((p) => errors.renderProblem(p));
        fs.appendFileSync(log, JSON.stringify({ entry, problems: rendered, structured: problems.map((p) => ({ field: p.field, expected: p.expected })) }) + "\n");
    };
    const wrap = (mod: Record<string, unknown>, name: string, onResult: boolean) => {
        const original = mod[name] as (...a: unknown[]) => unknown;
        mod[name] = (...a: unknown[]) => {
            try {
                const out = original(...a);
                if (onResult) record(name, out);
                return out;
            } catch (e) {
                if (e && typeof e === "object" && Array.isArray((e as { problems?: unknown }).problems)) record(name, (e as { problems: unknown[] }).problems);
                throw e;
            }
        };
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = require("../../components/common/schema") as Record<string, unknown>;
    wrap(schema, "parseArgs", false);
    wrap(schema, "argsProblems", true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require("../../stacks/config") as Record<string, unknown>;
    wrap(config, "parseStackConfig", false);
}
