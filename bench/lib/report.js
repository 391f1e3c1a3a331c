"use strict";
/** BENCHMARKS.md from bench/results.json: every table is generated; only the explanations are fixed text. */

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

function machineSection(results) {
  const m = results.machine;
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
          `${m.loadAverageAtStart.join(", ")} / ${m.loadAverageAtEnd.join(", ")}`,
        ],
        ["Duration of the run", `${results.durationSeconds} s`],
      ],
    ),
    "",
    "The machine's 2 CPUs are shared with other workloads, so absolute times move from",
    "run to run; the variants are interleaved per operation with a rotating order so that noise hits all of them,",
    "and the ratios are what to compare. The load average column in `bench/results.json` shows the noise.",
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
    "npm run build && node bench/run.js --max-n 100      # full matrix without N = 500",
    "node bench/run.js --render                          # this file again from bench/results.json",
    "```",
    "",
    `This file was written by \`${results.commands.thisRun}\`${results.quick ? " (quick matrix)" : ""}; the same data is in`,
    "`bench/results.json` (`schema: 1`), for comparing a later run with this one.",
  ].join("\n");
}

function summarySection(results) {
  const target = results.runs.filter((r) => r.n === 100 && r.latencyMs === 50);
  const lines = [];
  const met = target.filter((r) => r.ratios.oursOverFloorA !== null && r.ratios.oursOverFloorA <= 1.3);
  const missed = target.filter((r) => !met.includes(r));
  const describe = (r) =>
    `${r.operation} at parallel ${r.parallelLabel}: ${fmt(r.ratios.oursOverFloorA)} (zero-overhead estimate ${fmt(r.expectedRatioWithoutOverhead)})`;
  if (met.length)
    lines.push(`- Ours / floor (a) ≤ 1.3 at N = 100 and 50 ms: ${met.map(describe).join("; ")}.`);
  if (missed.length) {
    lines.push(
      `- Above 1.3: ${missed.map(describe).join("; ")}. At that parallelism the API's own round trips alone ` +
        "(⌈N / P⌉ waves) put the estimate for a provider costing nothing near or above 1.3 on this machine; the " +
        "rest is the provider process's CPU (see CPU time). With more CPUs the engine's default parallelism rises " +
        "(4 × CPUs) and the waves shrink.",
    );
  }
  const fix = target.filter((r) => r.ratios.beforeOverOurs !== undefined && r.operation === "refresh");
  if (fix.length) {
    lines.push(
      `- Fix (in-flight limit 8 → 64, \`immuta:maxInFlight\`): refresh ${fix
        .map((r) => `${fmt(r.ratios.beforeOverOurs)}× faster at parallel ${r.parallelLabel}`)
        .join(", ")} (same run).`,
    );
  }
  const large = results.runs.filter((r) => r.n === 500 && r.latencyMs === 0 && r.operation !== "refresh");
  const largeState = results.state.find((s) => s.n === 500);
  if (large.length && largeState && large.every((r) => r.cpuSeconds?.ours?.engine != null)) {
    lines.push(
      `- At N = 500 (0 ms), ${large
        .map((r) => `${r.operation} at parallel ${r.parallelLabel} ${fmt(r.ratios.oursOverFloorA)}`)
        .join(", ")}: there the engine itself spends more CPU on ours (${large
        .map((r) => `${fmt(r.cpuSeconds.ours.engine, 1)} s against ${fmt(r.cpuSeconds.floorA.engine, 1)} s`)
        .join(
          ", ",
        )}), whose state carries ${largeState.ours.bytesPerResource.mean} bytes per resource against ` +
        `${largeState.floorA.bytesPerResource.mean} and is rewritten as steps complete (see State size).`,
    );
  }
  const failed = results.targets.filter((t) => t.pass === false && !t.name.startsWith("ours / floor (a)"));
  const passed = results.targets.filter((t) => t.pass === true && !t.name.startsWith("ours / floor (a)"));
  lines.push(
    `- Other targets (API calls, state size, memory, linear growth): ${passed.length} met` +
      (failed.length ? `, missed: ${failed.map((t) => t.name).join("; ")}` : "") +
      ".",
  );
  return ["## Summary", "", ...lines].join("\n");
}

