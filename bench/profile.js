#!/usr/bin/env node
"use strict";
/**
 * Where the time goes: `up`, `refresh` and `destroy` of N resources at 0 ms API latency and the engine's default
 * parallelism, ours and floor (a) side by side in one run (interleaved, as bench/run.js does), and per phase:
 *  - CPU seconds of the engine (the `pulumi` process), the language host (`pulumi-language-nodejs` and the
 *    program's node process) and the dynamic-provider process;
 *  - the provider's CPU split by kind of work (module loading, validation, HTTP, JSON, gRPC, the Pulumi SDK, our own
 *    code, GC, other), from a V8 CPU profile of that process (bench/lib/profile/cpu-categories.js), and the
 *    program's the same way;
 *  - the provider's peak resident memory;
 *  - how often the engine wrote the stack's checkpoint, and how many bytes (bench/lib/profile/checkpoint-watch.js);
 *  - state bytes per resource.
 * Writes Markdown meant to become docs/performance.md to stdout, or to --out.
 *
 *   npm run build && node bench/profile.js --out docs/performance.md     # N = 500 and 1,000: about 12 minutes
 *   node bench/profile.js --n 100 --variants ours,floorA                 # a quick look (about 2 minutes)
 *   node bench/profile.js --reps 3 --json /tmp/profile.json              # medians of 3, and the raw figures
 *   node bench/profile.js --keep-profiles /tmp/profiles                  # keep the .cpuprofile files (DevTools)
 *   node bench/profile.js --from-json /tmp/profile.json --out docs/performance.md   # render again, run nothing
 *   node bench/profile.js --from-json /tmp/profile.json --keep-profiles /tmp/profiles  # ... splitting CPU again
 *
 * Variants: ours (bench/programs/immuta), floorA (bench/programs/noop, the engine's floor) and, by default,
 * noopSerialized (floor (a) storing the SDK's serialization of its provider, a larger state for the same work:
 * what state size alone costs the engine). The provider and program processes of every variant run under the
 * profiler (a preload, bench/lib/profile/preload.js, through NODE_OPTIONS), so their wall times carry its overhead alike;
 * bench/run.js measures the unprofiled ratios. Like bench/run.js it refuses to start while the 1-minute load
 * average is above 1.5, unless --allow-load.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");
const { startEmulatorProcess } = require("./lib/emulator");
const { LoadTooHighError, loadAtStart } = require("./lib/load-gate");
const { machineInfo } = require("./lib/machine");
const { rotation } = require("./lib/matrix");
const { ProcSampler } = require("./lib/proc-sampler");
const { CheckpointWatch } = require("./lib/profile/checkpoint-watch");
const { categorize } = require("./lib/profile/cpu-categories");
const { renderProfile } = require("./lib/profile/render");
const { checkpointFile, stateSizes } = require("./lib/state-size");
const { round } = require("./lib/stats");
const { timedOperation } = require("./lib/timed-operation");
const { variantStack } = require("./lib/variants");

const OPERATIONS = ["up", "refresh", "destroy"];
const PRELOAD = path.join(__dirname, "lib", "profile", "preload.js");
/** The programs and type tokens of the variants this script knows. */
const VARIANTS = {
  ours: { program: "immuta", type: "immuta:S3DataSource" },
  floorA: { program: "noop", type: "bench:Noop" },
  noopSerialized: { program: "noop", type: "bench:Noop", config: { "bench:serializedProvider": true } },
};

function options() {
  const { values } = parseArgs({
    options: {
      n: { type: "string", default: "500,1000" },
      variants: { type: "string", default: "ours,floorA,noopSerialized" },
      reps: { type: "string", default: "1" },
      out: { type: "string" },
      json: { type: "string" },
      "from-json": { type: "string" },
      "keep-profiles": { type: "string" },
      "allow-load": { type: "boolean", default: false },
    },
  });
  const variants = values.variants.split(",");
  for (const variant of variants)
    if (!VARIANTS[variant])
      throw new Error(`unknown variant ${variant}: one of ${Object.keys(VARIANTS).join(", ")}`);
  if (!variants.includes("ours") || !variants.includes("floorA"))
    throw new Error("--variants must include ours and floorA: the profile compares them");
  return {
    ns: values.n.split(",").map(Number),
    variants,
    reps: Math.max(1, Number(values.reps)),
    out: values.out,
    json: values.json,
    fromJson: values["from-json"],
    keepProfiles: values["keep-profiles"],
    allowLoad: values["allow-load"],
  };
}

