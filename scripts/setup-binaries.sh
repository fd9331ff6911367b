#!/usr/bin/env bash
# Builds the real programs the test suites run, at exactly the versions the stacks deploy, from
# their Go module sources (the Go module proxy); never downloads a prebuilt binary.
#
#   thanos              github.com/thanos-io/thanos          ./cmd/thanos
#   prometheus, promtool github.com/prometheus/prometheus    ./cmd/prometheus ./cmd/promtool
#   amtool              github.com/prometheus/alertmanager   ./cmd/amtool
#   alertmanager        github.com/prometheus/alertmanager   ./cmd/alertmanager (see below)
#   blackbox_exporter   github.com/prometheus/blackbox_exporter        . (main at the module root)
#   json_exporter       github.com/prometheus-community/json_exporter  . (main at the module root)
#
# The versions come from components/common/versions.ts (`binaries`: module, module version and
# the image tag it corresponds to), printed by scripts/binaries-manifest.js. Each tool is built
# into $CLOUD_CNC_BIN_CACHE/<tool>-<image tag>/ (default ~/.cache/cloud-cnc/bin), with the build
# flags of the upstream release (.promu.yml: build tags and version ldflags). A directory with a
# `.built` stamp is reused: a second run takes seconds. One line per binary; any failed build
# stops the script with the go command's output.
#
# Alertmanager's module source leaves out its compiled web UI (ui/app/dist is built with npm in
# upstream's release); the server is built against an empty UI directory. The tests use its API
# and config handling only, never the UI.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${CLOUD_CNC_BIN_CACHE:-$HOME/.cache/cloud-cnc/bin}"
mkdir -p "$CACHE"
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

if ! command -v go >/dev/null 2>&1; then
    echo "setup-binaries: the go command is missing (install Go 1.26 or newer)" >&2
    exit 1
fi

manifest="$(node scripts/binaries-manifest.js)"

build_one() {
    local tool="$1" module="$2" modversion="$3" tag="$4" pkgs="$5" buildtags="$6" binaries="$7"
    local dir="$CACHE/$tool-$tag"
    if [ -f "$dir/.built" ]; then
        local ok=1
        for b in $binaries; do [ -x "$dir/$b" ] || ok=0; done
        if [ "$ok" = 1 ]; then
            echo "setup-binaries: $tool $tag cached ($dir)"
            return 0
        fi
    fi
    local started src work
    started=$(date +%s)
    src="$(go mod download -json "$module@$modversion" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})')"
    # The module cache is read-only: build from a private copy (go may write go.sum entries).
    work="$(mktemp -d)"
    cp -r "$src/." "$work/"
    chmod -R u+w "$work"
    if [ "$tool" = alertmanager ]; then
        mkdir -p "$work/ui/app/dist/elm" "$work/ui/app/dist/mantine"
        printf '<!-- web UI not built: cloud-cnc test binary -->\n' >"$work/ui/app/dist/elm/index.html"
        cp "$work/ui/app/dist/elm/index.html" "$work/ui/app/dist/mantine/index.html"
    fi
    local version="${tag#v}"
    local ldflags="-X github.com/prometheus/common/version.Version=$version -X github.com/prometheus/common/version.Revision=module-$modversion -X github.com/prometheus/common/version.Branch=HEAD -X github.com/prometheus/common/version.BuildUser=cloud-cnc -X github.com/prometheus/common/version.BuildDate=source"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    local log="$dir.build.log"
    # shellcheck disable=SC2086
    if ! (cd "$work" && go build -tags "$buildtags" -ldflags "$ldflags" -o "$dir.tmp/" $pkgs) >"$log" 2>&1; then
        echo "setup-binaries: FAILED to build $tool $tag from $module@$modversion (go build $pkgs):" >&2
        cat "$log" >&2
        rm -rf "$work" "$dir.tmp"
        exit 1
    fi
    rm -rf "$work" "$dir"
    mv "$dir.tmp" "$dir"
    printf 'module=%s@%s tag=%s built=%s go=%s\n' "$module" "$modversion" "$tag" "$(date -u +%FT%TZ)" "$(go env GOVERSION)" >"$dir/.built"
    echo "setup-binaries: $tool $tag built in $(( $(date +%s) - started ))s from $module@$modversion ($dir)"
}

while IFS=$'\t' read -r tool module modversion tag pkgs buildtags binaries; do
    [ -n "$tool" ] || continue
    build_one "$tool" "$module" "$modversion" "$tag" "$pkgs" "$buildtags" "$binaries"
done <<<"$manifest"

# The path file the test suites read (tests/support/binaries.ts).
node scripts/binaries-manifest.js --paths "$CACHE" >"$CACHE/paths.json"
echo "setup-binaries: binary paths in $CACHE/paths.json"