function targetsSection(results) {
  return [
    "## Targets",
    "",
    table(
      ["Target", "Wanted", "Measured", ""],
      results.targets.map((t) => [t.name, t.target, fmt(t.value, 2), pass(t.pass)]),
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

function engineSection(results) {
  const rows = results.runs.map((r) => [
    r.n,
    `${r.latencyMs} ms`,
    r.parallelLabel,
    r.operation,
    r.reps,
    fmt(r.seconds.ours),
    fmt(r.seconds.floorA),
    fmt(r.seconds.floorB),
    `**${fmt(r.ratios.oursOverFloorA)}**`,
    fmt(r.expectedRatioWithoutOverhead),
    fmt(r.ratios.oursOverFloorB, 1),
    fmt(r.apiCallsPerResource.ours, 1),
  ]);
  const cells = [
    ...new Set(results.runs.map((r) => `N=${r.n}, ${r.latencyMs} ms, parallel ${r.parallelLabel}`)),
  ];
  return [
    "## Engine overhead",
    "",
    "Seconds of the `pulumi <operation> --yes --skip-preview` process (median of `reps`), ours against (a) N no-op",
    "dynamic resources (`bench/programs/noop`, the engine's own floor, with a one-line `__provider` as ours) and (b)",
    "the same API requests sent by the client alone at the engine's concurrency (the raw API floor, no engine).",
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
      rows,
    ),
    "",
    "*Zero-overhead estimate*: (floor (a) + the API's own round trips) / floor (a), the round trips being ⌈N / P⌉",
    "waves of 2 (create: POST then GET; destroy: DELETE then DELETE) or 1 (refresh: two concurrent GETs) sequential",
    "requests — what a provider costing nothing would show if the engine's own work did not overlap those waits",
    "(it partly does, so a measurement can come in under it). Where it exceeds 1.3 — N = 100 at 50 ms and the",
    "default parallelism of 8 on this 2-CPU machine: 13 waves of 50 or 100 ms against an engine floor of a few",
    "seconds — no provider can meet the 1.3 target at that parallelism; the gap between the two ratio columns is",
    "what our provider costs.",
    "",
    `Cells run: ${cells.join("; ")}.`,
  ].join("\n");
}

function cpuSection(results) {
  const rows = results.runs
    .filter((r) => r.cpuSeconds?.ours?.provider != null && r.cpuSeconds?.floorA?.provider != null)
    .map((r) => {
      const extra = r.cpuSeconds.ours.provider - r.cpuSeconds.floorA.provider;
      return [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        fmt(r.cpuSeconds.ours.provider),
        fmt(r.cpuSeconds.floorA.provider),
        fmt(extra),
        ((extra * 1000) / r.n).toFixed(1),
        fmt(r.cpuSeconds.ours.engine),
        fmt(r.cpuSeconds.floorA.engine),
      ];
    });
  if (rows.length === 0) return "";
  return [
    "### CPU time",
    "",
    "Wall time stretches when other work competes for the 2 CPUs; CPU time much less. CPU seconds (user + system,",
    "median) of the provider process and of the engine, ours against floor (a). The provider's extra is its cost:",
    "loading the package (axios, ajv: a fixed part) and each request (HTTP, JSON, schema validation).",
    "",
    table(
      [
        "N",
        "Latency",
        "Parallel",
        "Operation",
        "Provider, ours",
        "Provider, floor (a)",
        "Extra",
        "Extra ms / resource",
        "Engine, ours",
        "Engine, floor (a)",
      ],
      rows,
    ),
  ].join("\n");
}

function fixSection(results) {
  const runs = results.runs.filter((r) => r.seconds.before !== undefined);
  if (runs.length === 0) return "";
  return [
    "## Fix: the provider's in-flight limit (before / after, same run)",
    "",
    "Before this fix every tenant's API client kept at most 8 requests in flight (the client's default). The",
    "engine runs 4 × CPUs operations at once by default (8 here) and up to `--parallel`; `read` sends two GETs at",
    "once, so a refresh ran at half the engine's concurrency even at the default, and every operation was capped",
    "at 8 requests with `--parallel 32`. The provider now defaults to 64 requests in flight per tenant",
    "(`PROVIDER_DEFAULT_MAX_IN_FLIGHT`, provider/core/constants.ts) and reads `immuta:maxInFlight` /",
    "`IMMUTA_MAX_IN_FLIGHT` (`immuta:tenants.<name>.maxInFlight` / `IMMUTA_<NAME>_MAX_IN_FLIGHT`) for tenants that",
    "need a gentler or a higher limit. `before` is the same program in the same run with `immuta:maxInFlight: 8`.",
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
        fmt(r.seconds.before),
        fmt(r.seconds.ours),
        fmt(r.seconds.floorA),
        fmt(r.ratios.beforeOverFloorA),
        `**${fmt(r.ratios.oursOverFloorA)}**`,
        fmt(r.ratios.beforeOverOurs),
      ]),
    ),
  ].join("\n");
}

