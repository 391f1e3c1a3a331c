"use strict";
// The benchmark's own logic on made-up measurements: `node --test bench/test` (no engine, no emulator).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test } = require("node:test");
const { cellResult } = require("../lib/cell-result");
const { growth } = require("../lib/growth");
const { matrix, MIN_REPS } = require("../lib/matrix");
const { renderMarkdown, LOADED_MARK } = require("../lib/report");
const { readResults, StaleResultsError } = require("../lib/results");
const { summary } = require("../lib/stats");
const { targets } = require("../lib/targets");

const requests = { total: 0, perResource: 0, byKind: {}, failed: 0 };

/** Samples of one cell where each variant takes `seconds[variant][rep]`. */
function samples(seconds, cpu = {}) {
  const list = [];
  for (const [variant, perRep] of Object.entries(seconds))
    perRep.forEach((s, rep) =>
      list.push({
        rep,
        variant,
        operation: "up",
        seconds: s,
        requests,
        loadAverage: 0.2,
        processes: { provider: 150, cpuSeconds: cpu[variant] ?? {} },
      }),
    );
  return list;
}

test("every cell of the full and quick matrices runs at least 3 repetitions, and N = 1,000 is in the full one", () => {
  for (const quick of [false, true]) for (const cell of matrix({ quick })) assert.ok(cell.reps >= MIN_REPS);
  assert.ok(matrix({ quick: false }).some((cell) => cell.n === 1000 && cell.latencyMs === 0));
  assert.ok(!matrix({ quick: false, maxN: 500 }).some((cell) => cell.n === 1000));
});

test("a cell reports the median and range of its repetitions and pairs ratios per repetition", () => {
  const cell = { n: 500, latencyMs: 0, parallel: null, reps: 3, variants: ["ours", "floorA"] };
  // Repetition 1 ran while the machine was busy: both variants slowed down alike.
  const result = cellResult(
    cell,
    8,
    "default (8)",
    "up",
    samples({ ours: [12, 30, 13], floorA: [10, 25, 10] }),
  );
  assert.deepEqual(result.seconds.ours, { median: 13, min: 12, max: 30, n: 3 });
  assert.deepEqual(result.ratios.oursOverFloorA, { median: 1.2, min: 1.2, max: 1.3, n: 3 });
});

test("growth compares the time per resource at the largest N with the smallest", () => {
  const run = (n, ours, floorA) => ({
    n,
    latencyMs: 0,
    parallel: "default",
    parallelLabel: "default (8)",
    operation: "up",
    seconds: { ours: summary([ours]), floorA: summary([floorA]) },
    peakRssMiB: {},
  });
  const rows = growth([run(100, 10, 9), run(500, 40, 30), run(1000, 150, 80)]);
  const ours = rows.find((r) => r.variant === "ours");
  assert.equal(ours.smallestN, 100);
  assert.equal(ours.largestN, 1000);
  assert.equal(ours.perResourceRatio, 1.5); // 150 ms against 100 ms per resource
});

const apiCalls = {
  n: 5,
  create: { n: 5, perResource: 2, byKind: {}, integrationLookUps: { max: 1, perIntegration: {} } },
  read: {
    n: 5,
    perResource: 2,
    concurrent: true,
    byKind: {},
    integrationLookUps: { max: 1, perIntegration: {} },
    evidence: {
      direct: {
        latencyMs: 300,
        elapsedMs: 300,
        durationsMs: [300, 300],
        requests: ["GET /a", "GET /b"],
        overlapMs: 300,
      },
      engine: { latencyMs: 1000, n: 5, extraSeconds: 1 },
    },
  },
  delete: { n: 5, perSource: 2, exactlyTwoEach: true, byKind: {} },
  checkDiff: {
    total: 0,
    previewWithoutChanges: { requests: 0 },
    upWithoutChanges: { requests: 0 },
    previewReplacingAll: { requests: 0 },
  },
};

test("a missed target says why, from the measurements of the same run", () => {
  const cell = { n: 500, latencyMs: 0, parallel: null, reps: 3, variants: ["ours", "floorA"] };
  const cpu = { ours: { engine: 24.2, provider: 5.2 }, floorA: { engine: 18.6, provider: 1.9 } };
  const run = cellResult(
    cell,
    8,
    "default (8)",
    "up",
    samples({ ours: [41, 42, 40], floorA: [24, 24, 25] }, cpu),
  );
  const list = targets({ apiCalls, runs: [run], state: [], growth: [] });
  const missed = list.find((t) => t.name.startsWith("ours / floor (a), up, N=500"));
  assert.equal(missed.pass, false);
  assert.match(missed.explanation, /engine \+5\.6 s \(24\.2 against 18\.6\), provider \+3\.3 s/);
  assert.ok(list.filter((t) => t.pass === true).every((t) => t.explanation === undefined));
});

test("a run allowed on a loaded machine marks every ratio it renders", () => {
  const cell = { n: 100, latencyMs: 0, parallel: null, reps: 3, variants: ["ours", "floorA"] };
  const run = cellResult(cell, 8, "default (8)", "up", samples({ ours: [12, 13, 12], floorA: [10, 10, 11] }));
  const results = {
    schema: 2,
    date: "2026-01-01T00:00:00.000Z",
    durationSeconds: 1,
    commands: { thisRun: "node bench/run.js --allow-load" },
    quick: false,
    load: { loadAverage: [3.2, 2, 1], atEnd: [3, 2, 1], limit: 1.5, loaded: true },
    machine: {
      nproc: 2,
      memTotalMiB: 1,
      os: "Linux",
      node: "v20",
      pulumi: "v3",
      pulumiSdk: "3",
      engineDefaultParallel: 8,
    },
    apiCalls,
    runs: [run],
    state: [],
    growth: [],
  };
  results.targets = targets(results);
  const markdown = renderMarkdown(results);
  assert.match(markdown, /Measured on a loaded machine/);
  assert.ok(markdown.includes(`**1.20**${LOADED_MARK}`));
  assert.ok(
    !renderMarkdown({ ...results, load: { ...results.load, loaded: false } }).includes(
      `**1.20**${LOADED_MARK}`,
    ),
  );
});

test("--render refuses results of an older schema with a message to run again", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-")), "results.json");
  fs.writeFileSync(file, JSON.stringify({ schema: 1 }));
  assert.throws(
    () => readResults(file),
    (error) => error instanceof StaleResultsError && /run the benchmark again/i.test(error.message),
  );
});
