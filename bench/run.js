#!/usr/bin/env node
"use strict";
/**
 * Performance benchmark of pulumi-immuta through the real Pulumi engine (offline), every timing a ratio measured
 * in the same run. Writes bench/results.json and BENCHMARKS.md.
 *
 *   npm run bench                         # build, then the full matrix (about 20-25 minutes on 2 CPUs)
 *   node bench/run.js --quick             # smaller matrix (a few minutes), written to a temporary folder
 *   node bench/run.js --quick --write     # ... written to bench/results.json and BENCHMARKS.md anyway
 *   node bench/run.js --max-n 100         # the full matrix without N = 500
 *   node bench/run.js --render            # BENCHMARKS.md again from bench/results.json, nothing is run
 *
 * Variants, interleaved per operation (their order rotates every repetition, so noise from other work on the
 * machine hits each of them alike):
 *   ours     bench/programs/immuta: N ImmutaS3DataSource resources against the emulator (its own process);
 *   before   the same with immuta:maxInFlight = 8, the provider's default before the per-tenant limit (N = 100, 50 ms);
 *   nodeHttp experiment: ours with the client's axios transport replaced by node:http (N = 100, 50 ms);
 *   floorA   bench/programs/noop: N dynamic resources whose provider returns at once (the engine's floor), their
 *            each with a one-line __provider as ours (so state size does not favour either);
 *   noopSerialized  the same with the SDK's serialization of the provider's code in __provider, as a plain
 *            dynamic provider stores it (N = 500, 0 ms, default parallelism: what state size costs the engine);
 *   floorB   the same requests as ours, sent by the API client alone with the engine's concurrency.
 * Engine timings are the wall time of the `pulumi up|refresh|destroy --yes --skip-preview` process (the
 * Automation API's follow-up `stack output`/`history` calls are left out; they are the same for every variant).
 */
const { Buffer } = require("node:buffer");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { parseArgs } = require("node:util");
const { startEmulatorProcess } = require("./lib/emulator");
const { machineInfo } = require("./lib/machine");
const { CLIENT_TRANSPORT_MODULE } = require("./lib/package-layout");
const { ProcSampler } = require("./lib/proc-sampler");
const { createBenchStack, REPO_ROOT } = require("./lib/pulumi");
const { RawFloor } = require("./lib/raw-floor");
const { apiCallScenario } = require("./lib/api-calls");
const { linearFit, median, round } = require("./lib/stats");
const { renderMarkdown } = require("./lib/report");
const { timedOperation } = require("./lib/timed-operation");

const OPERATIONS = ["up", "refresh", "destroy"];
/** The provider's default in-flight limit before the per-tenant limit; the `before` variant pins it through config. */
const BEFORE_MAX_IN_FLIGHT = 8;
/** Sequential round trips per resource: create is POST then GET, read two concurrent GETs, delete two DELETEs. */
const ROUND_TRIPS = { up: 2, refresh: 1, destroy: 2 };
/** The `nodeHttp` experiment: the client's transport with node:http instead of axios (bench/experiments). */
const NODE_HTTP_TRANSPORT = path.join(__dirname, "experiments", "node-http-transport.js");

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      "max-n": { type: "string" },
      "out-dir": { type: "string" },
      render: { type: "boolean", default: false },
    },
  });
  return {
    render: values.render,
    quick: values.quick,
    maxN: values["max-n"] === undefined ? Infinity : Number(values["max-n"]),
    outDir:
      values["out-dir"] ??
      (values.quick && !values.write ? path.join(os.tmpdir(), "pulumi-immuta-bench-quick") : undefined),
  };
}

/**
 * The cells to run. Full: N ∈ {10, 100, 500} × latency ∈ {0, 50} ms × parallelism ∈ {default, 32}: 3 repetitions
 * for N ≤ 100 (the median is reported), 5 for the target cells (N = 100, 50 ms), 1 for N = 500 (up to a minute per
 * operation and variant). Quick: N ∈ {10, 100} at 50 ms and the default parallelism, once.
 */