/**
 * The CPU of `role`'s processes (`cpuSeconds`, exact) split by kind of work, from their profiles in `dir`: where
 * the JavaScript thread's samples fell says how the process's CPU time, GC and compiler threads included, shares
 * out. `{}` when there is no profile.
 */
function splitProfiles(dir, role, { cpuSeconds }) {
  const profiles = fs.readdirSync(dir).filter((f) => f.startsWith(`${role}-`) && f.endsWith(".cpuprofile"));
  if (profiles.length === 0) return {};
  const categories = {};
  let busyMs = 0;
  for (const file of profiles) {
    const split = categorize(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
    for (const [key, ms] of Object.entries(split.ms)) categories[key] = (categories[key] ?? 0) + ms;
    busyMs += split.busyMs;
  }
  const scale = busyMs > 0 ? (cpuSeconds * 1000) / busyMs : 0;
  return {
    categoriesMs: Object.fromEntries(
      Object.entries(categories).map(([key, ms]) => [key, round(ms * scale, 0)]),
    ),
    profiledMs: round(busyMs, 0),
  };
}

/** Where --keep-profiles puts the profiles of one measurement. */
const keptProfilesDir = (root, { n, operation, variant, rep }) =>
  path.join(root, `n${n}-${operation}-${variant}-rep${rep}`);

/**
 * A profile written by an earlier run, its CPU split again from the profiles it kept (after a change of the
 * categories), when `keptRoot` is given.
 */
function reread(file, keptRoot) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  if (keptRoot)
    for (const measurement of profile.measurements)
      for (const role of ["provider", "program"])
        if (measurement[role]?.cpuSeconds != null)
          Object.assign(
            measurement[role],
            splitProfiles(keptProfilesDir(keptRoot, measurement), role, measurement[role]),
          );
  return profile;
}

/**
 * What the preload recorded in `dir` for the processes of one operation, per role (provider, program): CPU seconds
 * and peak RSS, and the CPU split by kind of work (bench/lib/profile/cpu-categories.js). The files are removed
 * (copied to `keepAs` first, when given).
 */
function preloadRecords(dir, keepAs) {
  const files = fs.readdirSync(dir);
  const result = { provider: null, program: null };
  for (const file of files.filter((f) => f.endsWith(".json"))) {
    const record = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const into = (result[record.role] ??= { processes: 0, cpuSeconds: 0, peakRssMiB: 0 });
    into.processes += 1;
    into.cpuSeconds += record.userSeconds + record.systemSeconds;
    into.peakRssMiB = Math.max(into.peakRssMiB, round(record.maxRssKiB / 1024, 1));
  }
  for (const [role, into] of Object.entries(result))
    if (into) Object.assign(into, splitProfiles(dir, role, into));
  if (keepAs) {
    fs.mkdirSync(keepAs, { recursive: true });
    for (const file of files.filter((f) => f.endsWith(".cpuprofile")))
      fs.copyFileSync(path.join(dir, file), path.join(keepAs, file));
  }
  for (const file of files) fs.rmSync(path.join(dir, file));
  return result;
}

function output(markdown, out) {
  if (out) fs.writeFileSync(out, markdown);
  else process.stdout.write(markdown);
}

