#!/usr/bin/env bash
# Provision the Pulumi CLI for this project, offline-friendly and idempotent.
#
# Prints the directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` as the
# LAST line of stdout; all progress goes to stderr. Usage:
#
#   BIN="$(scripts/provision-pulumi.sh | tail -n1)"
#
# Before that line, stdout describes the set found, one KEY=value per line (for tests/e2e/support/pulumi-cli.ts):
#   PULUMI_CLI=<path of pulumi>                      PULUMI_CLI_VERSION=<x.y.z>
#   PULUMI_LANGUAGE_HOST=<path of the host>          PULUMI_LANGUAGE_HOST_VERSION=<x.y.z>
#   PULUMI_LANGUAGE_HOST_KIND=pulumi-immuta-minimal  (this project's minimal host, tools/pulumi-cli/language-nodejs)
#                           or official              (any host without its `-identify` flag: Pulumi's own)
#
# The version is pinned to devDependencies["@pulumi/pulumi"] in package.json (CLI and SDK must match). In order:
# 0. PULUMI_CLI_DIR=<dir>: use the three executables in <dir> (e.g. an official Pulumi release) and NEVER build.
#    A missing executable, a version other than the pinned one, or a CLI and language host reporting different
#    versions is an error. When <dir> is not named `bin` (the Automation API wants <root>/bin/pulumi), it is
#    exposed through symbolic links in .tools/cli-dir/bin. See docs/official-cli.md.
# 1. If `pulumi` on PATH reports that version and the two others sit next to it, use that directory.
# 2. Otherwise build `pulumi` and this project's language host from Go modules (tools/pulumi-cli, a wrapper
#    module) into .tools/pulumi-<version>/bin (git-ignored). Each binary is rebuilt only when the version, the
#    wrapper's go.mod/go.sum or (for the language host) its source change; a stamp file next to it records that.
#    A cold build of the CLI takes several minutes; a warm machine reuses GOMODCACHE and the Go build cache.
# Environment knobs:
#   PULUMI_CLI_DIR=<dir>             step 0
#   PULUMI_PROVISION_IGNORE_PATH=1   skip step 1 (always use the project-local build)
#   PULUMI_PROVISION_QUIET=1         print only errors and build progress on stderr
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WRAPPER="$ROOT/tools/pulumi-cli"
CLI_PKG="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
VERSION_VAR="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
EXECUTABLES=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs)
OUR_HOST_KIND="pulumi-immuta-minimal" # what `pulumi-language-nodejs -identify` prints first (identity.go)

log() { [[ "${PULUMI_PROVISION_QUIET:-}" == 1 ]] || printf '[provision-pulumi] %s\n' "$*" >&2; }
progress() { printf '[provision-pulumi] %s\n' "$*" >&2; }
die() {
  printf '[provision-pulumi] error: %s\n' "$*" >&2
  exit 1
}

# --- pinned version ---------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js >= 20 is required)"
VERSION="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$ROOT/package.json")"
VERSION="${VERSION#[~^=v]}"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "devDependencies[\"@pulumi/pulumi\"] in package.json must be an exact version, got '$VERSION'"
log "pinned Pulumi version: $VERSION"

# --- what a directory holds ------------------------------------------------------------------------------------
# inspect <dir>: sets CLI_VERSION, HOST_VERSION (without a leading v) and HOST_KIND, or explains what is wrong in
# PROBLEM (and returns 1).
inspect() {
  local dir="$1" name identity
  PROBLEM=""
  for name in "${EXECUTABLES[@]}"; do
    if [[ ! -e "$dir/$name" ]]; then
      PROBLEM="$dir has no $name (found: $(cd "$dir" && ls -m 2>/dev/null | head -c 300))"
      return 1
    fi
    [[ -x "$dir/$name" ]] || {
      PROBLEM="$dir/$name is not executable"
      return 1
    }
  done
  CLI_VERSION="$("$dir/pulumi" version 2>/dev/null || true)"
  CLI_VERSION="${CLI_VERSION#v}"
  HOST_VERSION="$("$dir/pulumi-language-nodejs" -version 2>/dev/null || true)"
  HOST_VERSION="${HOST_VERSION#v}"
  # The official host has no -identify flag: it exits non-zero ("flag provided but not defined").
  identity="$("$dir/pulumi-language-nodejs" -identify 2>/dev/null || true)"
  if [[ "${identity%% *}" == "$OUR_HOST_KIND" ]]; then HOST_KIND="$OUR_HOST_KIND"; else HOST_KIND=official; fi
  if [[ "$CLI_VERSION" != "$HOST_VERSION" ]]; then
    PROBLEM="$dir holds a mixed set: pulumi reports '${CLI_VERSION}' but pulumi-language-nodejs ($HOST_KIND) reports '${HOST_VERSION}'; the CLI and its language host must come from the same release"
    return 1
  fi
  if [[ "$CLI_VERSION" != "$VERSION" ]]; then
    PROBLEM="$dir/pulumi reports '${CLI_VERSION}', but this project pins $VERSION (devDependencies[\"@pulumi/pulumi\"] in package.json); the CLI and the SDK must match"
    return 1
  fi
}

# finish <dir holding the executables> <dir to print>: describe the set on stdout and print its directory last.
finish() {
  local dir="$1" bin="$2" note
  if [[ "$HOST_KIND" == "$OUR_HOST_KIND" ]]; then
    note="this project's minimal host (no policy packs, no code generation, npm only; see docs/official-cli.md)"
  else
    note="not this project's host (the official one)"
  fi
  log "CLI: $dir/pulumi v$CLI_VERSION"
  log "language host: $dir/pulumi-language-nodejs v$HOST_VERSION, $note"
  printf 'PULUMI_CLI=%s\nPULUMI_CLI_VERSION=%s\n' "$dir/pulumi" "$CLI_VERSION"
  printf 'PULUMI_LANGUAGE_HOST=%s\nPULUMI_LANGUAGE_HOST_VERSION=%s\n' "$dir/pulumi-language-nodejs" "$HOST_VERSION"
  printf 'PULUMI_LANGUAGE_HOST_KIND=%s\n' "$HOST_KIND"
  echo "$bin"
}