function matrix({ quick, maxN }) {
  const cells = [];
  const ns = quick ? [10, 100] : [10, 100, 500];
  const latencies = quick ? [50] : [0, 50];
  const parallels = quick ? [null] : [null, 32];
  for (const n of ns.filter((value) => value <= maxN)) {
    for (const latencyMs of latencies) {
      for (const parallel of parallels) {
        const variants = ["ours", "floorA", "floorB"];
        if (n === 100 && latencyMs === 50) variants.splice(1, 0, "before", "nodeHttp");
        if (n === 500 && latencyMs === 0 && parallel === null) variants.splice(2, 0, "noopSerialized");
        const target = n === 100 && latencyMs === 50;
        cells.push({ n, latencyMs, parallel, reps: quick || n >= 500 ? 1 : target ? 5 : 3, variants });
      }
    }
  }
  return cells;
}

/** Rotates `items` by `by` (repetition r starts with a different variant), reversing every other repetition. */
function rotation(items, by) {
  const rotated = items.map((_, index) => items[(index + by) % items.length]);
  return by % 2 === 1 ? rotated.reverse() : rotated;
}

/** `GET /dataSource/{id}` for `GET /dataSource/12`: request kinds without their ids. */
function requestKind(entry) {
  return `${entry.method} ${entry.path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
}

function summarizeRequests(entries, n) {
  const byKind = {};
  for (const entry of entries) byKind[requestKind(entry)] = (byKind[requestKind(entry)] ?? 0) + 1;
  return {
    total: entries.length,
    perResource: n > 0 ? round(entries.length / n, 3) : null,
    byKind,
    failed: entries.filter((entry) => entry.status === 0 || entry.status >= 400).length,
  };
}

/** Sizes in the exported state (JSON as `pulumi stack export` prints it) of one program's resources. */
async function stateSizes(handle, n, typeMatch) {
  const exported = await handle.stack.exportStack();
  const resources = exported.deployment.resources ?? [];
  const ours = resources.filter((resource) => resource.type.includes(typeMatch));
  const bytes = (value) => Buffer.byteLength(JSON.stringify(value, null, 4), "utf8");
  const providerBytes = (resource) =>
    Buffer.byteLength(String(resource.inputs?.__provider ?? ""), "utf8") +
    Buffer.byteLength(String(resource.outputs?.__provider ?? ""), "utf8");
  const perResource = ours.map(bytes);
  const checkpoint = checkpointBytes(handle);
  return {
    n,
    resources: ours.length,
    bytesPerResource: {
      mean: round(perResource.reduce((s, v) => s + v, 0) / Math.max(1, ours.length), 0),
      max: perResource.length ? Math.max(...perResource) : null,
    },
    providerBytesPerResource: {
      mean: round(ours.reduce((s, r) => s + providerBytes(r), 0) / Math.max(1, ours.length), 0),
      inputs: ours[0] ? Buffer.byteLength(String(ours[0].inputs?.__provider ?? ""), "utf8") : null,
      outputs: ours[0] ? Buffer.byteLength(String(ours[0].outputs?.__provider ?? ""), "utf8") : null,
    },
    deploymentBytes: bytes(exported.deployment),
    deploymentBytesPerResource: round(bytes(exported.deployment) / Math.max(1, n), 0),
    checkpointFileBytesPerResource: checkpoint === null ? null : round(checkpoint / Math.max(1, n), 0),
  };
}

function checkpointBytes(handle) {
  const stacksDir = path.join(handle.root, "backend", ".pulumi", "stacks");
  try {
    const files = fs.readdirSync(stacksDir, { recursive: true, encoding: "utf8" });
    const file = files.find((name) => name.endsWith("bench.json"));
    return file ? fs.statSync(path.join(stacksDir, file)).size : null;
  } catch {
    return null;
  }
}

async function main() {
  const opts = options();
  if (opts.render) {
    // Only BENCHMARKS.md again, from the results already written (after a change of the report's text).
    const resultsPath = path.join(opts.outDir ?? __dirname, "results.json");
    const markdownPath = opts.outDir
      ? path.join(opts.outDir, "BENCHMARKS.md")
      : path.join(REPO_ROOT, "BENCHMARKS.md");
    fs.writeFileSync(markdownPath, renderMarkdown(JSON.parse(fs.readFileSync(resultsPath, "utf8"))));
    console.error(`rendered ${markdownPath} from ${resultsPath}`);
    return;
  }
  const started = new Date();
  const log = (line) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
  const machine = machineInfo();
  log(`machine: ${machine.nproc} CPUs, ${machine.memTotalMiB} MiB, ${machine.node}, ${machine.pulumi}`);

  const emulator = await startEmulatorProcess();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-bench-"));
  const sampler = new ProcSampler(200);
  const floorB = {};
  const engineHandles = {};
  try {
    const stackFor = async (name, program, config = {}, transport = undefined) => {
      const handleRoot = path.join(root, name);
      const handle = await createBenchStack({
        program,
        root: handleRoot,
        immutaUrl: program === "immuta" ? emulator.url : undefined,
        apiKey: emulator.apiKey,
      });
      handle.root = handleRoot;
      if (transport) {
        const target = path.join(handle.programDir, "node_modules/pulumi-immuta", CLIENT_TRANSPORT_MODULE);
        if (!fs.existsSync(target))
          throw new Error(
            `${CLIENT_TRANSPORT_MODULE} is not in the built package: set CLIENT_TRANSPORT_MODULE in ` +
              "bench/lib/package-layout.js to where the API client's transport module is now",
          );
        // A new file, not a write through the hard link into the repository's dist.
        fs.rmSync(target);
        fs.copyFileSync(transport, target);
      }
      await handle.setConfig("bench:namePrefix", name);
      for (const [key, value] of Object.entries(config)) await handle.setConfig(key, value);
      return handle;
    };
    engineHandles.ours = await stackFor("ours", "immuta");
    engineHandles.before = await stackFor("before", "immuta", { "immuta:maxInFlight": BEFORE_MAX_IN_FLIGHT });
    engineHandles.nodeHttp = await stackFor("nodehttp", "immuta", {}, NODE_HTTP_TRANSPORT);
    engineHandles.floorA = await stackFor("noop", "noop");
    engineHandles.noopSerialized = await stackFor("noopser", "noop", { "bench:serializedProvider": true });
    const callsHandle = await stackFor("calls", "immuta");

    // Warm-up (file cache, CLI, node_modules) for both programs, then the API-call scenario (also a warm-up).
    for (const handle of [engineHandles.ours, engineHandles.floorA]) {
      await handle.setCount(2);
      await handle.stack.up();
      await handle.stack.destroy();
    }
    log("API calls per operation");
    const apiCalls = await apiCallScenario({ handle: callsHandle, emulator, log });

    const runs = [];
    const states = [];
    const cells = matrix(opts);
    const parallelLabel = (parallel) => parallel ?? `default (${machine.engineDefaultParallel})`;
    for (const cell of cells) {
      log(
        `cell N=${cell.n} latency=${cell.latencyMs}ms parallel=${parallelLabel(cell.parallel)} ×${cell.reps}`,
      );
      await emulator.setLatency(cell.latencyMs);
      for (const variant of cell.variants)
        if (engineHandles[variant]) await engineHandles[variant].setCount(cell.n);
      const parallel = cell.parallel ?? machine.engineDefaultParallel;
      const engineOpts = cell.parallel ? { parallel: cell.parallel } : {};
      const samples = [];
      for (let rep = 0; rep < cell.reps; rep++) {
        const order = rotation(cell.variants, rep);
        floorB.current = new RawFloor({ url: emulator.url, apiKey: emulator.apiKey, parallel });
        try {
          for (const operation of OPERATIONS) {
            for (const variant of order) {
              await emulator.control.clearRequests();
              const load = os.loadavg()[0];
              let sample;
              if (variant === "floorB") {
                const t = performance.now();
                await floorB.current[operation](cell.n);
                sample = { seconds: (performance.now() - t) / 1000 };
              } else {
                sampler.start();
                let peakRssMiB;
                try {
                  sample = await timedOperation(engineHandles[variant].stack, operation, engineOpts);
                } finally {
                  peakRssMiB = sampler.stop();
                }
                sample.peakRssMiB = peakRssMiB;
              }
              sample.requests = summarizeRequests(await emulator.requests(), cell.n);
              sample.loadAverage = round(load, 2);
              samples.push({ rep, variant, operation, ...sample });
              log(
                `  rep ${rep} ${operation} ${variant}: ${sample.seconds.toFixed(2)} s` +
                  (sample.peakRssMiB ? `, provider ${sample.peakRssMiB.provider} MiB` : "") +
                  `, ${sample.requests.total} requests`,
              );
            }
            // State after the first refresh of each N: the largest state (awsLocationPath is filled in).
            if (operation === "refresh" && rep === 0 && !states.some((s) => s.n === cell.n)) {
              states.push({
                n: cell.n,
                ours: await stateSizes(engineHandles.ours, cell.n, "immuta:S3DataSource"),
                floorA: await stateSizes(engineHandles.floorA, cell.n, "bench:Noop"),
                ...(cell.variants.includes("noopSerialized")
                  ? { noopSerialized: await stateSizes(engineHandles.noopSerialized, cell.n, "bench:Noop") }
                  : {}),
              });
            }
          }
        } finally {
          floorB.current.close();
        }
      }
      for (const operation of OPERATIONS)
        runs.push(cellResult(cell, parallel, parallelLabel(cell.parallel), operation, samples));
    }

    const results = {
      schema: 1,
      date: started.toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 0),
      commands: {
        full: "npm run bench   # = npm run build && node bench/run.js",
        quick: "npm run build && node bench/run.js --quick [--write]",
        thisRun: `node bench/run.js ${process.argv.slice(2).join(" ")}`.trim(),
      },
      quick: opts.quick,
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
      method: {
        engineSeconds: "wall time of the pulumi up|refresh|destroy --yes --skip-preview process",
        floorA:
          "bench/programs/noop: N dynamic resources whose create/read/delete return at once, with a one-line __provider as ours",
        noopSerialized:
          "floor (a) with the SDK's serialization of the provider's code in __provider (N=500, 0 ms, default P)",
        floorB: "the same API requests by ImmutaClient alone, P operations at once, maxInFlight 2·P",
        before: `ours with immuta:maxInFlight=${BEFORE_MAX_IN_FLIGHT} (the provider's default before the fix)`,
        latency: "emulator fault rule {kind: latency} on every Immuta API request",
        peakRss:
          "VmHWM of the dynamic-provider node process (descendant of this process), sampled every 200 ms",
        cpuSeconds: "utime + stime of the provider, engine and program processes (median of the repetitions)",
        programs: "plain JavaScript (typescript: false) for both programs",
      },
      apiCalls,
      runs,
      state: states,
      growth: growthFits(runs),
    };
    results.targets = targets(results);
    write(results, opts);
    const failed = results.targets.filter((t) => t.pass === false);
    log(
      `done in ${results.durationSeconds} s; targets missed: ${failed.length ? failed.map((t) => t.name).join("; ") : "none"}`,
    );
  } finally {
    for (const handle of Object.values(engineHandles)) {
      await handle.stack.destroy().catch(() => undefined);
    }
    await emulator.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function cellResult(cell, parallel, parallelLabel, operation, samples) {
  const ofVariant = (variant) => samples.filter((s) => s.variant === variant && s.operation === operation);
  const seconds = {};
  const perRep = {};
  const peakRssMiB = {};
  const cpuSeconds = {};
  const apiCallsPerResource = {};
  for (const variant of cell.variants) {
    const mine = ofVariant(variant);
    seconds[variant] = round(median(mine.map((s) => s.seconds)), 3);
    perRep[variant] = mine.map((s) => round(s.seconds, 3));
    if (variant !== "floorB") {
      const peaks = mine.map((s) => s.peakRssMiB?.provider).filter((v) => typeof v === "number");
      peakRssMiB[variant] = {
        provider: peaks.length ? Math.max(...peaks) : null,
        engine: maxOf(mine.map((s) => s.peakRssMiB?.engine)),
        program: maxOf(mine.map((s) => s.peakRssMiB?.program)),
      };
      // CPU time does not stretch when other work competes for the CPUs, unlike wall time.
      const cpu = (kind) => round(median(mine.map((s) => s.peakRssMiB?.cpuSeconds?.[kind])), 2);
      cpuSeconds[variant] = { provider: cpu("provider"), engine: cpu("engine"), program: cpu("program") };
    }
    if (variant !== "floorA" && variant !== "noopSerialized")
      apiCallsPerResource[variant] = mine[0]?.requests.perResource ?? null;
  }
  const ratio = (a, b) => (seconds[a] && seconds[b] ? round(seconds[a] / seconds[b], 3) : null);
  // No provider can beat the API's round trips: ceil(N / P) waves of ROUND_TRIPS sequential requests each.
  const latencySeconds = (Math.ceil(cell.n / parallel) * ROUND_TRIPS[operation] * cell.latencyMs) / 1000;
  return {
    n: cell.n,
    latencyMs: cell.latencyMs,
    parallel: cell.parallel ?? "default",
    parallelLabel: String(parallelLabel),
    operation,
    reps: cell.reps,
    seconds,
    perRep,
    ratios: {
      oursOverFloorA: ratio("ours", "floorA"),
      oursOverFloorB: ratio("ours", "floorB"),
      ...(seconds.before
        ? { beforeOverFloorA: ratio("before", "floorA"), beforeOverOurs: ratio("before", "ours") }
        : {}),
      ...(seconds.noopSerialized ? { noopSerializedOverFloorA: ratio("noopSerialized", "floorA") } : {}),
      ...(seconds.nodeHttp
        ? { nodeHttpOverFloorA: ratio("nodeHttp", "floorA"), nodeHttpOverOurs: ratio("nodeHttp", "ours") }
        : {}),
    },
    pairedRatios: {
      oursOverFloorA: round(median(pairedRatios(samples, operation, "ours", "floorA")), 3),
    },
    roundTripSeconds: latencySeconds,
    // What a provider without any overhead would take relative to floor (a), if the engine's own work did not
    // overlap the API's round trips (it partly does, so ours can come in under it): the target's reach.
    expectedRatioWithoutOverhead: seconds.floorA
      ? round((seconds.floorA + latencySeconds) / seconds.floorA, 3)
      : null,
    apiCallsPerResource,
    requestsByKind: ofVariant("ours")[0]?.requests.byKind ?? {},
    failedRequests: samples
      .filter((s) => s.operation === operation)
      .reduce((t, s) => t + s.requests.failed, 0),
    peakRssMiB,
    cpuSeconds,
    loadAverage: samples.filter((s) => s.operation === operation).map((s) => s.loadAverage),
  };
}

/** ours / floor (a) of each repetition (the two ran next to each other). */
function pairedRatios(samples, operation, a, b) {
  const reps = new Set(samples.map((s) => s.rep));
  const ratios = [];
  for (const rep of reps) {
    const x = samples.find((s) => s.rep === rep && s.operation === operation && s.variant === a);
    const y = samples.find((s) => s.rep === rep && s.operation === operation && s.variant === b);
    if (x && y) ratios.push(x.seconds / y.seconds);
  }
  return ratios;
}

function maxOf(values) {
  const numbers = values.filter((v) => typeof v === "number");
  return numbers.length ? Math.max(...numbers) : null;
}

/** Time and provider memory against N, per operation, latency, parallelism and variant (where ≥ 3 N were run). */
function growthFits(runs) {
  const fits = [];
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.operation}|${run.latencyMs}|${run.parallel}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(run);
  }
  for (const group of groups.values()) {
    const ns = new Set(group.map((run) => run.n));
    if (ns.size < 3) continue;
    const { operation, latencyMs, parallel, parallelLabel } = group[0];
    for (const variant of ["ours", "floorA", "floorB"]) {
      const time = linearFit(
        group.filter((r) => r.seconds[variant] != null).map((r) => ({ x: r.n, y: r.seconds[variant] })),
      );
      const memory =
        variant === "floorB"
          ? null
          : linearFit(
              group
                .filter((r) => r.peakRssMiB[variant]?.provider != null)
                .map((r) => ({ x: r.n, y: r.peakRssMiB[variant].provider })),
            );
      fits.push({
        operation,
        latencyMs,
        parallel,
        parallelLabel,
        variant,
        points: group.map((r) => ({
          n: r.n,
          seconds: r.seconds[variant],
          providerMiB: r.peakRssMiB[variant]?.provider ?? null,
        })),
        time: time && {
          secondsPerResource: round(time.slope, 5),
          interceptSeconds: round(time.intercept, 3),
          r2: round(time.r2, 4),
        },
        memory: memory && {
          mibPerResource: round(memory.slope, 4),
          interceptMiB: round(memory.intercept, 1),
          r2: round(memory.r2, 4),
        },
      });
    }
  }
  return fits;
}

