// EventBridge rule schedule expressions (components/common/schedule.ts): the examples of the
// EventBridge User Guide ("Schedule expressions for rules") pass; each way of missing the grammar
// is refused with the field that is wrong.
import { strict as assert } from "assert";
import fc from "fast-check";
import { scheduleExpressionProblem } from "../../components/common/schedule";

describe("common/schedule: EventBridge schedule expressions", () => {
    it("accepts the documented rate and cron forms", () => {
        const valid = [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(1 day)",
            "rate(7 days)",
            "cron(0 10 * * ? *)",
            "cron(15 12 * * ? *)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(0 0 L * ? *)",
            "cron(0 0 ? * 6L *)",
            "cron(0 0 15W * ? *)",
            "cron(0 12 ? JAN,JUL SUN 2027-2030)",
            "cron(0/5 * * * ? *)",
        ];
        for (const e of valid) assert.equal(scheduleExpressionProblem(e), undefined, e);
    });

    it("refuses each malformed expression with what is wrong", () => {
        const invalid: Array<[string, RegExp]> = [
            ["every 5 minutes", /neither rate/],
            ["rate(0 minutes)", /at least 1/],
            ["rate(05 minutes)", /at least 1/],
            ["rate(1 minutes)", /singular: rate\(1 minute\)/],
            ["rate(5 minute)", /plural: rate\(5 minutes\)/],
            ["rate(5 weeks)", /neither rate/],
            ["cron(* * * * ?)", /six fields .* found 5/],
            ["cron(0  10 * * ? *)", /six fields/],
            ["cron(61 * * * ? *)", /61 is outside 0-59 in the minutes field/],
            ["cron(0 24 * * ? *)", /24 is outside 0-23 in the hours field/],
            ["cron(0 0 32 * ? *)", /32 is outside 1-31 in the day-of-month field/],
            ["cron(0 0 ? 13 * *)", /13 is outside 1-12 in the month field/],
            ["cron(0 0 ? * 8 *)", /8 is outside 1-7 in the day-of-week field/],
            ["cron(0 0 ? * MON#6 *)", /week after # must be 1-5/],
            ["cron(0 0 * * ? 1969)", /1969 is outside 1970-2199 in the year field/],
            ["cron(0/0 * * * ? *)", /increment after \/ must be a positive whole number/],
            ["cron(5-1 * * * ? *)", /runs backwards in the minutes field/],
            ["cron(0 ? * * * *)", /\? is only allowed in day-of-month and day-of-week, not in hours/],
            ["cron(0 0 * * * *)", /exactly one of day-of-month and day-of-week must be \?/],
            ["cron(0 0 ? * ? *)", /exactly one of day-of-month and day-of-week must be \?/],
            ["cron(0 0 ? FOO * *)", /"FOO" is not a value of the month field/],
        ];
        for (const [e, reason] of invalid) assert.match(scheduleExpressionProblem(e) ?? "accepted", reason, e);
    });

    it("accepts every rate(n unit) with the right number, and no other (property)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom("minute", "hour", "day"), (n, unit) => {
                assert.equal(scheduleExpressionProblem(`rate(${n} ${n === 1 ? unit : `${unit}s`})`), undefined);
                assert.notEqual(scheduleExpressionProblem(`rate(${n} ${n === 1 ? `${unit}s` : unit})`), undefined);
            }),
        );
    });
});
