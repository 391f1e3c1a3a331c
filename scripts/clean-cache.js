#!/usr/bin/env node
// `npm run clean:cache`: empties the per-user cache of the provisioning scripts (scripts/lib/tool-cache.js): the
// Pulumi CLI builds, the language hosts, the Python venv and the SDK installs of every clone of this machine. The
// next command that needs one builds or installs it again. Entries being built right now are left alone.
"use strict";
const { cacheRoot, cleanCache } = require("./lib/tool-cache");

const root = cacheRoot();
const { removed, kept } = cleanCache(root);
console.log(
  removed.length === 0
    ? `${root}: nothing to remove.`
    : `${root}: removed ${removed.length} entr${removed.length === 1 ? "y" : "ies"}:\n${removed.map((name) => `  ${name}`).join("\n")}`,
);
if (kept.length > 0)
  console.log(`Kept, being built by a running process:\n${kept.map((name) => `  ${name}`).join("\n")}`);