const LINEAR_R2 = 0.95;

function targets(results) {
  const list = [];
  const add = (name, target, value, pass) => list.push({ name, target, value, pass });
  const calls = results.apiCalls;
  add("API calls: create", "≤ 2 per resource", calls.create.perResource, calls.create.perResource <= 2);
  add(
    "API calls: read",
    "≤ 2 per resource, concurrent",
    `${calls.read.perResource}, ${calls.read.concurrent ? "concurrent" : "sequential"}`,
    calls.read.perResource <= 2 && calls.read.concurrent === true,
  );
  add("API calls: delete", "exactly 2 per live source", calls.delete.perSource, calls.delete.exactlyTwoEach);
  add("API calls: check and diff", "0", calls.checkDiff.total, calls.checkDiff.total === 0);
  const lookUps = Math.max(calls.create.integrationLookUps.max, calls.read.integrationLookUps.max);
  add("API calls: integration look-ups (up, refresh)", "≤ 1 per integration per run", lookUps, lookUps <= 1);
  for (const run of results.runs.filter((r) => r.n === 100 && r.latencyMs === 50)) {
    const ratio = run.ratios.oursOverFloorA;
    add(
      `ours / floor (a), ${run.operation}, N=100, 50 ms, parallel ${run.parallelLabel} (zero-overhead estimate ${run.expectedRatioWithoutOverhead})`,
      "≤ 1.3",
      ratio,
      ratio !== null && ratio <= 1.3,
    );
  }
  for (const state of results.state) {
    const value = state.ours.bytesPerResource.max;
    add(
      `state bytes per resource (max, incl. __provider ${state.ours.providerBytesPerResource.mean} B), N=${state.n}`,
      "≤ 3072",
      value,
      value <= 3072,
    );
  }
  const at500 = results.runs
    .filter((r) => r.n === 500)
    .map((r) => r.peakRssMiB.ours?.provider)
    .filter((v) => v != null);
  if (at500.length) {
    const peak = Math.max(...at500);
    add("provider peak RSS at N=500 (MiB)", "≤ 300", peak, peak <= 300);
  }
  for (const fit of results.growth.filter((f) => f.variant === "ours")) {
    const label = `${fit.operation}, ${fit.latencyMs} ms, parallel ${fit.parallelLabel}`;
    if (fit.time)
      add(`time linear in N (R²), ${label}`, `≥ ${LINEAR_R2}`, fit.time.r2, fit.time.r2 >= LINEAR_R2);
  }
  return list;
}

function write(results, { outDir }) {
  const resultsPath = outDir ? path.join(outDir, "results.json") : path.join(__dirname, "results.json");
  const markdownPath = outDir ? path.join(outDir, "BENCHMARKS.md") : path.join(REPO_ROOT, "BENCHMARKS.md");
  fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
  fs.writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(markdownPath, renderMarkdown(results));
  console.error(`wrote ${resultsPath} and ${markdownPath}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
