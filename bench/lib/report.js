"use strict";
/**
 * BENCHMARKS.md from bench/results.json: every table and figure is generated; only the explanations are fixed
 * text. A cell shows the median of its repetitions with their range in parentheses; on a run allowed on a loaded
 * machine every ratio carries LOADED_MARK.
 */
const { GROWTH_LIMIT } = require("./growth");
const { LIMITS } = require("./targets");

const LOADED_MARK = "‡";

/** Outputs that repeat an input but that something reads, and what. */
const NEEDED_REPEATS = { __provider: "the engine's dynamic-provider host loads the provider from it" };

const fmt = (value, digits = 2) =>
  value === null || value === undefined
    ? "–"
    : typeof value !== "number"
      ? String(value)
      : Number.isInteger(value)
        ? String(value)
        : value.toFixed(digits);
const pass = (ok) => (ok === true ? "✅" : ok === false ? "❌" : "–");
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (header, rows) => [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const isSummary = (value) => value !== null && typeof value === "object" && "median" in value;

/** Formatting that depends on the run: ratios carry the loaded mark when the machine was loaded. */
function formats(results) {
  const mark = results.load.loaded ? LOADED_MARK : "";
  const range = (s, digits) => (s.min === s.max ? "" : ` (${fmt(s.min, digits)}–${fmt(s.max, digits)})`);
  return {
    mark,
    /** "12.31 (11.90–13.02)" from a summary; a plain number as it is. */
    seconds: (s, digits = 2) =>
      s == null ? "–" : isSummary(s) ? `${fmt(s.median, digits)}${range(s, digits)}` : fmt(s, digits),
    /** "**1.21**‡ (1.15–1.30)": a ratio, bold when it is the one a target reads. */
    ratio: (s, { bold = false, digits = 2 } = {}) => {
      if (s == null) return "–";
      const value = isSummary(s) ? s.median : s;
      const shown = bold ? `**${fmt(value, digits)}**` : fmt(value, digits);
      return `${shown}${mark}${isSummary(s) ? range(s, digits) : ""}`;
    },
  };
}

function loadNotice(results) {
  if (!results.load.loaded) return [];
  return [
    `> **Measured on a loaded machine**: the 1-minute load average was ${results.load.loadAverage[0]} at the start,`,
    `> above ${results.load.limit} (\`--allow-load\`). Every ratio marked ${LOADED_MARK} may be off by the noise of`,
    "> other work; measure again on a quiet machine before drawing conclusions.",
    "",
  ];
}

function summarySection(results, f) {
  const lines = [];
  const met = results.targets.filter((t) => t.pass === true);
  const missed = results.targets.filter((t) => t.pass === false);
  lines.push(
    `- Targets: ${met.length} met, ${missed.length} missed` +
      (missed.length ? "; each missed one says why in [Targets](#targets)." : "."),
  );
  const scale = results.runs.filter(
    (r) => r.n === LIMITS.scaleN && r.latencyMs === 0 && r.parallel === "default",
  );
  if (scale.length) {
    lines.push(
      `- At N = ${LIMITS.scaleN} and 0 ms (only CPU counts), ours / floor (a): ${scale
        .map((r) => `${r.operation} ${f.ratio(r.ratios.oursOverFloorA)}`)
        .join(", ")}; CPU seconds of the engine, ours against floor (a): ${scale
        .map(
          (r) =>
            `${r.operation} ${fmt(r.cpuSeconds.ours?.engine, 1)} / ${fmt(r.cpuSeconds.floorA?.engine, 1)}`,
        )
        .join(", ")}; of the provider process: ${scale
        .map((r) => `${fmt(r.cpuSeconds.ours?.provider, 1)} / ${fmt(r.cpuSeconds.floorA?.provider, 1)}`)
        .join(", ")}.`,
    );
  }
  const bound = results.runs.filter((r) => r.n === 100 && r.latencyMs === 50);
  if (bound.length) {
    lines.push(
      `- At N = 100 and 50 ms, ours / floor (a) against the zero-overhead estimate: ${bound
        .map(
          (r) =>
            `${r.operation} at parallel ${r.parallelLabel} ${f.ratio(r.ratios.oursOverFloorA)} against ` +
            fmt(r.expectedRatioWithoutOverhead),
        )
        .join("; ")}.`,
    );
  }
  const fix = bound.filter((r) => r.ratios.beforeOverOurs && r.operation === "refresh");
  if (fix.length) {
    lines.push(
      `- In-flight limit 8 → 64 (\`immuta:maxInFlight\`): refresh ${fix
        .map((r) => `${f.ratio(r.ratios.beforeOverOurs)}× faster at parallel ${r.parallelLabel}`)
        .join(", ")} (same run).`,
    );
  }
  return ["## Summary", "", ...lines].join("\n");
}

function machineSection(results) {
  const m = results.machine;
  const load = results.load;
  return [
    "## Machine",
    "",
    table(
      ["", ""],
      [
        ["Date", results.date],
        ["CPUs (`nproc`)", m.nproc],
        ["CPU", m.cpuModel ?? "–"],
        ["Memory", `${m.memTotalMiB} MiB`],
        ["OS", m.os],
        ["Node.js", m.node],
        ["Go", m.go ?? "–"],
        [
          "Pulumi CLI",
          `${m.pulumi} (built from Go modules by scripts/provision-pulumi.sh, project language host)`,
        ],
        ["@pulumi/pulumi", m.pulumiSdk],
        ["Engine default `--parallel`", `${m.engineDefaultParallel} (4 × GOMAXPROCS)`],
        [
          "Load average (1, 5, 15 min) at start / end",
          `${load.loadAverage.join(", ")} / ${load.atEnd.join(", ")}` +
            (load.loaded ? ` (above ${load.limit}: loaded, \`--allow-load\`)` : ` (limit ${load.limit})`),
        ],
        ["Duration of the run", `${results.durationSeconds} s`],
      ],
    ),
    "",
    "The machine's CPUs may be shared with other workloads, so absolute times move from run to run. A run refuses",
    `to start while the 1-minute load average is above ${load.limit}; the variants are interleaved per operation with`,
    "a rotating order so that what noise remains hits all of them, every cell is the median of its repetitions",
    "with their range in parentheses, and the ratios (paired per repetition) are what to compare. The load average",
    "at the start of every sample is in `bench/results.json`.",
  ].join("\n");
}

function commandsSection(results) {
  return [
    "## Commands",
    "",
    "```sh",
    "npm ci                                  # once",
    "npm run bench                           # = npm run build && node bench/run.js (full matrix)",
    "npm run build && node bench/run.js --quick          # smaller matrix, written to a temporary folder",
    "npm run build && node bench/run.js --quick --write  # ... written here instead",
    "npm run build && node bench/run.js --max-n 500      # full matrix without N = 1,000",
    "node bench/run.js --allow-load                      # on a busy machine: every ratio is marked",
    "node bench/run.js --render                          # this file again from bench/results.json",
    "npm run build && node bench/profile.js              # where the time goes (docs/performance.md)",
    "```",
    "",
    `This file was written by \`${results.commands.thisRun}\`${results.quick ? " (quick matrix)" : ""}; the same data is in`,
    `\`bench/results.json\` (\`schema: ${results.schema}\`), for comparing a later run with this one.`,
  ].join("\n");
}

function targetsSection(results, f) {
  const measured = (t) => (isSummary(t.value) ? f.ratio(t.value) : fmt(t.value, 2));
  return [
    "## Targets",
    "",
    "Every target met (✅), or missed (❌) with what the same run measured around it.",
    "",
    table(
      ["Target", "Wanted", "Measured", "", "Why missed"],
      results.targets.map((t) => [t.name, t.target, measured(t), pass(t.pass), t.explanation ?? ""]),
    ),
  ].join("\n");
}

function lookUpsOf(operation) {
  const counts = Object.entries(operation.integrationLookUps?.perIntegration ?? {});
  if (counts.length === 0) return "none";
  return counts.map(([path, count]) => `${count} × \`GET ${path}\``).join(", ");
}

function apiCallsSection(results) {
  const c = results.apiCalls;
  const kinds = (byKind) =>
    Object.entries(byKind)
      .map(([kind, count]) => `${count} × \`${kind}\``)
      .join(", ") || "none";
  const d = c.read.evidence.direct;
  const e = c.read.evidence.engine;
  return [
    "## API calls per operation",
    "",
    `Counted from the emulator's request log, through the engine, for a stack of ${c.n} sources.`,
    "",
    table(
      ["Operation", "Engine command", "Requests per resource", "Requests"],
      [
        ["create", "`up` (new stack)", fmt(c.create.perResource, 1), kinds(c.create.byKind)],
        ["read", "`refresh`", fmt(c.read.perResource, 1), kinds(c.read.byKind)],
        ["delete", "`destroy`", `${c.delete.perSource} per source`, kinds(c.delete.byKind)],
        [
          "check, diff",
          "`preview` and `up` without changes; `preview` replacing every source",
          "0",
          `${c.checkDiff.previewWithoutChanges.requests} + ${c.checkDiff.upWithoutChanges.requests} + ${c.checkDiff.previewReplacingAll.requests} (replace preview: ${JSON.stringify(c.checkDiff.previewReplacingAll.changes)})`,
        ],
      ],
    ),
    "",
    "Requests per resource leave out `GET /integrations/{id}`: a run learns each integration's location once",
    `(this run: ${lookUpsOf(c.create)} during \`up\`, ${lookUpsOf(c.read)} during \`refresh\`).`,
    "",
    `Read's two GETs are concurrent: with ${d.latencyMs} ms latency on every request, one \`read\` of the provider took`,
    `${fmt(d.elapsedMs, 0)} ms while its requests (${d.requests.join(", ")}) took ${d.durationsMs.join(" ms and ")} ms in the`,
    `emulator's log, an overlap of ${fmt(d.overlapMs, 0)} ms (sequential requests would take ≈ ${2 * d.latencyMs} ms). Through the`,
    `engine, ${e.latencyMs} ms latency added ${fmt(e.extraSeconds, 2)} s to a \`refresh\` of ${e.n} sources (best of 2 against best of`,
    `2 without latency; sequential GETs would add ≈ ${(2 * e.latencyMs) / 1000} s).`,
  ].join("\n");
}

function engineSection(results, f) {
  const cells = [
    ...new Set(results.runs.map((r) => `N=${r.n}, ${r.latencyMs} ms, parallel ${r.parallelLabel}`)),
  ];
  return [
    "## Engine overhead",
    "",
    "Seconds of the `pulumi <operation> --yes --skip-preview` process, median of `Reps` repetitions (range), ours",
    "against (a) N no-op dynamic resources (`bench/programs/noop`, the engine's own floor, with a one-line",
    "`__provider` as ours) and (b) the same API requests sent by the client alone at the engine's concurrency (the",
    "raw API floor, no engine). Ratios are the median (range) of the ratios of each repetition.",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Reps",
        "Ours s",
        "Floor (a) s",
        "Floor (b) s",
        "Ours / (a)",
        "Zero-overhead estimate",
        "Ours / (b)",
        "API calls / resource",
      ],
      results.runs.map((r) => [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        r.reps,
        f.seconds(r.seconds.ours),
        f.seconds(r.seconds.floorA),
        f.seconds(r.seconds.floorB),
        f.ratio(r.ratios.oursOverFloorA, { bold: true }),
        fmt(r.expectedRatioWithoutOverhead),
        f.ratio(r.ratios.oursOverFloorB, { digits: 1 }),
        fmt(r.apiCallsPerResource.ours, 1),
      ]),
    ),
    "",
    "*Zero-overhead estimate*: (floor (a) + the API's own round trips) / floor (a), the round trips being ⌈N / P⌉",
    "waves of 2 (create: POST then GET; destroy: DELETE then DELETE) or 1 (refresh: two concurrent GETs) sequential",
    "requests — what a provider costing nothing would show if the engine's own work did not overlap those waits",
    "(it partly does, so a measurement can come in under it). The gap between the two ratio columns is what our",
    "provider costs.",
    "",
    `Cells run: ${cells.join("; ")}.`,
  ].join("\n");
}