function experimentSection(results) {
  const runs = results.runs.filter((r) => r.seconds.nodeHttp !== undefined);
  if (runs.length === 0) return "";
  return [
    "## Experiment: the client without axios (same run, not applied)",
    "",
    "A CPU profile of the provider process during a refresh of 100 sources showed, besides the engine's own work,",
    "about 80 ms loading axios (with form-data and friends) and about 0.65 ms of axios per request, plus ajv",
    "(about 30 ms to load, 60 ms compiling two schemas on first use). `nodeHttp` is ours with",
    "`dist/provider/client/transport.js` replaced, in its program copy only, by",
    "`bench/experiments/node-http-transport.js` (node:http, the same contract on the happy path). It measures what a",
    "transport without axios would buy; the product keeps axios (the transport is the client's, and a rewrite is",
    "not a small change).",
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
        "Zero-overhead estimate",
      ],
      runs.map((r) => [
        r.n,
        `${r.latencyMs} ms`,
        r.parallelLabel,
        r.operation,
        fmt(r.seconds.ours),
        fmt(r.seconds.nodeHttp),
        fmt(r.seconds.floorA),
        fmt(r.ratios.oursOverFloorA),
        fmt(r.ratios.nodeHttpOverFloorA),
        fmt(r.expectedRatioWithoutOverhead),
      ]),
    ),
  ].join("\n");
}

function stateSection(results) {
  const serialized = results.state.find((s) => s.noopSerialized);
  const run = results.runs.filter((r) => r.seconds.noopSerialized !== undefined);
  const serializedNote = serialized
    ? [
        "",
        `A plain dynamic provider stores the SDK's serialization of its code instead: the no-op provider's takes`,
        `${serialized.noopSerialized.providerBytesPerResource.mean} bytes per resource (inputs + outputs), ` +
          `${serialized.noopSerialized.bytesPerResource.mean} bytes per resource in all at N = ${serialized.n}. ` +
          `The engine writes the whole checkpoint as steps complete, so state size can cost time at scale (same run, N = ${serialized.n}, 0 ms):`,
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
          run.map((r) => [
            r.operation,
            r.parallelLabel,
            fmt(r.seconds.floorA),
            fmt(r.seconds.noopSerialized),
            fmt(r.ratios.noopSerializedOverFloorA),
            fmt(r.seconds.ours),
          ]),
        ),
      ]
    : [];
  return [
    "## State size",
    "",
    "Bytes in `pulumi stack export` (JSON, 4-space indented as the CLI prints it) after a refresh (the largest state:",
    "`awsLocationPath` is filled in).",
    "",
    table(
      [
        "N",
        "Ours: bytes per resource (mean / max)",
        "Ours: `__provider` bytes per resource (inputs + outputs)",
        "Ours: whole deployment / N",
        "Floor (a): bytes per resource",
        "Floor (a): `__provider` bytes",
      ],
      results.state.map((s) => [
        s.n,
        `${s.ours.bytesPerResource.mean} / ${s.ours.bytesPerResource.max}`,
        `${s.ours.providerBytesPerResource.mean} (${s.ours.providerBytesPerResource.inputs} + ${s.ours.providerBytesPerResource.outputs})`,
        s.ours.deploymentBytesPerResource,
        s.floorA.bytesPerResource.mean,
        s.floorA.providerBytesPerResource.mean,
      ]),
    ),
    "",
    "The whole deployment divided by N also carries the stack and the default provider (which holds the stack",
    "config); for small N their share is visible. Ours stores one `require` line as `__provider` (docs/design.md);",
    "floor (a) does the same, so that `__provider` size favours neither (its other properties are fewer).",
    ...serializedNote,
  ].join("\n");
}

