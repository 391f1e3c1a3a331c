#!/usr/bin/env bash
# Provision the Pulumi CLI for this project, offline-friendly and idempotent.
#
# Prints the directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` as the
# LAST line of stdout; all progress goes to stderr. Usage:
#
#   BIN="$(scripts/provision-pulumi.sh | tail -n1)"
#
# The version is pinned to devDependencies["@pulumi/pulumi"] in package.json (CLI and SDK must match).
# 1. If `pulumi` on PATH reports that version and a `pulumi-language-nodejs` sits next to it or on PATH, use it.
# 2. Otherwise build both from Go modules (tools/pulumi-cli, a wrapper module) into
#    .tools/pulumi-<version>/bin (git-ignored). Each binary is rebuilt only when the version, the wrapper's
#    go.mod/go.sum or (for the language host) its source change; a stamp file next to it records that.
#    A cold build of the CLI takes several minutes; a warm machine reuses GOMODCACHE and the Go build cache.
# Environment knobs:
#   PULUMI_PROVISION_IGNORE_PATH=1   skip step 1 (always use the project-local build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRAPPER="$ROOT/tools/pulumi-cli"
CLI_PKG="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
VERSION_VAR="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

log() { printf '[provision-pulumi] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- pinned version ---------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js >= 20 is required)"
VERSION="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$ROOT/package.json")"
VERSION="${VERSION#[~^=v]}"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "devDependencies[\"@pulumi/pulumi\"] in package.json must be an exact version, got '$VERSION'"
log "pinned Pulumi version: $VERSION"

# The dynamic provider launcher ships inside the @pulumi/pulumi npm package.
LAUNCHER_SRC="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

# --- 1. a suitable CLI already on PATH ----------------------------------------------------------------------
BIN="$ROOT/.tools/pulumi-$VERSION/bin"
if [[ "${PULUMI_PROVISION_IGNORE_PATH:-}" != 1 ]] && command -v pulumi >/dev/null 2>&1; then
  found="$(command -v pulumi)"
  found_dir="$(cd "$(dirname "$found")" && pwd)"
  # Our own build dir may be on PATH (scripts/pulumi-env.sh): check it through step 2 so the cache stays valid.
  if [[ "$found_dir" != "$BIN" ]] && [[ "$(pulumi version 2>/dev/null || true)" == "v$VERSION" ]]; then
    if [[ -x "$found_dir/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
      if [[ -x "$found_dir/pulumi-resource-pulumi-nodejs" ]] || command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
        log "using $found (v$VERSION) from PATH"
        echo "$found_dir"
        exit 0
      fi
      log "found $found (v$VERSION) on PATH but no pulumi-resource-pulumi-nodejs; building the project-local CLI"
    fi
  fi
fi

# --- 2. project-local build -----------------------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
[provision-pulumi] Pulumi CLI v$VERSION was not found on PATH, and Go is not installed to build it.
Either:
  * install the Pulumi CLI the usual way (https://www.pulumi.com/docs/install/), pinned to this version:
      curl -fsSL https://get.pulumi.com | sh -s -- --version $VERSION
    and make sure \`pulumi version\` prints v$VERSION; or
  * install Go >= 1.25 (https://go.dev/doc/install) and re-run this script: it builds \`pulumi\` and
    \`pulumi-language-nodejs\` from tools/pulumi-cli into .tools/pulumi-$VERSION/bin (several minutes once).
EOF
  exit 1
fi
[[ -f "$LAUNCHER_SRC" ]] || die "$LAUNCHER_SRC is missing: run \`npm ci\` first"

mkdir -p "$BIN"
# Serialize concurrent runs (e.g. parallel test workers) so they do not build into the same files.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$BIN/../.lock"
  flock 9
fi

hash_files() { cat "$@" | sha256sum | cut -d' ' -f1; }
MOD_HASH="$(hash_files "$WRAPPER/go.mod" "$WRAPPER/go.sum")"
CLI_STAMP="version=$VERSION mod=$MOD_HASH"
HOST_SOURCES=()
for f in "$WRAPPER"/language-nodejs/*.go; do [[ "$f" == *_test.go ]] || HOST_SOURCES+=("$f"); done
HOST_STAMP="$CLI_STAMP src=$(hash_files "${HOST_SOURCES[@]}")"

# Keep the caller's GOFLAGS (e.g. -buildvcs=false) and let go fill in go.sum entries if needed.
GOFLAGS_BUILD="$(go env GOFLAGS)"
[[ "$GOFLAGS_BUILD" == *-mod=* ]] || GOFLAGS_BUILD="${GOFLAGS_BUILD:+$GOFLAGS_BUILD }-mod=mod"

# go_build <output> <package>: build with the version stamped, printing a heartbeat while it runs.
go_build() {
  local out="$1" pkg="$2" start=$SECONDS pid
  (cd "$WRAPPER" && GOFLAGS="$GOFLAGS_BUILD" exec go build -ldflags "-X $VERSION_VAR=v$VERSION" -o "$out.tmp" "$pkg") &
  pid=$!
  local next=$((start + 30))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS >= next)); then
      log "  ... still building $(basename "$out") ($((SECONDS - start))s)"
      next=$((next + 30))
    fi
  done
  wait "$pid" || { rm -f "$out.tmp"; die "go build of $pkg failed"; }
  mv -f "$out.tmp" "$out"
  log "  built $(basename "$out") in $((SECONDS - start))s"
}

up_to_date() { [[ -x "$BIN/$1" && -f "$BIN/.$1.stamp" && "$(cat "$BIN/.$1.stamp")" == "$2" ]]; }

if up_to_date pulumi "$CLI_STAMP"; then
  log "pulumi v$VERSION is up to date in $BIN"
elif [[ -x "$ROOT/.tools/bin/pulumi" && "$("$ROOT/.tools/bin/pulumi" version 2>/dev/null || true)" == "v$VERSION" ]]; then
  # An earlier unversioned build (.tools/bin) of the same version: adopt it instead of relinking 150 MB.
  log "reusing $ROOT/.tools/bin/pulumi (v$VERSION)"
  cp -f "$ROOT/.tools/bin/pulumi" "$BIN/pulumi.tmp" && mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"
  echo "$CLI_STAMP" >"$BIN/.pulumi.stamp"
else
  log "building pulumi v$VERSION with $(go version | cut -d' ' -f3) (a cold build takes several minutes) ..."
  go_build "$BIN/pulumi" "$CLI_PKG"
  echo "$CLI_STAMP" >"$BIN/.pulumi.stamp"
fi

if up_to_date pulumi-language-nodejs "$HOST_STAMP"; then
  log "pulumi-language-nodejs is up to date"
else
  log "building pulumi-language-nodejs (tools/pulumi-cli/language-nodejs) ..."
  go_build "$BIN/pulumi-language-nodejs" ./language-nodejs
  echo "$HOST_STAMP" >"$BIN/.pulumi-language-nodejs.stamp"
fi

# Copy (not link) the launcher so a later `npm ci` that removes node_modules cannot break the bin dir.
if ! cmp -s "$LAUNCHER_SRC" "$BIN/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
  cp -f "$LAUNCHER_SRC" "$BIN/pulumi-resource-pulumi-nodejs"
  log "installed pulumi-resource-pulumi-nodejs from @pulumi/pulumi"
fi
chmod +x "$BIN/pulumi-resource-pulumi-nodejs"

got="$("$BIN/pulumi" version 2>/dev/null || true)"
[[ "$got" == "v$VERSION" ]] || die "$BIN/pulumi reports '$got', expected v$VERSION"
log "ready: $BIN (pulumi $got)"
echo "$BIN"
