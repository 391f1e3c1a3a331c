/**
 * The live acceptance scenarios, through the real Pulumi engine, against the tenant the `IMMUTA_LIVE_*` variables
 * name. Started by `npm run test:live` (tests/live/run.js), which gives the run its id and sweeps before and after;
 * docs/live-testing.md says what it needs and creates.
 *
 * "Behind Pulumi's back" goes through Immuta's API directly (support/direct-immuta.ts). The requests the provider
 * sends are observed by a recording proxy in front of the tenant (support/forwarding-proxy.ts), which works the
 * same against a real tenant and the emulator.
 */
import { deploymentOf, opsOf, resourceNamed, stepRecorder, type ResourceStep } from "../e2e/support/stack";
import { DirectImmuta } from "./support/direct-immuta";
import { startForwardingProxy, type ForwardingProxy, type ProxiedRequest } from "./support/forwarding-proxy";
import { createLiveStack, type LiveStack } from "./support/live-stack";
import {
  LIVE_TENANT,
  readLiveSettings,
  RUN_ID_VARIABLE,
  runLayout,
  type LiveSettings,
  type RunLayout,
} from "./support/settings";
import { findLiveSources } from "./support/sweep";

// A real tenant answers in seconds, not milliseconds; one step may create, read and purge several sources.
jest.setTimeout(600_000);

const read = readLiveSettings(process.env);
const runId = process.env[RUN_ID_VARIABLE];
// Only `npm run test:live` gives a run id, after checking the settings and sweeping; a bare `npx jest` skips.
const started = read.kind === "ok" && runId !== undefined;
(started ? describe : describe.skip)("live acceptance scenarios", () => {
  if (read.kind !== "ok" || runId === undefined) return;
  scenarios(read.settings, runLayout(read.settings, runId));
});