function cpuSection(results) {
  const rows = results.runs
    .filter((r) => r.cpuSeconds?.ours?.provider != null && r.cpuSeconds?.floorA?.provider != null)
    .map((r) => {
      const o = r.cpuSeconds.ours;
      const a = r.cpuSeconds.floorA;
      const extra = o.provider - a.provider;
      return [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        `${fmt(o.engine)} / ${fmt(a.engine)}`,
        `${fmt(o.provider)} / ${fmt(a.provider)}`,
        ((extra * 1000) / r.n).toFixed(1),
        `${fmt(o.program)} / ${fmt(a.program)}`,
        `${fmt(o.languageHost)} / ${fmt(a.languageHost)}`,
        `${fmt(o.tree)} / ${fmt(a.tree)}`,
      ];
    });
  if (rows.length === 0) return "";
  return [
    "### CPU time",
    "",
    "Wall time stretches when other work competes for the CPUs; CPU time much less. CPU seconds (user + system,",
    "median of the repetitions), ours / floor (a), of the `pulumi` engine process, the dynamic-provider process, the",
    "program's node process and the language host, sampled every 200 ms (a process's last 200 ms may be missed), and",
    "the exact total of the `pulumi` process with everything it started. `bench/profile.js` splits the provider's",
    "CPU by kind of work ([docs/performance.md](docs/performance.md)).",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Engine",
        "Provider",
        "Provider extra ms / resource",
        "Program",
        "Language host",
        "Whole tree",
      ],
      rows,
    ),
  ].join("\n");
}

