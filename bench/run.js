#!/usr/bin/env node
"use strict";
/**
 * Performance benchmark of pulumi-immuta through the real Pulumi engine (offline), every timing a ratio measured
 * in the same run. Writes bench/results.json and BENCHMARKS.md.
 *
 *   npm run bench                         # build, then the full matrix (see below for how long)
 *   node bench/run.js --quick             # N = 50 and 100 at 50 ms (about 5 minutes), to a temporary folder
 *   node bench/run.js --quick --write     # ... written to bench/results.json and BENCHMARKS.md anyway
 *   node bench/run.js --max-n 500         # the full matrix without N = 1,000 (about 30 minutes quiet)
 *   node bench/run.js --allow-load        # measure even when the machine is busy (every ratio is marked)
 *   node bench/run.js --render            # BENCHMARKS.md (and the targets) again from bench/results.json
 *
 * The full matrix should take about 45 minutes on 2 quiet CPUs (its processes use about 45 CPU-minutes, a third of
 * them at N = 1,000); on 2 CPUs shared with other work it took 91 minutes (load average 7 to 17). A run refuses to
 * start while the 1-minute load average is above 1.5 (bench/lib/load-gate.js). Every cell is the median of at least
 * 3 repetitions with its range (bench/lib/matrix.js lists the cells). Variants, interleaved per operation (their
 * order rotates every repetition, so noise from other work on the machine hits each of them alike):
 *   ours     bench/programs/immuta: N ImmutaS3DataSource resources against the emulator (its own process);
 *   before   the same with immuta:maxInFlight = 8, the provider's default before the per-tenant limit (N = 100, 50 ms);
 *   nodeHttp experiment: ours with the client's axios transport replaced by node:http (N = 100, 50 ms);
 *   floorA   bench/programs/noop: N dynamic resources whose provider returns at once (the engine's floor), each
 *            with a one-line __provider as ours (so state size does not favour either);
 *   noopSerialized  the same with the SDK's serialization of the provider's code in __provider, as a plain
 *            dynamic provider stores it (N = 500, 0 ms, default parallelism: what state size costs the engine);
 *   floorB   the same requests as ours, sent by the API client alone with the engine's concurrency.
 * Engine timings are the wall time of the `pulumi up|refresh|destroy --yes --skip-preview` process (the
 * Automation API's follow-up `stack output`/`history` calls are left out; they are the same for every variant).
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { parseArgs } = require("node:util");
const { apiCallScenario } = require("./lib/api-calls");
const { cellResult, summarizeRequests } = require("./lib/cell-result");
const { startEmulatorProcess } = require("./lib/emulator");
const { growth } = require("./lib/growth");
const { LoadTooHighError, loadAtStart } = require("./lib/load-gate");
const { machineInfo } = require("./lib/machine");
const { matrix, rotation } = require("./lib/matrix");
const { ProcSampler } = require("./lib/proc-sampler");
const { REPO_ROOT } = require("./lib/pulumi");
const { RawFloor } = require("./lib/raw-floor");
const { renderMarkdown } = require("./lib/report");
const { RESULTS_SCHEMA, StaleResultsError, readResults } = require("./lib/results");
const { stateSizes } = require("./lib/state-size");
const { round } = require("./lib/stats");
const { targets } = require("./lib/targets");
const { timedOperation } = require("./lib/timed-operation");
const { variantStack } = require("./lib/variants");

const OPERATIONS = ["up", "refresh", "destroy"];
/** The provider's default in-flight limit before the per-tenant limit; the `before` variant pins it through config. */
const BEFORE_MAX_IN_FLIGHT = 8;
/** The `nodeHttp` experiment: the client's transport with node:http instead of axios (bench/experiments). */
const NODE_HTTP_TRANSPORT = path.join(__dirname, "experiments", "node-http-transport.js");

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      "max-n": { type: "string" },
      "out-dir": { type: "string" },
      "allow-load": { type: "boolean", default: false },
      render: { type: "boolean", default: false },
    },
  });
  return {
    render: values.render,
    quick: values.quick,
    allowLoad: values["allow-load"],
    maxN: values["max-n"] === undefined ? Infinity : Number(values["max-n"]),
    outDir:
      values["out-dir"] ??
      (values.quick && !values.write ? path.join(os.tmpdir(), "pulumi-immuta-bench-quick") : undefined),
  };
}

