// Renders the generated blocks of README.md from the code (`npm run docs`):
//   <!-- profiles:begin --> ... <!-- profiles:end -->  the defaults per sizing profile.
// tests/unit/docs.test.ts fails when README.md and the code disagree.
import * as fs from "fs";
import * as path from "path";
import { profileTable } from "../stacks/config/profiles";

const README = path.resolve(__dirname, "../README.md");

/** README text with the block between the markers replaced by `body`. */
export function withBlock(text: string, name: string, body: string): string {
    const begin = `<!-- ${name}:begin -->`;
    const end = `<!-- ${name}:end -->`;
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md has no ${begin} ... ${end} block`);
    return `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`;
}

export function renderReadme(text: string): string {
    return withBlock(text, "profiles", profileTable());
}

if (require.main === module) {
    const before = fs.readFileSync(README, "utf8");
    const after = renderReadme(before);
    if (after !== before) fs.writeFileSync(README, after);
    console.log(after === before ? "README.md is up to date" : "README.md updated");
}