function fixSection(results, f) {
  const runs = results.runs.filter((r) => r.seconds.before);
  if (runs.length === 0) return "";
  return [
    "## Fix: the provider's in-flight limit (before / after, same run)",
    "",
    "Before this fix every tenant's API client kept at most 8 requests in flight (the client's default). The",
    "engine runs 4 × CPUs operations at once by default (8 here) and up to `--parallel`; `read` sends two GETs at",
    "once, so a refresh ran at half the engine's concurrency even at the default, and every operation was capped",
    "at 8 requests with `--parallel 32`. The provider now defaults to 64 requests in flight per tenant",
    "(`PROVIDER_DEFAULT_MAX_IN_FLIGHT`) and reads `immuta:maxInFlight` / `IMMUTA_MAX_IN_FLIGHT`",
    "(`immuta:tenants.<name>.maxInFlight` / `IMMUTA_<NAME>_MAX_IN_FLIGHT`) for tenants that need a gentler or a",
    "higher limit. `before` is the same program in the same run with `immuta:maxInFlight: 8`.",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Before s",
        "After s",
        "Floor (a) s",
        "Before / (a)",
        "After / (a)",
        "Before / after",
      ],
      runs.map((r) => [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        f.seconds(r.seconds.before),
        f.seconds(r.seconds.ours),
        f.seconds(r.seconds.floorA),
        f.ratio(r.ratios.beforeOverFloorA),
        f.ratio(r.ratios.oursOverFloorA, { bold: true }),
        f.ratio(r.ratios.beforeOverOurs),
      ]),
    ),
  ].join("\n");
}

