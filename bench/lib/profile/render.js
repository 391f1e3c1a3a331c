"use strict";
/**
 * The Markdown of bench/profile.js (meant to become docs/performance.md): per N and phase, ours against floor (a)
 * (and the serialized-provider floor when it ran), then what the figures say, every sentence built from them.
 */
const { LOADED_MARK } = require("../report");
const { median } = require("../stats");
const { CATEGORIES } = require("./cpu-categories");

const OPERATIONS = ["up", "refresh", "destroy"];
const LABELS = { ours: "Ours", floorA: "Floor (a)", noopSerialized: "Floor (a), serialized `__provider`" };

const fmt = (value, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value)
    ? "–"
    : Number.isInteger(value) && digits <= 2
      ? value.toLocaleString("en-US")
      : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** "+5.60" or "−0.40"; a value that rounds to zero is "±0.00". */
const signed = (value, digits = 2) => {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const shown = fmt(Math.abs(value), digits);
  if (Number(Math.abs(value).toFixed(digits)) === 0) return `±${shown}`;
  return `${value > 0 ? "+" : "−"}${shown}`;
};
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (header, rows) => [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const MiB = 1024 * 1024;
const writes = (count) => `${fmt(count, 0)} write${count === 1 ? "" : "s"}`;

/** The figures of one N, phase and variant: medians over the repetitions. */
function figures(profile, n, operation, variant) {
  const ms = profile.measurements.filter(
    (m) => m.n === n && m.operation === operation && m.variant === variant,
  );
  if (ms.length === 0) return null;
  const med = (pick) => median(ms.map(pick));
  const categories = {};
  const programCategories = {};
  for (const [key] of CATEGORIES) {
    categories[key] = med((m) => m.provider.categoriesMs?.[key]);
    programCategories[key] = med((m) => m.program?.categoriesMs?.[key]);
  }
  return {
    seconds: med((m) => m.seconds),
    engine: med((m) => m.sampledCpuSeconds.engine),
    languageHost: med((m) => (m.sampledCpuSeconds.languageHost ?? 0) + (m.program?.cpuSeconds ?? 0)),
    provider: med((m) => m.provider.cpuSeconds),
    providerLauncher: med((m) => m.sampledCpuSeconds.providerLauncher),
    categories,
    program: med((m) => m.program?.cpuSeconds),
    programCategories,
    providerRss: med((m) => m.provider.peakRssMiB),
    tree: med((m) => m.treeCpuSeconds),
    writes: med((m) => m.checkpoint.writes),
    bytes: med((m) => m.checkpoint.bytes),
    backupBytes: med((m) => m.checkpoint.backupBytes),
    historyBytes: med((m) => m.checkpoint.historyBytes),
    sampledProvider: ms.some((m) => m.provider.sampled),
  };
}

function phaseTable(profile, n, operation) {
  const variants = profile.variants;
  const f = Object.fromEntries(variants.map((v) => [v, figures(profile, n, operation, v)]));
  const mark = profile.load.loaded ? LOADED_MARK : "";
  const line = (label, pick, digits = 2, { extra = true } = {}) => [
    label,
    ...variants.map((v) => fmt(pick(f[v]), digits)),
    extra ? signed(pick(f.ours) - pick(f.floorA), digits) : "",
  ];
  const rows = [
    [
      "Wall time, s (profiled)",
      ...variants.map((v) => fmt(f[v].seconds)),
      `×${fmt(f.ours.seconds / f.floorA.seconds)}${mark}`,
    ],
    line("CPU s: engine (`pulumi`)", (x) => x.engine),
    line("CPU s: language host (`pulumi-language-nodejs` + program)", (x) => x.languageHost),
    ...(Object.values(f.ours.programCategories).every((ms) => ms == null)
      ? []
      : CATEGORIES.map(([key, label]) =>
          line(`  program: ${label}, ms`, (x) => x.programCategories[key], 0),
        )),
    line("CPU s: provider process", (x) => x.provider),
    ...CATEGORIES.map(([key, label]) => line(`  provider: ${label}, ms`, (x) => x.categories[key], 0)),
    line("CPU s: provider launcher (`sh` + `node -e`)", (x) => x.providerLauncher),
    line("CPU s: everything `pulumi` started, exact", (x) => x.tree),
    line(
      "  of which other processes and sampling gaps",
      (x) => x.tree - x.engine - x.languageHost - x.provider - (x.providerLauncher ?? 0),
    ),
    line("Provider peak RSS, MiB", (x) => x.providerRss, 1),
    line("Checkpoint writes", (x) => x.writes, 0),
    line("Checkpoint bytes written, MiB", (x) => x.bytes / MiB, 1),
    line("  and its `.bak` copies, MiB", (x) => x.backupBytes / MiB, 1),
    line("  and history, backups at the end, MiB", (x) => x.historyBytes / MiB, 1),
  ];
  return table(["", ...variants.map((v) => LABELS[v]), "Ours − floor (a)"], rows);
}

function stateTable(profile) {
  const variants = profile.variants;
  return table(
    [
      "N",
      ...variants.map((v) => `${LABELS[v]}: bytes (JSON values) per resource`),
      "Ours: inputs / outputs",
      "Floor (a): inputs / outputs",
    ],
    profile.states.map((s) => [
      fmt(s.n),
      ...variants.map((v) => `${fmt(s[v].bytesPerResource.mean, 0)} (${fmt(s[v].valuesPerResource, 0)})`),
      `${s.ours.partsPerResource.inputs} / ${s.ours.partsPerResource.outputs}`,
      `${s.floorA.partsPerResource.inputs} / ${s.floorA.partsPerResource.outputs}`,
    ]),
  );
}

/** Sentences on where ours' extra time goes at one N, each from the figures. */
function findings(profile, n) {
  const lines = [];
  const state = profile.states.find((s) => s.n === n);
  for (const operation of OPERATIONS) {
    const o = figures(profile, n, operation, "ours");
    const a = figures(profile, n, operation, "floorA");
    if (!o || !a) continue;
    const extras = [
      ["engine", o.engine - a.engine],
      ["provider", o.provider - a.provider],
      ["language host", o.languageHost - a.languageHost],
    ].sort((x, y) => y[1] - x[1]);
    /** The three kinds of work where ours spends the most CPU beyond floor (a), in one process. */
    const largestExtras = (pick) =>
      CATEGORIES.map(([key, label]) => [label, (pick(o)?.[key] ?? 0) - (pick(a)?.[key] ?? 0)])
        .filter(([, ms]) => ms > 0)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([label, ms]) => `${label} ${signed(ms, 0)} ms`)
        .join(", ") || "nothing";
    const inProgram =
      o.program == null ? "" : `; in the program, ${largestExtras((x) => x.programCategories)}`;
    lines.push(
      `- \`${operation}\`: ${fmt(o.seconds)} s against ${fmt(a.seconds)} s (×${fmt(o.seconds / a.seconds)}). Extra CPU of ` +
        `ours: ${extras.map(([k, v]) => `${k} ${signed(v)} s`).join(", ")}; in the provider, mostly ` +
        `${largestExtras((x) => x.categories)}${inProgram}. Checkpoint: ` +
        `${writes(o.writes)} of ${fmt(o.bytes / Math.max(1, o.writes) / 1024, 0)} KiB on average, ` +
        `${fmt(o.bytes / MiB, 1)} MiB in all (floor (a): ${writes(a.writes)} of ` +
        `${fmt(a.bytes / Math.max(1, a.writes) / 1024, 0)} KiB, ${fmt(a.bytes / MiB, 1)} MiB).`,
    );
  }
  const s = profile.variants.includes("noopSerialized") && state;
  if (s) {
    const bytes = (v) => s[v].bytesPerResource.mean;
    for (const operation of ["up", "destroy"]) {
      const o = figures(profile, n, operation, "ours");
      const a = figures(profile, n, operation, "floorA");
      const z = figures(profile, n, operation, "noopSerialized");
      const perByte = (z.engine - a.engine) / (bytes("noopSerialized") - bytes("floorA"));
      const predicted = perByte * (bytes("ours") - bytes("floorA"));
      lines.push(
        `- State size alone, \`${operation}\`: the serialized-provider floor stores ${bytes("noopSerialized")} bytes per ` +
          `resource against ${bytes("floorA")} for the same work and costs the engine ${signed(z.engine - a.engine)} s; ` +
          `at that rate ours' ${bytes("ours")} bytes would cost it ${signed(predicted)} s, against ` +
          `${signed(o.engine - a.engine)} s measured. Per resource, ours holds ${fmt(s.ours.valuesPerResource, 0)} JSON ` +
          `values, floor (a) ${fmt(s.floorA.valuesPerResource, 0)}, the serialized-provider floor ` +
          `${fmt(s.noopSerialized.valuesPerResource, 0)}: its extra bytes are two long strings.`,
      );
    }
  }
  return lines;
}

