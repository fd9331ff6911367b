#!/usr/bin/env bash
# Installs the Debian packages the real-tool test suites need, and nothing else:
#   prometheus               -> prometheus, promtool   (tests/integration/federation-e2e.test.ts,
#                                                       tests/integration/federation-promtool.test.ts)
#   prometheus-alertmanager  -> amtool (+ the server as /usr/bin/prometheus-alertmanager)
#                                                      (tests/integration/amtool*.test.ts)
#
# Idempotent: does nothing when the binaries are already on PATH. As root it runs
# `apt-get update` once and `apt-get install -y` for what is missing. Not root and something
# missing: it prints which suites cannot run and exits 0, so the caller decides (the
# integration suites themselves fail with a clear message when a binary is absent).
#
# Package services are never started: Debian's postinst scripts would start prometheus on
# :9090 and alertmanager on :9093. When the machine has no /usr/sbin/policy-rc.d we install a
# temporary one that forbids service starts (exit 101, see invoke-rc.d(8)) and remove it after.
set -euo pipefail

declare -A PACKAGE_OF=(
    [prometheus]=prometheus
    [promtool]=prometheus
    [amtool]=prometheus-alertmanager
)
declare -A SUITES_OF=(
    [prometheus]="tests/integration/federation-e2e.test.ts (loopback federation end to end)"
    [promtool]="tests/integration/federation-promtool.test.ts (promtool check config, check rules, test rules)"
    [amtool]="the amtool check-config suites of the alerting component"
)

missing_binaries=()
for bin in prometheus promtool amtool; do
    command -v "$bin" >/dev/null 2>&1 || missing_binaries+=("$bin")
done

if [ "${#missing_binaries[@]}" -eq 0 ]; then
    echo "setup-debian: prometheus, promtool and amtool already installed"
    exit 0
fi

packages=()
for bin in "${missing_binaries[@]}"; do
    pkg="${PACKAGE_OF[$bin]}"
    [[ " ${packages[*]-} " == *" $pkg "* ]] || packages+=("$pkg")
done

if [ "${EUID}" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-debian: cannot install ${packages[*]} (needs root on Debian/Ubuntu with apt-get)." >&2
    for bin in "${missing_binaries[@]}"; do
        echo "setup-debian:   missing '$bin' (Debian package ${PACKAGE_OF[$bin]}): cannot run ${SUITES_OF[$bin]}" >&2
    done
    echo "setup-debian: install them with: sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 0
fi

temporary_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    temporary_policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# temporary: installed by cloud-cnc scripts/setup-debian.sh\nexit 101\n' >"$temporary_policy"
    chmod 0755 "$temporary_policy"
    trap 'rm -f "$temporary_policy"' EXIT
fi

echo "setup-debian: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

for bin in "${missing_binaries[@]}"; do
    if ! command -v "$bin" >/dev/null 2>&1; then
        echo "setup-debian: '$bin' still missing after installing ${PACKAGE_OF[$bin]}" >&2
        exit 1
    fi
done
echo "setup-debian: $(prometheus --version 2>&1 | head -1)"
echo "setup-debian: $(amtool --version 2>&1 | head -1)"