function memorySection(results) {
  const rows = results.runs
    .filter((r) => r.latencyMs === 50 || results.runs.every((x) => x.latencyMs !== 50))
    .map((r) => [
      r.n,
      `${r.latencyMs} ms`,
      r.parallelLabel,
      r.operation,
      fmt(r.peakRssMiB.ours?.provider, 1),
      fmt(r.peakRssMiB.floorA?.provider, 1),
      fmt(r.peakRssMiB.ours?.engine, 1),
      fmt(r.peakRssMiB.ours?.program, 1),
    ]);
  return [
    "## Memory",
    "",
    "Peak RSS (VmHWM, MiB) of the processes the engine started for each operation (50 ms cells; every cell is in",
    "`bench/results.json`): the dynamic-provider node process (`pulumi-resource-pulumi-nodejs` → node",
    "`cmd/dynamic-provider`), the `pulumi` engine and the program's node process (`up` only).",
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
      rows,
    ),
  ].join("\n");
}

function growthSection(results) {
  const fits = results.growth.filter((f) => f.variant !== "floorB" || f.time);
  if (fits.length === 0)
    return "## Growth\n\nNo parameter set was run at three or more N (use the full matrix).";
  const points = (f) => f.points.map((p) => `${p.n}: ${fmt(p.seconds)} s`).join(", ");
  return [
    "## Growth",
    "",
    "Least-squares lines against N (median seconds; provider peak MiB), with R² (1 = exactly linear).",
    "",
    table(
      [
        "Operation",
        "Latency",
        "Parallel",
        "Variant",
        "Points (N: s)",
        "s / resource",
        "Intercept s",
        "R² time",
        "MiB / resource",
        "Intercept MiB",
        "R² memory",
      ],
      fits.map((f) => [
        f.operation,
        `${f.latencyMs} ms`,
        f.parallelLabel,
        f.variant,
        points(f),
        fmt(f.time?.secondsPerResource, 4),
        fmt(f.time?.interceptSeconds, 2),
        fmt(f.time?.r2, 3),
        fmt(f.memory?.mibPerResource, 3),
        fmt(f.memory?.interceptMiB, 1),
        fmt(f.memory?.r2, 3),
      ]),
    ),
    "",
    "Memory is dominated by a constant (Node.js, gRPC, the SDK): its slope is small and, over three points with",
    "sampling noise, its R² says little; the slope is the number to watch.",
  ].join("\n");
}

function methodSection() {
  return [
    "## Method",
    "",
    "- The emulator runs in its own process (`bench/lib/emulator-main.js`); latency is its `latency` fault on every",
    "  Immuta request. Each variant has its own stack (file backend, own `PULUMI_HOME`) and its own names and",
    "  prefixes, so they never collide in the emulator.",
    "- Programs are plain JavaScript (`typescript: false`) for both ours and floor (a), laid out with",
    "  `node_modules` as `npm install pulumi-immuta` leaves it (`bench/lib/pulumi.js`, a port of the e2e harness).",
    "- One repetition is `up` (from an empty stack), `refresh`, `destroy` for each variant, interleaved per",
    "  operation; the variants' order rotates (and reverses) every repetition. Floor (b) runs in the driver process:",
    "  P operations at once, each with exactly ours' requests, with the client's in-flight limit at 2 · P.",
    "- Peak RSS: `/proc/<pid>/status` VmHWM of descendants of the driver, every 200 ms (`bench/lib/proc-sampler.js`).",
    "- Not measured: TypeScript compilation of user programs, TLS (the emulator is plain HTTP on loopback: a real",
    "  tenant adds a TLS handshake per `POST`/`DELETE`, which always use a fresh connection by design), previews.",
  ].join("\n");
}

function renderMarkdown(results) {
  return (
    [
      "# Benchmarks",
      "",
      "Generated by `bench/run.js`; do not edit by hand, run the benchmark again. Every timing is a",
      "ratio against floors measured in the same run.",
      "",
      summarySection(results),
      "",
      machineSection(results),
      "",
      commandsSection(results),
      "",
      targetsSection(results),
      "",
      apiCallsSection(results),
      "",
      engineSection(results),
      "",
      cpuSection(results),
      "",
      fixSection(results),
      "",
      experimentSection(results),
      "",
      stateSection(results),
      "",
      memorySection(results),
      "",
      growthSection(results),
      "",
      methodSection(),
    ]
      .filter((section, index, all) => !(section === "" && all[index - 1] === ""))
      .join("\n") + "\n"
  );
}

module.exports = { renderMarkdown };
