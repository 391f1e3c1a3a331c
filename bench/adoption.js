#!/usr/bin/env node
"use strict";
/**
 * Onboarding at scale: the time of the first `pulumi up` of an exported catalogue that adopts N sources registered
 * by hand, side by side with a `pulumi up` that registers N new sources, in the same run against the same emulator
 * (its own process). Prints both and what Immuta received; asserts nothing about time.
 *
 *   npm run build && node bench/adoption.js              # N = 1000
 *   node bench/adoption.js --n 200 --latency 50          # 50 ms on every Immuta request
 *
 * The adoption is timed after `pulumi-immuta-gitops export` wrote the catalogue (its time is printed too), once as
 * a plain `pulumi up` and once with the state saved only at the end (`PULUMI_SKIP_CHECKPOINTS`), as
 * `pulumi-immuta-gitops up` runs a plan that only adopts; each on its own stack, with the engine's default
 * parallelism. Each timing is the wall time of the `pulumi up` process.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { parseArgs } = require("node:util");
const { startEmulatorProcess } = require("./lib/emulator");
const { machineInfo } = require("./lib/machine");
const { createBenchStack } = require("./lib/pulumi");
const { timedOperation } = require("./lib/timed-operation");
const { exportCatalogue } = require("../dist/gitops");

/** Sources registered by hand live under this location, so the export (filtered by it) adopts only them. */
const BY_HAND = "s3://bench-adopt";

async function seed(control, n) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await control.seedDataSource({ name: `by-hand-${i}`, prefix: `${BY_HAND}/src-${i}` });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** `GET` 2000, `POST` 1000: request counts by method. */
function byMethod(requests) {
  const counts = {};
  for (const { method } of requests) counts[method] = (counts[method] ?? 0) + 1;
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, count]) => `${method} ${count}`)
    .join(", ");
}

async function main() {
  const { values } = parseArgs({
    options: { n: { type: "string", default: "1000" }, latency: { type: "string", default: "0" } },
  });
  const n = Number(values.n);
  const latencyMs = Number(values.latency);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-bench-adoption-"));
  const emulator = await startEmulatorProcess();
  try {
    await seed(emulator.control, n);
    const stacks = {};
    for (const [name, program, env] of [
      ["create", "immuta", {}],
      ["adopt", "catalogue", {}],
      // What `pulumi-immuta-gitops up` does for a plan that only adopts (gitops/checkpoints.ts).
      ["adoptOnce", "catalogue", { PULUMI_SKIP_CHECKPOINTS: "true" }],
    ]) {
      stacks[name] = await createBenchStack({
        program,
        root: path.join(root, name),
        immutaUrl: emulator.url,
        apiKey: emulator.apiKey,
        env,
      });
    }
    await stacks.create.setCount(n);
    await stacks.create.setConfig("bench:namePrefix", "created");

    const started = performance.now();
    const exported = await exportCatalogue({
      env: { IMMUTA_URL: emulator.url, IMMUTA_API_KEY: emulator.apiKey },
      prefixes: [BY_HAND],
    });
    const exportSeconds = (performance.now() - started) / 1000;
    if (exported.plan.entries.length !== n)
      throw new Error(`exported ${exported.plan.entries.length} of ${n} sources`);
    for (const name of ["adopt", "adoptOnce"])
      fs.writeFileSync(path.join(stacks[name].programDir, "datasources.yaml"), exported.output);

    await emulator.setLatency(latencyMs);
    const rows = [];
    for (const [name, what] of [
      ["create", `registers ${n} new sources`],
      ["adopt", `adopts ${n} exported sources`],
      ["adoptOnce", `adopts them, state saved once`],
    ]) {
      await emulator.control.clearRequests();
      const { seconds } = await timedOperation(stacks[name].stack, "up", {});
      const requests = await emulator.requests();
      rows.push({ name, what, seconds, requests });
    }
    await emulator.setLatency(0);

    const machine = machineInfo();
    console.log(`N = ${n} sources, ${latencyMs} ms per Immuta request, default parallelism`);
    console.log(`machine: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${process.version}`);
    console.log(`export (reads ${exported.found} sources): ${exportSeconds.toFixed(1)} s`);
    for (const row of rows) {
      const writes = row.requests.filter((entry) => entry.method !== "GET").length;
      console.log(
        `${`pulumi up, ${row.what}:`.padEnd(46)} ${row.seconds.toFixed(1).padStart(6)} s` +
          `   (${byMethod(row.requests)}; ${writes === 0 ? "no writes" : `${writes} writes`})`,
      );
    }
    const [create, adopt, adoptOnce] = rows;
    console.log(
      `adoption / creation: ${(adopt.seconds / create.seconds).toFixed(2)}; ` +
        `state saved once / creation: ${(adoptOnce.seconds / create.seconds).toFixed(2)}`,
    );
  } finally {
    await emulator.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
