#!/usr/bin/env node
// Makes `require("pulumi-immuta")` and `require("pulumi-immuta/provider")` resolve inside this repository, the
// way they resolve in a user's program after `npm install pulumi-immuta`: the examples, the demo and the
// end-to-end tests consume the package by name, and the provider reference in Pulumi state loads it by name.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-immuta");
fs.mkdirSync(path.dirname(link), { recursive: true });
let current;
try {
  current = fs.readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== "..") {
  fs.rmSync(link, { recursive: true, force: true });
  // Relative, so that a copy of the checkout elsewhere still resolves to itself.
  fs.symlinkSync("..", link, "dir");
}
