// Global setup of the tiers that drive the real engine (e2e, reliability, soak): an up-to-date dist/ (the test
// programs load the package from it) and the pinned Pulumi CLI, provisioned once before the workers start
// (scripts/provision-pulumi.sh: from PATH, from the .tools/ cache, or built from Go modules, several minutes once).
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { ensureBuilt } = require("../../scripts/ensure-built");

const ROOT = path.resolve(__dirname, "../..");

module.exports = async function provisionOnce() {
  require("../../scripts/link-self");
  ensureBuilt();
  try {
    // Progress goes to stderr; the last stdout line (the bin directory) is not needed here: the tests ask the
    // provisioner again, which answers at once when the CLI is up to date.
    execFileSync("bash", [path.join(ROOT, "scripts/provision-pulumi.sh")], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    throw new Error(
      `Provisioning the Pulumi CLI failed (scripts/provision-pulumi.sh exited ${error.status}; its messages are ` +
        "above). The end-to-end and reliability tests need it; `npm run test:unit` does not.",
    );
  }
};