function experimentSection(results, f) {
  const runs = results.runs.filter((r) => r.seconds.nodeHttp);
  if (runs.length === 0) return "";
  return [
    "## Experiment: the client without axios (same run, not applied)",
    "",
    "`nodeHttp` is ours with the API client's transport module replaced, in its program copy only, by",
    "`bench/experiments/node-http-transport.js` (node:http, the same contract on the happy path). It measures what",
    "a transport without axios would buy (loading axios and its per-request work; see",
    "[docs/performance.md](docs/performance.md) for the provider's CPU by kind of work).",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Ours s",
        "nodeHttp s",
        "Floor (a) s",
        "Ours / (a)",
        "nodeHttp / (a)",
        "nodeHttp / ours",
        "Zero-overhead estimate",
      ],
      runs.map((r) => [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        f.seconds(r.seconds.ours),
        f.seconds(r.seconds.nodeHttp),
        f.seconds(r.seconds.floorA),
        f.ratio(r.ratios.oursOverFloorA),
        f.ratio(r.ratios.nodeHttpOverFloorA),
        f.ratio(r.ratios.nodeHttpOverOurs),
        fmt(r.expectedRatioWithoutOverhead),
      ]),
    ),
  ].join("\n");
}

function stateSection(results, f) {
  const largest = results.state.reduce((l, s) => (!l || s.n > l.n ? s : l), null);
  const serialized = results.state.find((s) => s.noopSerialized);
  const serializedRuns = results.runs.filter((r) => r.seconds.noopSerialized);
  const lines = [
    "## State size",
    "",
    "Bytes in `pulumi stack export` (JSON, 4-space indented as the CLI prints it) after a refresh (the largest state:",
    "`awsLocationPath` is filled in).",
    "",
    table(
      [
        "N",
        "Ours: bytes per resource (mean / max)",
        "Ours: inputs / outputs",
        "Ours: `__provider` (inputs + outputs)",
        "Ours: whole deployment / N",
        "Floor (a): bytes per resource",
        "Floor (a): inputs / outputs",
      ],
      results.state.map((s) => [
        s.n,
        `${s.ours.bytesPerResource.mean} / ${s.ours.bytesPerResource.max}`,
        `${s.ours.partsPerResource.inputs} / ${s.ours.partsPerResource.outputs}`,
        `${s.ours.providerBytesPerResource.mean} (${s.ours.providerBytesPerResource.inputs} + ${s.ours.providerBytesPerResource.outputs})`,
        s.ours.deploymentBytesPerResource,
        s.floorA.bytesPerResource.mean,
        `${s.floorA.partsPerResource.inputs} / ${s.floorA.partsPerResource.outputs}`,
      ]),
    ),
    "",
    "The whole deployment divided by N also carries the stack and the default provider (which holds the stack",
    "config); for small N their share is visible. Ours stores one `require` line as `__provider` (docs/design.md);",
    "floor (a) does the same, so that `__provider` size favours neither.",
  ];
  if (largest) {
    lines.push(
      "",
      `Ours' outputs per property at N = ${largest.n} (mean bytes of \`"key": value\` as indented); *repeats an input*:`,
      "the same value under the same key in the inputs of every resource.",
      "",
      table(
        ["Output property", "Bytes", "Repeats an input"],
        largest.ours.outputProperties.map((p) => [
          `\`${p.key}\``,
          p.bytes,
          p.repeatsInput ? (NEEDED_REPEATS[p.key] ? `yes: ${NEEDED_REPEATS[p.key]}` : "yes") : "",
        ]),
      ),
    );
  }
  if (serialized) {
    lines.push(
      "",
      "A plain dynamic provider stores the SDK's serialization of its code instead: the no-op provider's takes",
      `${serialized.noopSerialized.providerBytesPerResource.mean} bytes per resource (inputs + outputs), ` +
        `${serialized.noopSerialized.bytesPerResource.mean} bytes per resource in all at N = ${serialized.n}. ` +
        `The engine writes the whole checkpoint as steps complete, so state size costs time at scale (same run, N = ${serialized.n}, 0 ms):`,
      "",
      table(
        [
          "Operation",
          "Parallel",
          "Floor (a), one-line `__provider` s",
          "Serialized `__provider` s",
          "Serialized / (a)",
          "Ours s",
        ],
        serializedRuns.map((r) => [
          r.operation,
          r.parallelLabel,
          f.seconds(r.seconds.floorA),
          f.seconds(r.seconds.noopSerialized),
          f.ratio(r.ratios.noopSerializedOverFloorA),
          f.seconds(r.seconds.ours),
        ]),
      ),
    );
  }
  return lines.join("\n");
}