# --- 0. an explicit directory ---------------------------------------------------------------------------------
if [[ -n "${PULUMI_CLI_DIR:-}" ]]; then
  [[ -d "$PULUMI_CLI_DIR" ]] || die "PULUMI_CLI_DIR=$PULUMI_CLI_DIR is not a directory"
  dir="$(cd "$PULUMI_CLI_DIR" && pwd -P)"
  inspect "$dir" || die "PULUMI_CLI_DIR: $PROBLEM"
  bin="$dir"
  if [[ "$(basename "$dir")" != bin ]]; then
    # The Automation API runs <root>/bin/pulumi: expose the set as a `bin` directory of links. The engine
    # resolves the links, so it finds the same language host next to `pulumi` and on PATH (no warning).
    bin="$ROOT/.tools/cli-dir/bin"
    mkdir -p "$bin"
    for name in "${EXECUTABLES[@]}"; do ln -sfn "$dir/$name" "$bin/$name"; done
  fi
  log "using PULUMI_CLI_DIR=$dir (never built)"
  finish "$dir" "$bin"
  exit 0
fi

# --- 1. a suitable CLI already on PATH ----------------------------------------------------------------------
BIN="$ROOT/.tools/pulumi-$VERSION/bin"
if [[ "${PULUMI_PROVISION_IGNORE_PATH:-}" != 1 ]] && command -v pulumi >/dev/null 2>&1; then
  found_dir="$(cd "$(dirname "$(command -v pulumi)")" && pwd)"
  # Our own build dir may be on PATH (scripts/pulumi-env.sh): check it through step 2 so the cache stays valid.
  if [[ "$found_dir" != "$BIN" ]]; then
    if inspect "$found_dir"; then
      log "using the Pulumi CLI on PATH ($found_dir)"
      finish "$found_dir" "$found_dir"
      exit 0
    fi
    log "not using the pulumi on PATH: $PROBLEM"
  fi
fi

# --- 2. project-local build -----------------------------------------------------------------------------------
# The dynamic provider launcher ships inside the @pulumi/pulumi npm package.
LAUNCHER_SRC="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
[provision-pulumi] Pulumi CLI v$VERSION was not found on PATH, and Go is not installed to build it.
Either:
  * install the Pulumi CLI v$VERSION the usual way (https://www.pulumi.com/docs/install/) and run with
      PULUMI_CLI_DIR=<the directory holding pulumi> (see docs/official-cli.md); or
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
      progress "  ... still building $(basename "$out") ($((SECONDS - start))s)"
      next=$((next + 30))
    fi
  done
  wait "$pid" || {
    rm -f "$out.tmp"
    die "go build of $pkg failed"
  }
  mv -f "$out.tmp" "$out"
  progress "  built $(basename "$out") in $((SECONDS - start))s"
}

up_to_date() { [[ -x "$BIN/$1" && -f "$BIN/.$1.stamp" && "$(cat "$BIN/.$1.stamp")" == "$2" ]]; }
# Replace files, never rewrite them in place: .tools may be a hard-linked copy (`cp -al`) of another checkout's.
replace_file() { # replace_file <destination> (content on stdin)
  cat >"$1.tmp" && mv -f "$1.tmp" "$1"
}

if up_to_date pulumi "$CLI_STAMP"; then
  log "pulumi v$VERSION is up to date in $BIN"
elif [[ -x "$ROOT/.tools/bin/pulumi" && "$("$ROOT/.tools/bin/pulumi" version 2>/dev/null || true)" == "v$VERSION" ]]; then
  # An earlier unversioned build (.tools/bin) of the same version: adopt it instead of relinking 150 MB.
  log "reusing $ROOT/.tools/bin/pulumi (v$VERSION)"
  cp -f "$ROOT/.tools/bin/pulumi" "$BIN/pulumi.tmp" && mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"
  echo "$CLI_STAMP" | replace_file "$BIN/.pulumi.stamp"
else
  progress "building pulumi v$VERSION with $(go version | cut -d' ' -f3) (a cold build takes several minutes) ..."
  go_build "$BIN/pulumi" "$CLI_PKG"
  echo "$CLI_STAMP" | replace_file "$BIN/.pulumi.stamp"
fi

if up_to_date pulumi-language-nodejs "$HOST_STAMP"; then
  log "pulumi-language-nodejs is up to date"
else
  progress "building pulumi-language-nodejs (tools/pulumi-cli/language-nodejs) ..."
  go_build "$BIN/pulumi-language-nodejs" ./language-nodejs
  echo "$HOST_STAMP" | replace_file "$BIN/.pulumi-language-nodejs.stamp"
fi

# Copy (not link) the launcher so a later `npm ci` that removes node_modules cannot break the bin dir.
if ! cmp -s "$LAUNCHER_SRC" "$BIN/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
  replace_file "$BIN/pulumi-resource-pulumi-nodejs" <"$LAUNCHER_SRC"
  log "installed pulumi-resource-pulumi-nodejs from @pulumi/pulumi"
fi
chmod +x "$BIN/pulumi-resource-pulumi-nodejs"

inspect "$BIN" || die "$PROBLEM"
log "ready: $BIN"
finish "$BIN" "$BIN"
