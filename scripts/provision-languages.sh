#!/usr/bin/env bash
# Provisions what the native plugin's end-to-end tests in other languages need, in the per-user cache:
#   bash scripts/provision-languages.sh python   # prints the venv's python
#   bash scripts/provision-languages.sh yaml     # prints the bin directory of pulumi-language-yaml
# Described in scripts/provision-languages.js, which this runs.
set -euo pipefail
command -v node >/dev/null 2>&1 || {
  echo "[provision-languages] error: node is not on PATH (Node.js >= 20 is required)" >&2
  exit 1
}
exec node "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/provision-languages.js" "$@"