function memorySection(results) {
  return [
    "## Memory",
    "",
    "Peak RSS (VmHWM, MiB, the largest of the repetitions) of the processes the engine started for each operation:",
    "the dynamic-provider node process (`pulumi-resource-pulumi-nodejs` → node `cmd/dynamic-provider`), the",
    "`pulumi` engine and the program's node process (`up` only).",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Provider, ours",
        "Provider, floor (a)",
        "Engine, ours",
        "Program, ours",
      ],
      results.runs.map((r) => [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        fmt(r.peakRssMiB.ours?.provider, 1),
        fmt(r.peakRssMiB.floorA?.provider, 1),
        fmt(r.peakRssMiB.ours?.engine, 1),
        fmt(r.peakRssMiB.ours?.program, 1),
      ]),
    ),
  ].join("\n");
}

function growthSection(results, f) {
  if (results.growth.length === 0)
    return "## Growth\n\nNo parameter set was run at two or more N (use the full matrix).";
  const points = (g) => g.points.map((p) => `${p.n}: ${fmt(p.seconds)} s`).join(", ");
  return [
    "## Growth",
    "",
    "Time per resource (median seconds / N) at the largest N of each parameter set against the smallest. Costs",
    "linear in N keep it; fixed costs (starting the engine, the language host, the provider) lower it as N grows; a",
    `ratio above 1 means something grows faster than N. The target for ours is ≤ ${GROWTH_LIMIT}×; floor (a) shows`,
    "what the engine itself does over the same N.",
    "",
    table(
      [
        "Operation",
        "Latency",
        "Parallel",
        "Variant",
        "Points (N: median s)",
        "ms / resource, smallest N",
        "ms / resource, largest N",
        "Largest / smallest",
      ],
      results.growth.map((g) => [
        g.operation,
        `${g.latencyMs} ms`,
        g.parallelLabel,
        g.variant,
        points(g),
        fmt(g.points[0].msPerResource, 1),
        fmt(g.points[g.points.length - 1].msPerResource, 1),
        f.ratio(g.perResourceRatio, { bold: g.variant === "ours" }),
      ]),
    ),
  ].join("\n");
}

