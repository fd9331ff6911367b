// EventBridge rule schedule expressions: `rate(<n> <unit>)` and the six-field `cron(...)` of
// "Schedule expressions for rules" (Amazon EventBridge User Guide). EventBridge only answers
// "Parameter ScheduleExpression is not valid" at deployment time; this says which field is wrong
// at preview time. The npm cron parsers implement Unix or Quartz cron, not EventBridge's six fields
// with its own day-of-month/day-of-week rule, so the grammar is spelled out here.

/** Rate units and their singular/plural forms: `rate(1 minute)`, `rate(5 minutes)`. */
const RATE_RE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_RE = /^cron\((.*)\)$/;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
    name: string;
    min: number;
    max: number;
    /** Names that stand for numbers (JAN = 1, SUN = 1). */
    names?: string[];
}

const FIELDS: Field[] = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, names: DAYS },
    { name: "year", min: 1970, max: 2199 },
];

/** The number a value stands for, or undefined. */
function valueOf(text: string, f: Field): number | undefined {
    if (/^\d+$/.test(text)) return Number(text);
    const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
    return i >= 0 ? i + 1 : undefined;
}

/** Why one comma-separated item of a field is invalid, or undefined. */
function itemProblem(item: string, f: Field): string | undefined {
    const inRange = (text: string): string | undefined => {
        const v = valueOf(text, f);
        if (v === undefined) return `${JSON.stringify(text)} is not a value of the ${f.name} field`;
        if (v < f.min || v > f.max) return `${text} is outside ${f.min}-${f.max} in the ${f.name} field`;
        return undefined;
    };
    // Special forms of the two day fields.
    if (f.name === "day-of-month" && /^(L|LW)$/.test(item)) return undefined;
    if (f.name === "day-of-month" && /^\d+W$/.test(item)) return inRange(item.slice(0, -1));
    if (f.name === "day-of-week" && item === "L") return undefined;
    if (f.name === "day-of-week" && /^\w+L$/.test(item)) return inRange(item.slice(0, -1));
    if (f.name === "day-of-week" && item.includes("#")) {
        const [day, nth] = item.split("#");
        if (!/^[1-5]$/.test(nth ?? "")) return `${item}: the week after # must be 1-5 in the day-of-week field`;
        return inRange(day);
    }
    const [base, step, extra] = item.split("/");
    if (extra !== undefined) return `${item} has more than one / in the ${f.name} field`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${item}: the increment after / must be a positive whole number in the ${f.name} field`;
    if (base === "*") return undefined;
    const [from, to, more] = base.split("-");
    if (more !== undefined) return `${item} is not a range in the ${f.name} field`;
    const problem = inRange(from) ?? (to !== undefined ? inRange(to) : undefined);
    if (problem) return problem;
    if (to !== undefined && valueOf(from, f)! > valueOf(to, f)!) return `${base} runs backwards in the ${f.name} field`;
    return undefined;
}

/**
 * Why `expression` is not an EventBridge rule schedule, or undefined when it is one. Rates are
 * whole numbers of at least 1 with the unit in the singular for 1 and the plural otherwise; cron
 * has six fields (minutes hours day-of-month month day-of-week year), and exactly one of
 * day-of-month and day-of-week is `?`.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
    const rate = RATE_RE.exec(expression);
    if (rate) {
        const n = Number(rate[1]);
        if (n < 1 || !/^[1-9]\d*$/.test(rate[1])) return "a rate is a whole number of at least 1";
        const plural = rate[2].endsWith("s");
        if (n === 1 && plural) return `rate(1 ${rate[2]}) takes the singular: rate(1 ${rate[2].slice(0, -1)})`;
        if (n > 1 && !plural) return `rate(${n} ${rate[2]}) takes the plural: rate(${n} ${rate[2]}s)`;
        return undefined;
    }
    const cron = CRON_RE.exec(expression);
    if (!cron) return "neither rate(...) nor cron(...)";
    const fields = cron[1].split(" ");
    if (fields.length !== 6 || fields.some((x) => x === "")) return `cron takes six fields separated by single spaces (minutes hours day-of-month month day-of-week year), found ${fields.filter((x) => x !== "").length}`;
    for (const [i, f] of FIELDS.entries()) {
        const text = fields[i];
        if (text === "?") {
            if (f.name === "day-of-month" || f.name === "day-of-week") continue;
            return `? is only allowed in day-of-month and day-of-week, not in ${f.name}`;
        }
        for (const item of text.split(",")) {
            const problem = itemProblem(item, f);
            if (problem) return problem;
        }
    }
    const [dom, dow] = [fields[2], fields[4]];
    if ((dom === "?") === (dow === "?")) return "exactly one of day-of-month and day-of-week must be ? (EventBridge refuses both set, and both ?)";
    return undefined;
}

/** Seconds between runs of a `rate(...)` expression; undefined for `cron(...)` (its gaps vary). */
export function rateIntervalSeconds(expression: string): number | undefined {
    const rate = RATE_RE.exec(expression);
    if (!rate) return undefined;
    const unit = rate[2].replace(/s$/, "");
    return Number(rate[1]) * (unit === "minute" ? 60 : unit === "hour" ? 3600 : 86400);
}
