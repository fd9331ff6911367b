#!/usr/bin/env node
// Prints the programs scripts/setup-binaries.sh builds, from versions.ts (`binaries`): one
// tab-separated line per tool (tool, module, module version, image tag, packages, build tags,
// binaries). With `--paths <cache>`: a JSON map of binary name -> absolute path in that cache.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "../tsconfig.json") });
const path = require("path");
const { versions } = require(path.join(__dirname, "../components/common/versions.ts"));

const tools = versions.binaries;
const args = process.argv.slice(2);
if (args[0] === "--paths") {
    const cache = args[1];
    const paths = {};
    for (const [tool, b] of Object.entries(tools)) {
        for (const bin of b.binaries) paths[bin] = path.join(cache, `${tool}-${b.imageTag}`, bin);
    }
    process.stdout.write(JSON.stringify(paths, null, 2) + "\n");
} else {
    for (const [tool, b] of Object.entries(tools)) {
        process.stdout.write([tool, b.module, b.moduleVersion, b.imageTag, b.packages.join(" "), b.buildTags.join(","), b.binaries.join(" ")].join("\t") + "\n");
    }
}
