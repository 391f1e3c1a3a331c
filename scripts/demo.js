#!/usr/bin/env node
// `npm run demo`: start the embedded Immuta emulator in the background, provision the Pulumi CLI if needed,
// `pulumi up` the demo stack (root Pulumi.yaml → examples/multi) on a local backend, and show the data sources as
// Immuta now holds them. `npm run demo:destroy` destroys the stack and stops the emulator.
// Everything lives in .pulumi-demo/ (git-ignored); nothing goes online.
"use strict";
const { execFileSync, spawn, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { ensureBuilt: buildIfStale } = require("./ensure-built");

const ROOT = path.resolve(__dirname, "..");
const WORK = path.join(ROOT, ".pulumi-demo");
const EMULATOR_FILE = path.join(WORK, "emulator.json");
const KEY_FILE = path.join(WORK, "api-key");
const STACK = "demo";
const say = (line) => process.stdout.write(`\n\u001b[1m==> ${line}\u001b[0m\n`);

function ensureBuilt() {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/link-self.js")]);
  // Rebuilds dist/ when a source changed since the last build (saying why), so the demo never runs stale code.
  buildIfStale();
}

function provisionPulumi() {
  say(
    "Finding the Pulumi CLI (yours when it is recent enough, else this project's build, cached once per machine)",
  );
  const output = execFileSync("bash", [path.join(ROOT, "scripts/provision-pulumi.sh")], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return output.trim().split("\n").pop();
}

function apiKey() {
  if (!fs.existsSync(KEY_FILE)) {
    fs.writeFileSync(KEY_FILE, crypto.randomBytes(16).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(KEY_FILE, "utf8").trim();
}

function runningEmulator() {
  if (!fs.existsSync(EMULATOR_FILE)) return undefined;
  const emulator = JSON.parse(fs.readFileSync(EMULATOR_FILE, "utf8"));
  try {
    process.kill(emulator.pid, 0);
    return emulator;
  } catch {
    return undefined;
  }
}

async function startEmulator() {
  const running = runningEmulator();
  if (running) {
    say(`Immuta emulator already running at ${running.url} (pid ${running.pid})`);
    return running;
  }
  say("Starting the Immuta emulator in the background (state in .pulumi-demo/immuta-data.json)");
  const log = fs.openSync(path.join(WORK, "emulator.log"), "a");
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "dist/emulator/cli.js"),
      "--port",
      "0",
      "--data-file",
      path.join(WORK, "immuta-data.json"),
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        IMMUTA_EMULATOR_API_KEY: apiKey(),
        IMMUTA_EMULATOR_ADMIN_TOKEN: apiKey() + "-admin",
      },
    },
  );
  child.unref();
  const logFile = path.join(WORK, "emulator.log");
  for (let waited = 0; waited < 15000; waited += 100) {
    const match = /Immuta emulator listening on (http:\/\/\S+)/.exec(
      fs.readFileSync(logFile, "utf8").split("\n").slice(-5).join("\n"),
    );
    if (match) {
      const emulator = { pid: child.pid, url: match[1] };
      fs.writeFileSync(EMULATOR_FILE, JSON.stringify(emulator));
      console.log(
        `Immuta emulator listening on ${emulator.url} (pid ${emulator.pid}; log: .pulumi-demo/emulator.log)`,
      );
      return emulator;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the emulator did not start within 15 s; see .pulumi-demo/emulator.log");
}

function pulumiEnv(binDir, emulatorUrl) {
  return {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(WORK, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(WORK, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo-only-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The demo's connection comes from the environment, so that no file in the repository changes.
    IMMUTA_URL: emulatorUrl,
    IMMUTA_API_KEY: apiKey(),
  };
}

function pulumi(env, args, options = {}) {
  const result = spawnSync("pulumi", args, {
    cwd: ROOT,
    env,
    stdio: options.quiet ? "pipe" : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0 && !options.allowFailure) {
    if (options.quiet) process.stderr.write(result.stderr ?? "");
    throw new Error(`pulumi ${args.join(" ")} failed (exit ${result.status})`);
  }
  return result;
}

async function showImmuta(emulator) {
  say("Data sources as Immuta (the emulator) now holds them");
  // Read the way the provider reads: Immuta's search hits are summaries, so each source's record and then its
  // handler (whose id may differ from the source's) are fetched. Prefixes are shown as Immuta holds them, relative
  // to the integration's location (s3:// here).
  const { ImmutaClient, handlerIdFromDataSource } = require("../dist/provider/client");
  const client = new ImmutaClient({
    url: emulator.url,
    apiKey: apiKey(),
    allowInsecureHttp: true,
    userAgent: "pulumi-immuta-demo",
  });
  const rows = [];
  try {
    for (const hit of await client.searchAllDataSources({})) {
      const dataSource = await client.getDataSource(hit.id);
      const handlerId = handlerIdFromDataSource(dataSource) ?? dataSource.id;
      const handler = await client.getHandler(handlerId);
      rows.push({
        id: dataSource.id,
        name: dataSource.name,
        handlerId,
        prefix: handler.metadata.prefix,
        integrationId: handler.metadata.integrationId,
        disabled: dataSource.deleted === true,
      });
    }
  } finally {
    client.close();
  }
  console.table(rows);
  console.log(
    [
      "Look further:",
      `  curl -s -H "Authorization: $(cat .pulumi-demo/api-key)" ${emulator.url}/dataSource/<id>`,
      `  curl -s -H "Authorization: $(cat .pulumi-demo/api-key)" ${emulator.url}/native-s3/handler/<handlerId>`,
      "Edit Pulumi.demo.yaml (e.g. change a prefix) and run `npm run demo` again to see a replacement previewed and applied.",
      "Tear everything down with `npm run demo:destroy`.",
    ].join("\n"),
  );
}

async function up() {
  fs.mkdirSync(path.join(WORK, "backend"), { recursive: true });
  ensureBuilt();
  const binDir = provisionPulumi();
  const emulator = await startEmulator();
  const env = pulumiEnv(binDir, emulator.url);
  if (!fs.existsSync(path.join(ROOT, "Pulumi.demo.yaml"))) {
    fs.copyFileSync(
      path.join(ROOT, "examples/multi/Pulumi.example.yaml"),
      path.join(ROOT, "Pulumi.demo.yaml"),
    );
  }
  if (pulumi(env, ["stack", "select", STACK], { quiet: true, allowFailure: true }).status !== 0) {
    pulumi(env, ["stack", "init", STACK], { quiet: true });
  }
  say(`pulumi up --stack ${STACK}`);
  pulumi(env, ["up", "--yes", "--stack", STACK]);
  await showImmuta(emulator);
}

async function destroy() {
  const emulator = runningEmulator();
  if (emulator) {
    const env = pulumiEnv(provisionPulumi(), emulator.url);
    if (pulumi(env, ["stack", "select", STACK], { quiet: true, allowFailure: true }).status === 0) {
      say(`pulumi destroy --stack ${STACK}`);
      pulumi(env, ["destroy", "--yes", "--stack", STACK]);
      pulumi(env, ["stack", "rm", "--yes", STACK], { quiet: true });
    }
    say(`Stopping the Immuta emulator (pid ${emulator.pid})`);
    process.kill(emulator.pid, "SIGTERM");
  } else {
    console.log("No demo emulator is running; removing the demo's local state.");
  }
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.rmSync(path.join(ROOT, "Pulumi.demo.yaml"), { force: true });
}

const command = process.argv[2] ?? "up";
(command === "destroy" ? destroy() : up()).catch((error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = 1;
});
