#!/usr/bin/env bash
# Finds or builds the Pulumi CLI this project runs: `bash scripts/provision-pulumi.sh [--release <version>]`.
# The last line of stdout is the directory holding `pulumi`, `pulumi-language-nodejs` and
# `pulumi-resource-pulumi-nodejs`; the lines before it describe the set (KEY=value). The rule (any CLI at or above
# the SDK floor, else this project's build in the per-user cache) and the knobs are described in
# scripts/provision-pulumi.js, which this runs.
set -euo pipefail
command -v node >/dev/null 2>&1 || {
  echo "[provision-pulumi] error: node is not on PATH (Node.js >= 20 is required)" >&2
  exit 1
}
exec node "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/provision-pulumi.js" "$@"
