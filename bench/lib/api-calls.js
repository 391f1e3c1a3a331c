"use strict";
/**
 * API calls per operation, counted from the emulator's request log, through the real engine: create (`up`), check
 * and diff (`preview` and `up` without changes, and a `preview` whose every declaration changes name and prefix,
 * so that diff answers "replace"), read (`refresh`) and delete (`destroy`).
 *
 * That read's two GETs are concurrent is shown twice, with a latency fault making sequential and concurrent
 * visibly different:
 *  - directly: the provider's `read` in this process, its wall time against the two requests' durations in the
 *    emulator's log (overlap = sum of durations − wall time; sequential would be ≈ 2 × latency, concurrent ≈ 1 ×);
 *  - through the engine: `refresh` with and without latency (concurrent adds ≈ 1 × latency, sequential ≈ 2 ×).
 */
const { performance } = require("node:perf_hooks");
const { createProvider } = require("../../dist/provider");
const { round } = require("./stats");

const N = 5;
const DIRECT_LATENCY_MS = 300;
const ENGINE_LATENCY_MS = 1000;

function kinds(entries) {
  const byKind = {};
  for (const { method, path } of entries) {
    const kind = `${method} ${path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return byKind;
}

const INTEGRATION_LOOK_UP = /^\/integrations\/[^/]+$/;

/**
 * A run learns each integration's location once (`GET /integrations/{id}`), however many sources it touches: those
 * look-ups are counted per integration, apart from the requests each source costs.
 */
function splitLookUps(entries, n) {
  const lookUps = entries.filter((e) => e.method === "GET" && INTEGRATION_LOOK_UP.test(e.path));
  const perIntegration = {};
  for (const { path } of lookUps) perIntegration[path] = (perIntegration[path] ?? 0) + 1;
  const sourceRequests = entries.length - lookUps.length;
  return {
    perResource: sourceRequests / n,
    integrationLookUps: {
      total: lookUps.length,
      perIntegration,
      max: Math.max(0, ...Object.values(perIntegration)),
    },
  };
}

async function logged(emulator, action) {
  await emulator.control.clearRequests();
  const started = performance.now();
  const result = await action();
  const seconds = (performance.now() - started) / 1000;
  return { result, seconds, entries: await emulator.requests() };
}

/** Tags each source carries in the governance scenario (leaf tags of the emulator's default library). */
const TAGS = ["Team.Research", "Sensitivity.Internal", "Finance.PII"];

/**
 * The same stack with every source tagged (k = 3) and described: what a create, a refresh and an up without
 * change cost beyond the same operations without metadata, per resource.
 */
async function governanceScenario({ handle, emulator, log, create, read }) {
  await handle.setConfig("bench:tags", JSON.stringify(TAGS));
  await handle.setConfig("bench:description", "benchmark source");
  try {
    const up = await logged(emulator, () => handle.stack.up());
    const upSame = await logged(emulator, () => handle.stack.up());
    const refresh = await logged(emulator, () => handle.stack.refresh());
    await handle.stack.destroy();
    const governed = {
      tags: TAGS.length,
      createPerResource: splitLookUps(up.entries, N).perResource,
      createExtraPerResource: splitLookUps(up.entries, N).perResource - create.perResource,
      createByKind: kinds(up.entries),
      readPerResource: splitLookUps(refresh.entries, N).perResource,
      readExtraPerResource: splitLookUps(refresh.entries, N).perResource - read.perResource,
      upWithoutChanges: upSame.entries.length,
    };
    log(`  governance: ${JSON.stringify(governed)}`);
    return governed;
  } finally {
    await handle.stack.removeAllConfig(["bench:tags", "bench:description"]);
  }
}

async function apiCallScenario({ handle, emulator, log }) {
  await emulator.setLatency(0);
  await handle.setCount(N);

  const up = await logged(emulator, () => handle.stack.up());
  const create = {
    n: N,
    total: up.entries.length,
    ...splitLookUps(up.entries, N),
    byKind: kinds(up.entries),
  };
  log(`  create: ${JSON.stringify(create.byKind)}`);

  const previewSame = await logged(emulator, () => handle.stack.preview());
  const upSame = await logged(emulator, () => handle.stack.up());
  await handle.setConfig("bench:namePrefix", "calls-renamed");
  const previewReplace = await logged(emulator, () => handle.stack.preview());
  await handle.setConfig("bench:namePrefix", "calls");
  const checkDiff = {
    total: previewSame.entries.length + upSame.entries.length + previewReplace.entries.length,
    previewWithoutChanges: {
      requests: previewSame.entries.length,
      changes: previewSame.result.changeSummary,
    },
    upWithoutChanges: { requests: upSame.entries.length },
    previewReplacingAll: {
      requests: previewReplace.entries.length,
      changes: previewReplace.result.changeSummary,
    },
  };
  log(
    `  check/diff: ${checkDiff.total} requests (replace preview: ${JSON.stringify(checkDiff.previewReplacingAll.changes)})`,
  );

  const refresh = await logged(emulator, () => handle.stack.refresh());
  const read = {
    n: N,
    total: refresh.entries.length,
    ...splitLookUps(refresh.entries, N),
    byKind: kinds(refresh.entries),
  };

  // Directly: one read with DIRECT_LATENCY_MS on every request.
  const exported = await handle.stack.exportStack();
  const resource = exported.deployment.resources.find((r) => r.type.includes("immuta:S3DataSource"));
  const provider = createProvider({ env: {} });
  const config = { "immuta:url": emulator.url, "immuta:apiKey": emulator.apiKey };
  await provider.configure({ config: { get: (key) => config[key] } });
  let direct;
  try {
    await provider.read(resource.id, resource.outputs); // connection set up, schemas compiled
    await emulator.setLatency(DIRECT_LATENCY_MS);
    const timed = await logged(emulator, () => provider.read(resource.id, resource.outputs));
    const durations = timed.entries.map((entry) => entry.durationMs);
    const elapsedMs = timed.seconds * 1000;
    direct = {
      latencyMs: DIRECT_LATENCY_MS,
      requests: timed.entries.map((e) => `${e.method} ${e.path.replace(/\/\d+(?=\/|$)/g, "/{id}")}`),
      durationsMs: durations,
      elapsedMs: round(elapsedMs, 1),
      overlapMs: round(durations.reduce((s, d) => s + d, 0) - elapsedMs, 1),
    };
  } finally {
    provider.close();
  }

  // Through the engine: refresh with and without ENGINE_LATENCY_MS, twice each, interleaved.
  const engineSeconds = { 0: [], [ENGINE_LATENCY_MS]: [] };
  for (let rep = 0; rep < 2; rep++) {
    for (const latency of rep === 0 ? [0, ENGINE_LATENCY_MS] : [ENGINE_LATENCY_MS, 0]) {
      await emulator.setLatency(latency);
      const timed = await logged(emulator, () => handle.stack.refresh());
      engineSeconds[latency].push(timed.seconds);
    }
  }
  await emulator.setLatency(0);
  const best = (values) => Math.min(...values);
  const engine = {
    latencyMs: ENGINE_LATENCY_MS,
    n: N,
    refreshSecondsWithoutLatency: engineSeconds[0].map((v) => round(v, 3)),
    refreshSecondsWithLatency: engineSeconds[ENGINE_LATENCY_MS].map((v) => round(v, 3)),
    extraSeconds: round(best(engineSeconds[ENGINE_LATENCY_MS]) - best(engineSeconds[0]), 3),
  };
  // Decided by the direct measurement (milliseconds apart); the engine's is supporting evidence, its noise on a
  // shared machine is a few hundred milliseconds.
  read.concurrent =
    direct.requests.length === 2 &&
    direct.elapsedMs < 1.5 * DIRECT_LATENCY_MS &&
    direct.overlapMs > 0.5 * DIRECT_LATENCY_MS;
  read.evidence = { direct, engine };
  log(
    `  read: ${JSON.stringify(read.byKind)}, direct ${direct.elapsedMs} ms for ${JSON.stringify(direct.durationsMs)}, engine +${engine.extraSeconds} s`,
  );

  const destroy = await logged(emulator, () => handle.stack.destroy());
  const perPath = {};
  for (const entry of destroy.entries.filter((e) => e.method === "DELETE"))
    perPath[entry.path] = (perPath[entry.path] ?? 0) + 1;
  const counts = Object.values(perPath);
  const deletion = {
    n: N,
    total: destroy.entries.length,
    byKind: kinds(destroy.entries),
    sources: counts.length,
    perSource: !counts.length
      ? "none"
      : Math.min(...counts) === Math.max(...counts)
        ? counts[0]
        : `${Math.min(...counts)}–${Math.max(...counts)}`,
    exactlyTwoEach: counts.length === N && counts.every((c) => c === 2) && destroy.entries.length === 2 * N,
  };
  log(`  delete: ${JSON.stringify(deletion.byKind)}`);

  const governance = await governanceScenario({ handle, emulator, log, create, read });
  return { n: N, create, checkDiff, read, delete: deletion, governance };
}

module.exports = { apiCallScenario };
