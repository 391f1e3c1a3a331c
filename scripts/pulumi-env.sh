# shellcheck shell=bash
# Source me (bash) to run the project-local Pulumi CLI in isolation:
#
#   source scripts/pulumi-env.sh [PULUMI_HOME-dir]
#
# Provisions the CLI if needed (scripts/provision-pulumi.sh: PULUMI_CLI_DIR, a pulumi on PATH at or above the SDK
# floor, or this project's build in the per-user cache),
# then exports:
#   PULUMI_BIN_DIR          the directory holding the CLI (for PulumiCommand.get({ root: dirname(PULUMI_BIN_DIR) }))
#   PATH                    the CLI bin dir first (pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs)
#   PULUMI_HOME             the given dir, or pulumi-home in the per-user cache (scripts/lib/tool-cache.js): no
#                           plugins, credentials or settings from ~/.pulumi
#   PULUMI_SKIP_UPDATE_CHECK=true, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true: never go online
#   PULUMI_CONFIG_PASSPHRASE a demo-only default, unless already set (or a passphrase file is given)
# and unsets PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK so the Automation API checks the CLI version.
# The backend is not chosen here: use `pulumi login file://<dir>` or PULUMI_BACKEND_URL=file://<dir>.

_pulumi_env_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
# Always ask the provisioner (a fraction of a second when warm) so a version bump is never missed.
_pulumi_env_out="$("$_pulumi_env_root/scripts/provision-pulumi.sh")" || {
  echo "pulumi-env: provisioning the Pulumi CLI failed" >&2
  unset _pulumi_env_root _pulumi_env_out
  # shellcheck disable=SC2317 # exit only runs when this file was executed instead of sourced
  return 1 2>/dev/null || exit 1
}
export PULUMI_BIN_DIR="${_pulumi_env_out##*$'\n'}" # the provisioner's last stdout line
case "$PATH:" in
  "$PULUMI_BIN_DIR:"*) ;; # already first: sourcing twice does not grow PATH
  *) export PATH="$PULUMI_BIN_DIR:$PATH" ;;
esac
case "$_pulumi_env_out" in
  *PULUMI_LANGUAGE_HOST_KIND=pulumi-immuta-minimal*)
    cat >&2 <<EOF
pulumi-env: this shell now runs Node.js programs with pulumi-immuta's minimal language host
  ($PULUMI_BIN_DIR/pulumi-language-nodejs), not Pulumi's official one. It runs programs and installs
  dependencies with npm, but refuses policy packs (--policy-pack, RunPlugin), code generation (pulumi convert,
  pulumi import's generated code, pulumi package gen-sdk/add), yarn/pnpm/bun, the bun runtime, debugging and
  fnm version switching. For those, use an official Pulumi CLI: see docs/official-cli.md (PULUMI_CLI_DIR).
EOF
    ;;
esac
export PULUMI_HOME="${1:-$(node -p 'require(process.argv[1]).cacheRoot()' "$_pulumi_env_root/scripts/lib/tool-cache.js")/pulumi-home}"
mkdir -p "$PULUMI_HOME"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="demo-only-passphrase" # demo/test stacks only; never for real secrets
fi
unset PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK
unset _pulumi_env_root _pulumi_env_out