function outputPaths({ outDir }) {
  return {
    results: outDir ? path.join(outDir, "results.json") : path.join(__dirname, "results.json"),
    markdown: outDir ? path.join(outDir, "BENCHMARKS.md") : path.join(REPO_ROOT, "BENCHMARKS.md"),
  };
}

/**
 * BENCHMARKS.md again from the measurements in bench/results.json, nothing run: growth and targets are derived
 * again too (and written back), so a change of a target or of the report's text needs no new run.
 */
function render(opts) {
  const paths = outputPaths(opts);
  const results = readResults(paths.results);
  results.growth = growth(results.runs);
  results.targets = targets(results);
  write(results, opts);
}

async function main() {
  const opts = options();
  if (opts.render) return render(opts);
  const load = loadAtStart({
    allowLoad: opts.allowLoad,
    command: `node bench/run.js ${process.argv.slice(2).join(" ")}`.trim(),
  });
  const started = new Date();
  const log = (line) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
  const machine = machineInfo();
  log(`machine: ${machine.nproc} CPUs, ${machine.memTotalMiB} MiB, ${machine.node}, ${machine.pulumi}`);
  log(`load average at start: ${load.loadAverage.join(", ")}${load.loaded ? " (loaded: --allow-load)" : ""}`);

  const emulator = await startEmulatorProcess();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-bench-"));
  const sampler = new ProcSampler(200);
  const handles = {};
  try {
    const where = { root, emulator };
    handles.ours = await variantStack(where, "ours", "immuta");
    handles.before = await variantStack(where, "before", "immuta", {
      "immuta:maxInFlight": BEFORE_MAX_IN_FLIGHT,
    });
    handles.nodeHttp = await variantStack(where, "nodehttp", "immuta", { transport: NODE_HTTP_TRANSPORT });
    handles.floorA = await variantStack(where, "noop", "noop");
    handles.noopSerialized = await variantStack(where, "noopser", "noop", {
      "bench:serializedProvider": true,
    });
    const callsHandle = await variantStack(where, "calls", "immuta");

    // Warm-up (file cache, CLI, node_modules) for both programs, then the API-call scenario (also a warm-up).
    for (const handle of [handles.ours, handles.floorA]) {
      await handle.setCount(2);
      await handle.stack.up();
      await handle.stack.destroy();
    }
    log("API calls per operation");
    const apiCalls = await apiCallScenario({ handle: callsHandle, emulator, log });

    const runs = [];
    const states = [];
    const parallelLabel = (parallel) => parallel ?? `default (${machine.engineDefaultParallel})`;
    for (const cell of matrix(opts)) {
      log(
        `cell N=${cell.n} latency=${cell.latencyMs}ms parallel=${parallelLabel(cell.parallel)} ×${cell.reps}`,
      );
      await emulator.setLatency(cell.latencyMs);
      for (const variant of cell.variants) if (handles[variant]) await handles[variant].setCount(cell.n);
      const parallel = cell.parallel ?? machine.engineDefaultParallel;
      const engineOpts = cell.parallel ? { parallel: cell.parallel } : {};
      const samples = [];
      for (let rep = 0; rep < cell.reps; rep++) {
        const order = rotation(cell.variants, rep);
        const floorB = new RawFloor({ url: emulator.url, apiKey: emulator.apiKey, parallel });
        try {
          for (const operation of OPERATIONS) {
            for (const variant of order) {
              await emulator.control.clearRequests();
              const loadAverage = os.loadavg()[0];
              let sample;
              if (variant === "floorB") {
                const t = performance.now();
                await floorB[operation](cell.n);
                sample = { seconds: (performance.now() - t) / 1000 };
              } else {
                sampler.start();
                try {
                  sample = await timedOperation(handles[variant].stack, operation, engineOpts);
                } finally {
                  sample = { ...sample, processes: sampler.stop() };
                }
              }
              sample.requests = summarizeRequests(await emulator.requests(), cell.n);
              sample.loadAverage = round(loadAverage, 2);
              samples.push({ rep, variant, operation, ...sample });
              log(
                `  rep ${rep} ${operation} ${variant}: ${sample.seconds.toFixed(2)} s` +
                  (sample.processes?.provider ? `, provider ${sample.processes.provider} MiB` : "") +
                  `, ${sample.requests.total} requests, load ${sample.loadAverage}`,
              );
            }
            // State after the first refresh of each N: the largest state (awsLocationPath is filled in).
            if (operation === "refresh" && rep === 0 && !states.some((s) => s.n === cell.n)) {
              states.push({
                n: cell.n,
                ours: await stateSizes(handles.ours, cell.n, "immuta:S3DataSource"),
                floorA: await stateSizes(handles.floorA, cell.n, "bench:Noop"),
                ...(cell.variants.includes("noopSerialized")
                  ? { noopSerialized: await stateSizes(handles.noopSerialized, cell.n, "bench:Noop") }
                  : {}),
              });
            }
          }
        } finally {
          floorB.close();
        }
      }
      for (const operation of OPERATIONS)
        runs.push(cellResult(cell, parallel, parallelLabel(cell.parallel), operation, samples));
    }

    const results = {
      schema: RESULTS_SCHEMA,
      date: started.toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 0),
      commands: {
        full: "npm run bench   # = npm run build && node bench/run.js",
        quick: "npm run build && node bench/run.js --quick [--write]",
        thisRun: `node bench/run.js ${process.argv.slice(2).join(" ")}`.trim(),
      },
      quick: opts.quick,
      load: { ...load, atEnd: os.loadavg().map((v) => round(v, 2)) },
      machine,
      method: {
        engineSeconds: "wall time of the pulumi up|refresh|destroy --yes --skip-preview process",
        cells: "median of the repetitions (at least 3), with min and max; ratios paired per repetition",
        floorA:
          "bench/programs/noop: N dynamic resources whose create/read/delete return at once, with a one-line __provider as ours",
        noopSerialized:
          "floor (a) with the SDK's serialization of the provider's code in __provider (N=500, 0 ms, default P)",
        floorB: "the same API requests by ImmutaClient alone, P operations at once, maxInFlight 2·P",
        before: `ours with immuta:maxInFlight=${BEFORE_MAX_IN_FLIGHT} (the provider's default before the fix)`,
        latency: "emulator fault rule {kind: latency} on every Immuta API request",
        peakRss:
          "VmHWM of the dynamic-provider node process (descendant of this process), sampled every 200 ms",
        cpuSeconds:
          "utime + stime of the provider, engine, program and language host processes, sampled every 200 ms; " +
          "tree: exact total of the pulumi process and everything it started (median of the repetitions)",
        growth:
          "time per resource (median seconds / N) at the largest N against the smallest, per parameter set",
        programs: "plain JavaScript (typescript: false) for both programs",
      },
      apiCalls,
      runs,
      state: states,
      growth: growth(runs),
    };
    results.targets = targets(results);
    write(results, opts);
    const failed = results.targets.filter((t) => t.pass === false);
    log(
      `done in ${results.durationSeconds} s; targets missed: ${failed.length ? failed.map((t) => t.name).join("; ") : "none"}`,
    );
  } finally {
    for (const handle of Object.values(handles)) await handle.stack.destroy().catch(() => undefined);
    await emulator.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function write(results, opts) {
  const paths = outputPaths(opts);
  fs.mkdirSync(path.dirname(paths.results), { recursive: true });
  fs.writeFileSync(paths.results, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(paths.markdown, renderMarkdown(results));
  console.error(`wrote ${paths.results} and ${paths.markdown}`);
}

main().catch((error) => {
  if (error instanceof LoadTooHighError || error instanceof StaleResultsError) {
    console.error(`bench/run.js: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