async function main() {
  const opts = options();
  if (opts.fromJson) return output(renderProfile(reread(opts.fromJson, opts.keepProfiles)), opts.out);
  const command = `node bench/profile.js ${process.argv.slice(2).join(" ")}`.trim();
  const load = loadAtStart({ allowLoad: opts.allowLoad, command });
  const started = new Date();
  const log = (line) => console.error(`[profile ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
  const machine = machineInfo();
  log(`load average at start: ${load.loadAverage.join(", ")}${load.loaded ? " (loaded: --allow-load)" : ""}`);

  const emulator = await startEmulatorProcess();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-profile-"));
  const sampler = new ProcSampler(100);
  const handles = {};
  const profileDirs = {};
  try {
    for (const variant of opts.variants) {
      profileDirs[variant] = path.join(root, "profiles", variant);
      fs.mkdirSync(profileDirs[variant], { recursive: true });
      handles[variant] = await variantStack(
        { root, emulator },
        variant.toLowerCase(),
        VARIANTS[variant].program,
        {
          config: VARIANTS[variant].config,
          env: { NODE_OPTIONS: `--require ${PRELOAD}`, BENCH_PROFILE_DIR: profileDirs[variant] },
        },
      );
    }
    // Warm-up: file cache, CLI, node_modules.
    for (const variant of opts.variants) {
      await handles[variant].setCount(2);
      await handles[variant].stack.up();
      await handles[variant].stack.destroy();
      preloadRecords(profileDirs[variant]);
    }

    const measurements = [];
    const states = [];
    for (const n of opts.ns) {
      for (const variant of opts.variants) await handles[variant].setCount(n);
      for (let rep = 0; rep < opts.reps; rep++) {
        for (const operation of OPERATIONS) {
          for (const variant of rotation(opts.variants, rep)) {
            const handle = handles[variant];
            const watch = new CheckpointWatch(checkpointFile(handle.root), path.join(handle.root, "backend"));
            watch.start();
            sampler.start();
            let timed;
            let processes;
            try {
              timed = await timedOperation(handle.stack, operation, {});
            } finally {
              processes = sampler.stop();
            }
            const checkpoint = await watch.stop();
            const keepAs =
              opts.keepProfiles && keptProfilesDir(opts.keepProfiles, { n, operation, variant, rep });
            const records = preloadRecords(profileDirs[variant], keepAs);
            const measurement = {
              n,
              variant,
              operation,
              rep,
              seconds: round(timed.seconds, 2),
              treeCpuSeconds: round(timed.treeCpuSeconds, 2),
              sampledCpuSeconds: processes.cpuSeconds,
              provider: records.provider ?? {
                // No record: the process did not end through the preload (killed); sampled figures instead.
                cpuSeconds: processes.cpuSeconds.provider ?? null,
                peakRssMiB: processes.provider,
                sampled: true,
              },
              program: records.program,
              checkpoint,
              loadAverage: round(os.loadavg()[0], 2),
            };
            measurements.push(measurement);
            log(
              `N=${n} rep ${rep} ${operation} ${variant}: ${measurement.seconds} s, engine ` +
                `${processes.cpuSeconds.engine ?? "–"} s CPU, provider ${round(measurement.provider.cpuSeconds, 2)} s, ` +
                `${checkpoint.writes} checkpoint writes, load ${measurement.loadAverage}`,
            );
          }
          if (operation === "refresh" && rep === 0) {
            const state = { n };
            for (const variant of opts.variants)
              state[variant] = await stateSizes(handles[variant], n, VARIANTS[variant].type);
            states.push(state);
          }
        }
      }
    }

    const profile = {
      date: started.toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 0),
      command,
      load: { ...load, atEnd: os.loadavg().map((v) => round(v, 2)) },
      machine,
      latencyMs: 0,
      parallel: machine.engineDefaultParallel,
      reps: opts.reps,
      variants: opts.variants,
      ns: opts.ns,
      measurements,
      states,
    };
    if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(profile, null, 2)}\n`);
    output(renderProfile(profile), opts.out);
    log(`done in ${profile.durationSeconds} s${opts.out ? `: ${opts.out}` : ""}`);
  } finally {
    for (const handle of Object.values(handles)) await handle.stack.destroy().catch(() => undefined);
    await emulator.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  if (error instanceof LoadTooHighError) {
    console.error(`bench/profile.js: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
