// Global setup of the tiers that drive the real engine (e2e, reliability, scale, soak, live): an up-to-date dist/ (the
// test programs load the package from it) and the Pulumi CLI, provisioned once before the workers start
// (scripts/provision-pulumi.sh: PULUMI_CLI_DIR, a CLI on PATH at or above the SDK floor, or this project's build in
// the per-user cache, built from Go modules once per machine). What it chose is printed, with the reason, and handed
// to the test files in PULUMI_IMMUTA_TOOLCHAIN (workers inherit the environment), so that none asks again.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { ensureBuilt } = require("../../scripts/ensure-built");

const ROOT = path.resolve(__dirname, "../..");
const TOOLCHAIN_VARIABLE = "PULUMI_IMMUTA_TOOLCHAIN";

module.exports = async function provisionOnce() {
  require("../../scripts/link-self");
  ensureBuilt();
  if (process.env[TOOLCHAIN_VARIABLE]) return; // another engine tier of this run provisioned already
  try {
    // stderr says which CLI and language host were chosen and why; stdout describes them for the test files.
    process.env[TOOLCHAIN_VARIABLE] = execFileSync("bash", [path.join(ROOT, "scripts/provision-pulumi.sh")], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
  } catch (error) {
    throw new Error(
      `Provisioning the Pulumi CLI failed (scripts/provision-pulumi.sh exited ${error.status}; its messages are ` +
        "above). The end-to-end and reliability tests need it; `npm run test:unit` does not.",
    );
  }
};
