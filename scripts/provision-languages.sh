#!/usr/bin/env bash
# Provision what programs in other languages need to drive the native plugin (pulumi-resource-immuta) in the
# end-to-end tests, cached in .tools/ (git-ignored) like the Pulumi CLI. Progress goes to stderr; the LAST line of
# stdout is what the caller needs:
#
#   scripts/provision-languages.sh python   # a venv with Pulumi's Python SDK at the pinned version and the generated
#                                           # SDK (sdk/generated/python) installed; prints the venv's python
#   scripts/provision-languages.sh yaml     # Pulumi's YAML language host, built from its Go module; prints its bin dir
#
# python: needs python3 >= 3.9 with the venv module; pip installs `pulumi==<pinned>` (devDependencies["@pulumi/pulumi"]
#   in package.json) and parver (a dependency of the generated SDK) from PyPI once, then reinstalls the generated SDK
#   only when sdk/generated/python changes. Programs run as Automation API inline programs, so no Python language host is needed.
# yaml: needs Go >= 1.25; `go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v1.25.0` (about 1.5 minutes
#   with a warm module cache), rebuilt only when that version changes. It builds on its own module graph (it does not
#   compile inside tools/pulumi-cli, whose pkg/v3 is newer) and runs YAML programs with the pinned CLI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
YAML_HOST_VERSION="v1.25.0"

progress() { printf '[provision-languages] %s\n' "$*" >&2; }
die() {
  printf '[provision-languages] error: %s\n' "$*" >&2
  exit 1
}
hash_tree() { (cd "$1" && find . -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1; }
replace_file() { cat >"$1.tmp" && mv -f "$1.tmp" "$1"; }

VERSION="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$ROOT/package.json")"
VERSION="${VERSION#[~^=v]}"

# Serialize concurrent runs (test files in parallel workers) per tool.
lock() {
  mkdir -p "$ROOT/.tools"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$ROOT/.tools/.$1.lock"
    flock 9
  fi
}

provision_python() {
  command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH (Python >= 3.9 with the venv module is needed)"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "python3 is $(python3 --version 2>&1); Pulumi's Python SDK needs Python >= 3.9"
  lock python
  local venv="$ROOT/.tools/python-pulumi-$VERSION" stamp sdk_stamp python
  python="$venv/bin/python"
  stamp="pulumi==$VERSION parver python=$(python3 --version 2>&1)"
  if [[ -x "$python" && "$(cat "$venv/.stamp" 2>/dev/null)" == "$stamp" ]]; then
    progress "Python venv with pulumi==$VERSION is up to date ($venv)"
  else
    progress "creating a Python venv with pulumi==$VERSION in $venv (pip, from PyPI) ..."
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$python" -m pip install --quiet --disable-pip-version-check "pulumi==$VERSION" parver setuptools wheel >&2 ||
      die "pip install pulumi==$VERSION failed"
    echo "$stamp" | replace_file "$venv/.stamp"
  fi
  sdk_stamp="$(hash_tree "$ROOT/sdk/generated/python")"
  if [[ "$(cat "$venv/.sdk-stamp" 2>/dev/null)" != "$sdk_stamp" ]]; then
    progress "installing the generated Python SDK (sdk/generated/python) into the venv ..."
    # From a copy: building in place would leave build/ and *.egg-info in the checkout.
    local copy
    copy="$(mktemp -d)"
    cp -r "$ROOT/sdk/generated/python/." "$copy/"
    "$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
      --force-reinstall "$copy" >&2 || die "pip install of sdk/generated/python failed"
    rm -rf "$copy"
    echo "$sdk_stamp" | replace_file "$venv/.sdk-stamp"
  fi
  echo "$python"
}

provision_yaml() {
  command -v go >/dev/null 2>&1 || die "Go is not installed; building Pulumi's YAML language host needs Go >= 1.25"
  lock yaml
  local bin="$ROOT/.tools/pulumi-language-yaml-$YAML_HOST_VERSION/bin" start=$SECONDS
  if [[ -x "$bin/pulumi-language-yaml" && "$(cat "$bin/.stamp" 2>/dev/null)" == "$YAML_HOST_VERSION" ]]; then
    progress "pulumi-language-yaml $YAML_HOST_VERSION is up to date ($bin)"
  else
    progress "building pulumi-language-yaml $YAML_HOST_VERSION from its Go module (about 1.5 minutes warm) ..."
    mkdir -p "$bin"
    # GOFLAGS as the caller has them, minus -mod=...: `go install pkg@version` refuses it.
    GOFLAGS="$(go env GOFLAGS | sed -E 's/(^| )-mod=[^ ]*//g')" GOBIN="$bin" \
      go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_HOST_VERSION" >&2 ||
      die "go install of pulumi-language-yaml $YAML_HOST_VERSION failed"
    echo "$YAML_HOST_VERSION" | replace_file "$bin/.stamp"
    progress "built pulumi-language-yaml in $((SECONDS - start))s"
  fi
  echo "$bin"
}

case "${1:-}" in
python) provision_python ;;
yaml) provision_yaml ;;
*) die "usage: scripts/provision-languages.sh python|yaml" ;;
esac