function renderProfile(profile) {
  const m = profile.machine;
  const load = profile.load;
  const sections = [
    "# Performance profile",
    "",
    "Generated by `bench/profile.js`; do not edit by hand, run it again:",
    "",
    "```sh",
    `npm run build && ${profile.command}`,
    "```",
    "",
    "Where the time of `up`, `refresh` and `destroy` goes, ours against floor (a) (N dynamic resources whose",
    "provider answers at once, `bench/programs/noop`: the engine's own cost), side by side in one run, interleaved,",
    `at 0 ms API latency and the engine's default parallelism (${profile.parallel}), ` +
      `${profile.reps === 1 ? "once each" : `median of ${profile.reps} repetitions`}.`,
    "",
    load.loaded
      ? `> **Measured on a loaded machine**: the 1-minute load average was ${load.loadAverage[0]} at the start (5 and 15 min: ` +
        `${load.loadAverage[1]}, ${load.loadAverage[2]}; ${load.atEnd.join(", ")} at the end), above ${load.limit}. CPU ` +
        `seconds stretch much less than wall times under load, but the wall-time ratios (${LOADED_MARK}) may be off.`
      : `Load average at the start: ${load.loadAverage.join(", ")} (1, 5, 15 min; ${load.atEnd.join(", ")} at the end).`,
    "",
    `Machine: ${m.nproc} CPUs (${m.cpuModel ?? "–"}), ${m.memTotalMiB} MiB, ${m.os}, Node.js ${m.node}, Pulumi ` +
      `${m.pulumi}; ${profile.date}, ${profile.durationSeconds} s.`,
    "",
  ];
  for (const n of profile.ns) {
    sections.push(
      `## N = ${n.toLocaleString("en-US")}`,
      "",
      "What the figures say:",
      "",
      ...findings(profile, n),
      "",
    );
    for (const operation of OPERATIONS)
      sections.push(`### \`${operation}\``, "", phaseTable(profile, n, operation), "");
  }
  sections.push(
    "## State",
    "",
    "Bytes per resource in `pulumi stack export` (JSON, 4-space indented) after a refresh.",
    "",
    stateTable(profile),
    "",
    "## How it is measured",
    "",
    "- CPU seconds are user + system time. The provider's and the program's come from the processes themselves",
    "  when they end (`process.resourceUsage()`, recorded by `bench/lib/profile/preload.js`, which NODE_OPTIONS",
    "  loads into every Node.js process the engine starts); the engine's and the language host's from `/proc`",
    "  every 100 ms (`bench/lib/proc-sampler.js`: a process's last 100 ms may be missed). *Everything `pulumi`",
    "  started, exact* is what the driver's waited-for children used during the operation (`cutime + cstime`).",
    "- The provider's split comes from a V8 CPU profile of the dynamic-provider process (1 ms sampling, started",
    "  before its first module loads): each sample goes to module loading when it is inside a `require` of a",
    "  package, otherwise to the package of its innermost frame with a known script",
    "  (`bench/lib/profile/cpu-categories.js`); the shares are scaled to the process's CPU time. The profiler samples",
    "  the JavaScript thread every",
    "  millisecond of wall time, also while it waits for a CPU or a file: on a loaded machine the split is",
    "  approximate (start-up, which reads hundreds of files, gains most). Profiling slows the process a little, for",
    "  every variant alike; `bench/run.js` measures the unprofiled ratios. The program's process is split the same",
    "  way; what the program does at its top level counts as its work, not as module loading.",
    "- Checkpoint writes: each save of a `file://` backend renames a new file onto `<stack>.json` after copying the",
    "  old one to `<stack>.json.bak`; inotify on the stack's folder counts the renames, and the file's size when each",
    "  is noticed gives the bytes (`bench/lib/profile/checkpoint-watch.js`). History and backup files are counted",
    "  from what the operation added under `.pulumi/history` and `.pulumi/backups`.",
    "- Peak RSS is the provider process's own maximum resident set (`maxRSS`).",
  );
  return `${sections.join("\n")}\n`;
}

module.exports = { renderProfile, figures };
