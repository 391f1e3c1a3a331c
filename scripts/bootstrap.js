#!/usr/bin/env node
// Makes the first command on a fresh clone work: `npm run demo`, `npm test` and the other entry points start here.
// It installs exactly what package-lock.json pins (`npm ci`) when node_modules is missing or was installed from
// another lock file, and links the package to itself (scripts/link-self.js). Node built-ins only: it runs before
// any dependency exists.
//
//   node scripts/bootstrap.js                  install if needed (quiet when nothing is to do)
//   node scripts/bootstrap.js --record-install record that node_modules matches the lock file (the `prepare` script)
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const LOCK = path.join(ROOT, "package-lock.json");
// Inside node_modules, so that deleting node_modules (as `npm ci` does) also deletes the record.
const STAMP = path.join(ROOT, "node_modules", ".pulumi-immuta-install");
const MINIMUM_NODE_MAJOR = 20;

function lockHash() {
  return crypto.createHash("sha256").update(fs.readFileSync(LOCK)).digest("hex");
}

function recordInstall() {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${lockHash()}\n`);
}

/** Why node_modules must be (re)installed, or undefined when it matches the lock file. */
function installReason() {
  if (!fs.existsSync(path.join(ROOT, "node_modules"))) return "node_modules is missing";
  let recorded;
  try {
    recorded = fs.readFileSync(STAMP, "utf8").trim();
  } catch {
    return "node_modules was not installed from package-lock.json by `npm ci` (no install record)";
  }
  if (recorded !== lockHash()) return "package-lock.json changed since the last install";
  return undefined;
}

/** `npm ci` with the npm that runs this script when there is one, so the same npm version installs. */
function npmCi() {
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && /\.c?js$/.test(npmCli)
      ? [process.execPath, [npmCli, "ci", "--no-audit", "--no-fund"]]
      : ["npm", ["ci", "--no-audit", "--no-fund"]];
  // Its progress goes to stderr: callers such as `npm run pulumi:provision` keep stdout for their own answer.
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["inherit", 2, 2] });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status}`;
    console.error(
      `bootstrap: \`npm ci\` failed (${why}). Check that the npm registry is reachable, then run \`npm ci\` ` +
        "in the repository and repeat the command.",
    );
    process.exit(1);
  }
}

function main() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < MINIMUM_NODE_MAJOR) {
    console.error(
      `bootstrap: Node.js ${process.versions.node} is too old; this project needs Node.js >= ${MINIMUM_NODE_MAJOR}.`,
    );
    process.exit(1);
  }
  if (process.argv.includes("--record-install")) {
    recordInstall();
    return;
  }
  const reason = installReason();
  if (reason) {
    console.error(`bootstrap: ${reason}; installing what package-lock.json pins (npm ci) ...`);
    npmCi();
    // `npm ci` runs `prepare`, which records the install; `--ignore-scripts` would skip it.
    recordInstall();
  }
  require("./link-self");
}

main();
