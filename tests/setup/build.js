// Global setup of the unit tier: the tests that load the package by name (e.g. tests/provider/serialization.test.ts
// loads `pulumi-immuta/provider`) need an up-to-date dist/. No Go, no Pulumi CLI.
"use strict";
const { ensureBuilt } = require("../../scripts/ensure-built");

module.exports = async function buildOnce() {
  require("../../scripts/link-self");
  ensureBuilt();
};
