#!/usr/bin/env node
"use strict";
/**
 * Load benchmark for the Immuta emulator: GET /dataSource/{id} with no injected latency.
 *
 *   npx tsc -p tsconfig.build.json && node bench/emulator-load.js [--duration 5] [--connections 50]
 *
 * The emulator runs as its own process (the built CLI), so the load generator does not share its event loop.
 * Prints requests/s and latency percentiles; exits 1 when below the 2,000 requests/s target or when any
 * response was not a 200.
 */
const { spawn } = require("node:child_process");
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { parseArgs } = require("node:util");
const autocannon = require("autocannon");

const TARGET_REQUESTS_PER_SECOND = 2000;
const API_KEY = "bench-api-key";
const ADMIN_TOKEN = "bench-admin-token";
const cliPath = join(__dirname, "..", "dist", "emulator", "cli.js");

function startEmulatorProcess() {
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: build first with npx tsc -p tsconfig.build.json`);
  }
  const child = spawn(
    process.execPath,
    [cliPath, "--port", "0", "--api-key", API_KEY, "--admin-token", ADMIN_TOKEN],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString("utf8");
      const ready = /Immuta emulator listening on (\S+)/.exec(output);
      if (ready) resolve({ child, url: ready[1] });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code} before it was ready`)));
  });
}

async function main() {
  const { values } = parseArgs({
    options: { duration: { type: "string", default: "5" }, connections: { type: "string", default: "50" } },
  });
  const { child, url } = await startEmulatorProcess();
  try {
    const seeded = await fetch(`${url}/__emulator/data-sources`, {
      method: "POST",
      headers: { "x-emulator-admin-token": ADMIN_TOKEN, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench", prefix: "s3://bench-bucket/data" }),
    });
    const { id } = await seeded.json();
    const result = await autocannon({
      url: `${url}/dataSource/${id}`,
      headers: { authorization: API_KEY },
      connections: Number(values.connections),
      duration: Number(values.duration),
    });
    const requestsPerSecond = result.requests.average;
    console.log(
      [
        `GET /dataSource/${id}: ${Math.round(requestsPerSecond)} requests/s`,
        `(${result.requests.total} requests in ${result.duration} s, ${values.connections} connections)`,
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms;`,
        `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
      ].join(" "),
    );
    const ok = requestsPerSecond >= TARGET_REQUESTS_PER_SECOND && result.non2xx === 0 && result.errors === 0;
    if (!ok) console.error(`Below target: ${TARGET_REQUESTS_PER_SECOND} requests/s, all 200.`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
