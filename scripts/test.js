#!/usr/bin/env node
// `npm test`, what CI runs (.ci/run): build, typecheck and lint, then the unit tier, then the engine tiers (e2e,
// reliability, go, sdk). Meanwhile the tools of the engine tiers are provisioned in the background
// (scripts/provision-test-tools.js: the Pulumi CLI, SDK versions, the Python venv, the YAML host, a second Pulumi
// release; nothing to do when the per-user cache holds them), so a cold machine builds while the CPU-light checks
// run instead of after them. A tier that needs a tool before it is ready waits on that tool's cache lock.
//
//   npm test                                     everything
//   npm test -- --json --outputFile=report.json  arguments for jest: given to both jest runs, one report merged
//   npm test -- tests/e2e/drift.test.ts          only these tests (no background provisioning: the tiers provision
//                                                what they need themselves)
//
// Exits non-zero when a step fails: build, typecheck and lint stop the run; both jest runs always run.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const UNIT_TIERS = "unit";
const ENGINE_TIERS = "e2e,reliability,go,sdk";

const say = (line) => process.stdout.write(`\n\u001b[1m==> ${line}\u001b[0m\n`);
const elapsed = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

/** `npm run <script>` with the npm that runs this script when there is one. */
function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  return npmCli && /\.c?js$/.test(npmCli)
    ? [process.execPath, [npmCli, "run", "--silent", script]]
    : ["npm", ["run", "--silent", script]];
}

/** Runs a command in the foreground; resolves with its exit code. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", () => resolve(127));
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The jest arguments, with `--outputFile` taken out (each jest run gets its own, merged afterwards). */
function splitOutputFile(args) {
  const rest = [];
  let outputFile;
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith("--outputFile=")) outputFile = args[i].slice("--outputFile=".length);
    else if (args[i] === "--outputFile") outputFile = args[++i];
    else rest.push(args[i]);
  }
  return { rest, outputFile };
}

/** One jest report from several (counts added, test results concatenated). */
function mergeReports(files, into) {
  const reports = files
    .filter((file) => fs.existsSync(file))
    .map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const merged = { ...reports[0], testResults: [], success: true };
  for (const key of Object.keys(merged)) if (/^num[A-Z]/.test(key)) merged[key] = 0;
  for (const report of reports) {
    for (const key of Object.keys(merged)) if (/^num[A-Z]/.test(key)) merged[key] += report[key] ?? 0;
    merged.testResults.push(...report.testResults);
    merged.success &&= report.success;
  }
  merged.startTime = Math.min(...reports.map((report) => report.startTime));
  fs.writeFileSync(into, JSON.stringify(merged));
  for (const file of files) fs.rmSync(file, { force: true });
}

/** Starts scripts/provision-test-tools.js in its own process group, its output in a log file. */
function startBackgroundProvisioning() {
  const log = path.join(os.tmpdir(), `pulumi-immuta-provision-${process.pid}.log`);
  const fd = fs.openSync(log, "w");
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/provision-test-tools.js")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  const started = Date.now();
  const finished = new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  let done = false;
  void finished.then(() => (done = true));
  return {
    log,
    finished,
    started,
    running: () => !done,
    stop() {
      if (done) return;
      try {
        process.kill(-child.pid, "SIGTERM"); // the group: go build runs as a grandchild
      } catch {
        // already gone
      }
    },
  };
}

async function main() {
  const { rest, outputFile } = splitOutputFile(process.argv.slice(2));
  const filtered = rest.some((arg) => !arg.startsWith("-"));
  const started = Date.now();
  const background = filtered ? undefined : startBackgroundProvisioning();
  const stopBackground = () => background?.stop();
  for (const signal of ["SIGINT", "SIGTERM"])
    process.on(signal, () => {
      stopBackground();
      process.exit(130);
    });
  if (background) say(`Provisioning the engine tiers' tools in the background (log: ${background.log})`);

  for (const step of ["build", "typecheck", "lint"]) {
    const since = Date.now();
    say(`npm run ${step}`);
    const code = await run(...npmRun(step));
    if (code !== 0) {
      stopBackground();
      console.error(`\nnpm run ${step} failed (exit ${code}); the tests were not run.`);
      return code;
    }
    console.log(`npm run ${step}: ${elapsed(since)}`);
  }

  const reports = [];
  const jest = async (tiers) => {
    const since = Date.now();
    say(`jest, tiers ${tiers}`);
    const args = [require.resolve("jest/bin/jest"), ...rest, ...(filtered ? ["--passWithNoTests"] : [])];
    if (outputFile) {
      const report = `${outputFile}.${tiers.replace(/,/g, "-")}.json`;
      reports.push(report);
      args.push(`--outputFile=${report}`);
    }
    const code = await run(process.execPath, args, { TEST_TIERS: tiers });
    console.log(`jest, tiers ${tiers}: ${elapsed(since)}`);
    return code;
  };

  const unit = await jest(UNIT_TIERS);
  if (background?.running())
    say(
      `The background provisioning is still running (${elapsed(background.started)} so far): the engine tiers wait for what they need`,
    );
  const engine = await jest(ENGINE_TIERS);
  if (background) {
    const code = await background.finished;
    if (code !== 0)
      console.error(`\nThe background provisioning failed (exit ${code}); its log: ${background.log}`);
    else fs.rmSync(background.log, { force: true });
  }
  if (outputFile) mergeReports(reports, outputFile);
  console.log(`\nnpm test: ${elapsed(started)}`);
  return unit !== 0 ? unit : engine;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