function methodSection(results) {
  return [
    "## Method",
    "",
    "- The emulator runs in its own process (`bench/lib/emulator-main.js`); latency is its `latency` fault on every",
    "  Immuta request. Each variant has its own stack (file backend, own `PULUMI_HOME`) and its own names and",
    "  prefixes, so they never collide in the emulator.",
    "- Programs are plain JavaScript (`typescript: false`) for both ours and floor (a), laid out with",
    "  `node_modules` as `npm install pulumi-immuta` leaves it (`bench/lib/pulumi.js`, a port of the e2e harness).",
    "- One repetition is `up` (from an empty stack), `refresh`, `destroy` for each variant, interleaved per",
    "  operation; the variants' order rotates (and reverses) every repetition. Each cell runs at least 3",
    "  repetitions (`bench/lib/matrix.js`); figures are medians with their range, ratios the median of each",
    "  repetition's ratio. Floor (b) runs in the driver process: P operations at once, each with exactly ours'",
    "  requests, with the client's in-flight limit at 2 · P.",
    `- A run refuses to start while the 1-minute load average is above ${results.load.limit}; \`--allow-load\` measures`,
    `  anyway and marks every ratio ${LOADED_MARK}.`,
    "- Peak RSS and CPU: `/proc/<pid>/status` VmHWM and `/proc/<pid>/stat` of descendants of the driver, every",
    "  200 ms (`bench/lib/proc-sampler.js`); the whole tree's CPU is exact (what the driver's waited-for children used).",
    "- Not measured: TypeScript compilation of user programs, TLS (the emulator is plain HTTP on loopback: a real",
    "  tenant adds a TLS handshake per `POST`/`DELETE`, which always use a fresh connection by design), previews.",
  ].join("\n");
}

function renderMarkdown(results) {
  const f = formats(results);
  return (
    [
      "# Benchmarks",
      "",
      "Generated by `bench/run.js`; do not edit by hand, run the benchmark again. Every timing is a",
      "ratio against floors measured in the same run.",
      "",
      ...loadNotice(results),
      summarySection(results, f),
      "",
      machineSection(results),
      "",
      commandsSection(results),
      "",
      targetsSection(results, f),
      "",
      apiCallsSection(results),
      "",
      engineSection(results, f),
      "",
      cpuSection(results),
      "",
      fixSection(results, f),
      "",
      experimentSection(results, f),
      "",
      stateSection(results, f),
      "",
      memorySection(results),
      "",
      growthSection(results, f),
      "",
      methodSection(results),
    ]
      .filter((section, index, all) => !(section === "" && all[index - 1] === ""))
      .join("\n") + "\n"
  );
}

module.exports = { LOADED_MARK, renderMarkdown };
