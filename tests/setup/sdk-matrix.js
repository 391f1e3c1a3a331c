// Global setup of the SDK tiers (`sdk`, `sdk-matrix`): what the engine tiers need (an up-to-date dist/ and the pinned
// Pulumi CLI), then every `@pulumi/pulumi` version of the run installed into the per-user cache
// (scripts/provision-sdk.js: from the npm registry once per machine, reused afterwards). Jest runs it once, with the config of
// one of the projects, so each project names every version of the run (globals.sdkMatrix.run).
"use strict";
const provisionCli = require("./pulumi-cli");
const { provisionSdk } = require("../../scripts/provision-sdk");

module.exports = async function provisionSdkOnce(_globalConfig, projectConfig) {
  const versions = projectConfig.globals?.sdkMatrix?.run;
  if (!Array.isArray(versions) || versions.length === 0)
    throw new Error(
      `jest project ${projectConfig.displayName?.name} names no SDK versions (globals.sdkMatrix.run)`,
    );
  await provisionCli();
  for (const version of versions) await provisionSdk(version);
};