function scenarios(settings: LiveSettings, layout: RunLayout): void {
  function declared(key: string, name = layout.nameOf(key)): Record<string, unknown> {
    return {
      tenant: LIVE_TENANT,
      integrationId: settings.integrationId,
      prefix: layout.prefixOf(key),
      dataSourceName: name,
    };
  }

  let sources: Record<string, Record<string, unknown>> = {
    alpha: declared("alpha"),
    beta: declared("beta"),
    gamma: declared("gamma"),
  };

  let immuta: DirectImmuta;
  let proxy: ForwardingProxy;
  let live: LiveStack;

  beforeAll(async () => {
    immuta = new DirectImmuta(process.env);
    proxy = await startForwardingProxy({
      target: settings.connection.resolved.tenant.root,
      caBundle: settings.connection.resolved.caBundle,
    });
    live = await createLiveStack(proxy.url);
    await live.setSources(sources);
  });

  afterAll(async () => {
    // What a failed scenario left in Immuta is removed by the launcher's sweep; only local files go here.
    live?.dispose();
    await proxy?.close();
    immuta?.close();
  });

  async function declare(next: Record<string, Record<string, unknown>>): Promise<void> {
    sources = next;
    await live.setSources(next);
  }

  async function idOf(key: string): Promise<number> {
    const resource = resourceNamed(await deploymentOf(live.stack), key);
    if (resource === undefined) throw new Error(`the stack holds no resource ${key}`);
    return resource.outputs.dataSourceId as number;
  }

  /** The requests the provider sent that change something in Immuta. */
  function writes(requests: ProxiedRequest[]): string[] {
    return requests
      .filter((r) => r.method !== "GET" && !r.path.startsWith("/bim/"))
      .map((r) => `${r.method} ${r.path}`);
  }

  function deletesOf(requests: ProxiedRequest[], dataSourceId: number): ProxiedRequest[] {
    return requests.filter((r) => r.method === "DELETE" && r.path === `/dataSource/${dataSourceId}`);
  }

  /** Requests that failed in a way a client may retry (a run against a faulty tenant has some). */
  function transientFailures(requests: ProxiedRequest[]): number {
    return requests.filter((r) => r.error !== undefined || r.status === 429 || (r.status ?? 0) >= 500).length;
  }

  /** A DELETE's successive answers as `disabled` / `purged`, the ones that arrived. */
  function deleteOutcomes(requests: ProxiedRequest[]): string[] {
    return requests
      .filter((r) => r.status === 200 && r.disabled !== undefined)
      .map((r) => (r.disabled ? "disabled" : "purged"));
  }

  /** The purge of an id must be a disable followed by a purge; exactly two DELETEs when nothing failed. */
  function expectPurged(requests: ProxiedRequest[], dataSourceId: number): void {
    const deletes = deletesOf(requests, dataSourceId);
    const outcomes = deleteOutcomes(deletes);
    expect(outcomes.filter((o) => o === "disabled").length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o === "purged").length).toBeLessThanOrEqual(1);
    if (transientFailures(requests) === 0) {
      expect(deletes.map((r) => r.status)).toEqual([200, 200]);
      expect(outcomes).toEqual(["disabled", "purged"]);
    }
  }

  async function expectHeld(dataSourceId: number, key: string, name = layout.nameOf(key)): Promise<void> {
    expect(await immuta.held(dataSourceId)).toEqual({
      dataSourceId,
      name,
      prefix: layout.prefixOf(key),
      disabled: false,
    });
  }

  /** The resources an operation changed (an `up --refresh` also reports a `refresh` step for each). */
  function opsByName(steps: ResourceStep[]): Record<string, string> {
    const changes = steps.filter((s) => s.op !== "same" && s.op !== "refresh");
    return Object.fromEntries(changes.map((s) => [s.name, s.op]));
  }

  test("up creates the three declared sources", async () => {
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toEqual({ create: 3 });
    for (const key of ["alpha", "beta", "gamma"]) await expectHeld(await idOf(key), key);
    expect(await findLiveSources(immuta.tenant, layout.folder)).toHaveLength(3);
    expect(writes(proxy.requests()).filter((w) => !w.startsWith("POST /native-s3/handler"))).toEqual([]);
  });

  test("a second up and a preview change nothing", async () => {
    proxy.clear();
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toEqual({ same: 3 });
    const preview = stepRecorder();
    await live.stack.preview({ onEvent: preview.onEvent, expectNoChanges: true });
    expect(opsOf(preview.steps)).toEqual({ same: 3 });
    expect(writes(proxy.requests())).toEqual([]);
  });

  test("refresh finds no drift", async () => {
    proxy.clear();
    const refresh = stepRecorder();
    await live.stack.refresh({ onEvent: refresh.onEvent });
    expect(opsOf(refresh.steps)).toEqual({ refresh: 3 });
    expect(refresh.steps.filter((s) => s.keys.length > 0)).toEqual([]);
    expect(writes(proxy.requests())).toEqual([]);
  });

  test("renaming replaces the source, purging the old one before registering the new name", async () => {
    const before = await idOf("gamma");
    await declare({ ...sources, gamma: declared("gamma", layout.nameOf("gamma-renamed")) });
    const preview = stepRecorder();
    await live.stack.preview({ onEvent: preview.onEvent });
    expect(preview.steps.find((s) => s.op === "replace")).toMatchObject({
      name: "gamma",
      keys: ["dataSourceName"],
    });

    proxy.clear();
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toMatchObject({ replace: 1, same: 2 });
    const requests = proxy.requests();
    expectPurged(requests, before);
    const lastDelete = requests.lastIndexOf(deletesOf(requests, before).at(-1)!);
    const firstCreate = requests.findIndex((r) => r.method === "POST" && r.path === "/native-s3/handler");
    expect(firstCreate).toBeGreaterThan(lastDelete);
    expect(await immuta.held(before)).toBeUndefined();
    await expectHeld(await idOf("gamma"), "gamma", layout.nameOf("gamma-renamed"));
  });

  test("a source disabled behind Pulumi's back: refresh shows it, up restores it in place", async () => {
    const id = await idOf("alpha");
    await immuta.disable(id);
    expect(await immuta.held(id)).toMatchObject({ disabled: true });

    const refreshed = await live.stack.refresh();
    expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(resourceNamed(await deploymentOf(live.stack), "alpha")?.outputs.disabled).toBe(true);

    proxy.clear();
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsByName(up.steps)).toEqual({ alpha: "update" });
    expect(new Set(writes(proxy.requests()))).toEqual(new Set([`PUT /dataSource/${id}`]));
    expect(await idOf("alpha")).toBe(id);
    await expectHeld(id, "alpha");
  });

  test("a source purged behind Pulumi's back: up --refresh registers it again", async () => {
    const id = await idOf("beta");
    await immuta.purge(id);
    expect(await immuta.held(id)).toBeUndefined();

    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent, refresh: true });
    expect(opsByName(up.steps)).toEqual({ beta: "create" });
    const recreated = await idOf("beta");
    expect(recreated).not.toBe(id);
    await expectHeld(recreated, "beta");
  });

  test("adopts a source that already exists, by name, without registering another", async () => {
    const existing = await immuta.register({
      integrationId: settings.integrationId,
      dataSourceName: layout.nameOf("delta"),
      prefix: layout.prefixOf("delta"),
    });
    await declare({ ...sources, delta: { ...declared("delta"), adopt: { byName: true } } });

    proxy.clear();
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsByName(up.steps)).toEqual({ delta: "create" });
    expect(await idOf("delta")).toBe(existing.dataSourceId);
    expect(writes(proxy.requests())).toEqual([]);
    await expectHeld(existing.dataSourceId, "delta");
  });

  const tagged = settings.tags === undefined ? test.skip : test;

  tagged("tags and a description are applied in place, one request each, and kept as declared", async () => {
    const [first, second] = settings.tags!;
    const id = await idOf("alpha");
    await declare({ ...sources, alpha: { ...declared("alpha"), tags: [first], description: "live suite" } });
    proxy.clear();
    const up = stepRecorder();
    await live.stack.up({ onEvent: up.onEvent });
    expect(opsByName(up.steps)).toEqual({ alpha: "update" });
    expect(writes(proxy.requests()).sort()).toEqual([`POST /tag/datasource/${id}`, `PUT /dataSource/${id}`]);
    expect(await immuta.governance(id)).toEqual({ tags: [first], description: "live suite" });

    await declare({ ...sources, alpha: { ...declared("alpha"), tags: [second], description: "live suite" } });
    proxy.clear();
    await live.stack.up();
    expect(writes(proxy.requests()).map((w) => w.replace(/%2E/gi, "."))).toEqual([
      `POST /tag/datasource/${id}`,
      `DELETE /tag/datasource/${id}/${first}`,
    ]);
    expect(await immuta.governance(id)).toEqual({ tags: [second], description: "live suite" });
    expect(await idOf("alpha")).toBe(id);
  });

  tagged(
    "a tag removed and the description edited behind Pulumi's back: refresh shows it, up restores it",
    async () => {
      const [, second] = settings.tags!;
      const id = await idOf("alpha");
      await immuta.untag(id, second);
      await immuta.describe(id, "edited by hand");
      const refreshed = await live.stack.refresh();
      expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
      proxy.clear();
      await live.stack.up();
      expect(writes(proxy.requests()).sort()).toEqual([
        `POST /tag/datasource/${id}`,
        `PUT /dataSource/${id}`,
      ]);
      expect(await immuta.governance(id)).toEqual({ tags: [second], description: "live suite" });
      await live.stack.preview({ expectNoChanges: true });
    },
  );

  test("destroy purges every source, two DELETEs each, and leaves nothing under the run's folder", async () => {
    const ids = await Promise.all(["alpha", "beta", "gamma", "delta"].map(idOf));
    proxy.clear();
    const destroy = stepRecorder();
    await live.stack.destroy({ onEvent: destroy.onEvent });
    expect(opsOf(destroy.steps)).toEqual({ delete: 4 });
    const requests = proxy.requests();
    for (const id of ids) {
      expectPurged(requests, id);
      expect(await immuta.held(id)).toBeUndefined();
    }
    expect(await findLiveSources(immuta.tenant, layout.folder)).toEqual([]);
  });
}
