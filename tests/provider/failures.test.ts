/**
 * What a user sees when Immuta fails part-way, answers ambiguously, refuses, or rejects the credentials: never a
 * duplicate, never an orphan, and errors that say what to do without ever containing the API key.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FaultRule, RequestLogEntry } from "../../emulator";
import { PartialFailureError } from "../../provider/core/errors";
import { createProvider } from "../../provider/resource-provider";
import {
  API_KEY,
  canonicalPrefix,
  createSource,
  declaration,
  Engine,
  expectCredentialFree,
  expectedImmutaName,
  MODE_MATRIX,
  PROVIDER_REF,
  rejectionOf,
  useHarness,
} from "./support";

/** Every way the read-back GET can fail for good; 5 rules cover the client's default 5 attempts. */
const READ_BACK_FAULTS: [string, FaultRule][] = [
  ["HTTP 500", { method: "GET", path: "/dataSource/*", kind: "status", status: 500, times: 5 }],
  [
    "HTTP 503 on every retry",
    { method: "GET", path: "/dataSource/*", kind: "status", status: 503, times: 5 },
  ],
  ["connection reset on every retry", { method: "GET", path: "/dataSource/*", kind: "reset", times: 5 }],
];

const requestsStatus = (log: RequestLogEntry[], method: string) =>
  log.filter((entry) => entry.method === method).map((entry) => entry.status);

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({ names, handlerIds });

  describe.each(READ_BACK_FAULTS)(
    "partial failure: the read-back after a successful POST fails (%s)",
    (_, rule) => {
      it("raises an error carrying the id and the state, and the next up finishes the state", async () => {
        const inputs = await harness.engine.check(declaration("partial"));
        await harness.control.setFaults([rule]);

        const error = await rejectionOf(harness.engine.create(inputs));

        const [stored] = await harness.sources();
        expect(await harness.sources()).toHaveLength(1);
        expect(error).toBeInstanceOf(PartialFailureError);
        expect(error.id).toBe(String(stored.id));
        expect(error.message).toContain(`id ${stored.id}`);
        expect(error.message).toMatch(/pulumi up/);
        expect(error.reasons).toEqual([error.message]);
        const properties = error.properties as Record<string, unknown>;
        expect(properties).toMatchObject({
          __provider: PROVIDER_REF,
          dataSourceId: stored.id,
          prefix: canonicalPrefix("partial"),
          dataSourceName: "partial data",
          immutaName: stored.name,
          disabled: false,
        });
        expectCredentialFree(error);

        // The next `pulumi up`: the engine updates a resource with init errors, from the properties it kept.
        await harness.control.clearFaults();
        await harness.control.clearRequests();
        const finished = await harness.engine.update(error.id as string, properties, inputs);

        expect(finished).toMatchObject({
          dataSourceId: stored.id,
          handlerId: stored.handlerId,
          immutaName: stored.name,
          disabled: false,
          status: "passed",
          __provider: PROVIDER_REF,
        });
        const requests = await harness.requests();
        expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
        expect(await harness.sources()).toHaveLength(1);
        expect(await harness.engine.diff(error.id as string, finished, inputs)).toMatchObject({
          changes: false,
        });
        const refreshed = await harness.engine.read(error.id as string, finished);
        expect(refreshed.inputs).toEqual(inputs);
      });
    },
  );

  describe("ambiguous create (Immuta processed the POST, the answer never arrived)", () => {
    it("process-then-drop: adopts the source Immuta registered instead of creating a second one", async () => {
      const inputs = await harness.engine.check(declaration("ambiguous"));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "process-then-drop" },
      ]);

      const { id, outs } = await harness.engine.create(inputs);

      const stored = await harness.sources();
      expect(stored).toHaveLength(1);
      const requests = await harness.requests();
      expect(requests.filter((request) => request.startsWith("POST"))).toEqual(["POST /native-s3/handler"]);
      expect(id).toBe(String(stored[0].id));
      expect(outs).toMatchObject({
        dataSourceId: stored[0].id,
        handlerId: stored[0].handlerId,
        immutaName: expectedImmutaName("ambiguous", names),
        dataSourceName: "ambiguous data",
        disabled: false,
      });
      expect(await harness.engine.diff(id, outs, inputs)).toMatchObject({ changes: false });
      const refreshed = await harness.engine.read(id, outs);
      expect(refreshed.inputs).toEqual(inputs);
    });

    it("a client timeout on the POST: adopts the source Immuta registered", async () => {
      const engine = harness.providerWith({ clientOptions: { requestTimeoutMs: 150 } });
      const inputs = await engine.check(declaration("slow"));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "slow", slowMs: 400, times: 1 },
      ]);

      const { id, outs } = await engine.create(inputs);

      const stored = await harness.sources();
      expect(stored).toHaveLength(1);
      expect(id).toBe(String(stored[0].id));
      expect(outs).toMatchObject({ handlerId: stored[0].handlerId, immutaName: stored[0].name });
      // The emulator logs the held-back POST only when its hold ends: wait for it, so it cannot land in the
      // next test's request log, and check that it is the only POST.
      let posts: RequestLogEntry[] = [];
      for (let waited = 0; posts.length === 0 && waited < 5_000; waited += 20) {
        await sleep(20);
        posts = (await harness.requestLog()).filter((entry) => entry.method === "POST");
      }
      expect(posts).toEqual([expect.objectContaining({ status: 200, fault: "slow" })]);
    });

    it("when Immuta did not register it after all, sends the POST once more", async () => {
      const inputs = await harness.engine.check(declaration("lost"));
      // A 500 on a POST is ambiguous (never retried blindly), but here nothing was processed.
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "status", status: 500, times: 1 },
      ]);

      const { id } = await harness.engine.create(inputs);

      const stored = await harness.sources();
      expect(stored).toHaveLength(1);
      expect(id).toBe(String(stored[0].id));
      const requests = await harness.requests();
      expect(requests.filter((request) => request.startsWith("POST"))).toEqual([
        "POST /native-s3/handler",
        "POST /native-s3/handler",
      ]);
    });

    it("a POST that lands late (409 on the resend) is recognised as this declaration's own and adopted", async () => {
      const inputs = await harness.engine.check(declaration("late"));
      // The first POST fails ambiguously; the look-up finds nothing; while the search answer is held back, the
      // first POST "lands" (the source appears), so the resent POST meets a 409.
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "status", status: 500, times: 1 },
        { method: "GET", path: "/dataSource", kind: "slow", slowMs: 800, times: 1 },
      ]);
      const creating = harness.engine.create(inputs);
      while ((await harness.control.faults())[1].remaining !== 0) await sleep(5);
      const landed = await harness.control.seedDataSource({
        name: expectedImmutaName("late", names),
        prefix: canonicalPrefix("late"),
      });

      const { id, outs } = await creating;

      const requests = await harness.requests();
      expect(requests.filter((request) => request.startsWith("POST"))).toHaveLength(2);
      expect(requestsStatus(await harness.requestLog(), "POST")).toEqual([500, 409]);
      expect(await harness.sources()).toEqual([landed]);
      expect(id).toBe(String(landed.id));
      expect(outs).toMatchObject({
        dataSourceId: landed.id,
        handlerId: landed.handlerId,
        immutaName: landed.name,
      });
    });

    it("gives up with nothing left behind when every POST fails ambiguously and nothing was registered", async () => {
      const inputs = await harness.engine.check(declaration("down"));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "status", status: 500 },
      ]);

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.id).toBeUndefined();
      expect(error.message).toMatch(/Nothing was left behind/);
      expect(await harness.sources()).toEqual([]);
      expectCredentialFree(error);
    });

    it("when the look-up after an ambiguous create fails too, the error says the source may exist", async () => {
      const inputs = await harness.engine.check(declaration("lookup-fails"));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "process-then-drop", times: 1 },
        { method: "GET", path: "/dataSource*", kind: "status", status: 500 },
      ]);

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.message).toMatch(/ambiguous outcome/);
      expect(error.message).toMatch(/may have registered it/);
      expect(error.message).toMatch(/HTTP 500/);
      expectCredentialFree(error);

      // The next `up` meets the 409 and names the source this run registered.
      await harness.control.clearFaults();
      const [registered] = await harness.sources();
      const next = await rejectionOf(harness.engine.create(inputs));
      expect(next.message).toContain(`data source id ${registered.id}`);
      expect(next.message).toContain(`adopt: { dataSourceId: ${registered.id} }`);
    });
  });

  describe("409: the name or prefix is taken", () => {
    it("by the declared source itself, created outside Pulumi: the error names it and says how to adopt it", async () => {
      // Named the way Immuta names sources in this mode, as if created in Immuta's UI.
      const seeded = await harness.control.seedDataSource({
        name: expectedImmutaName("taken", names),
        prefix: canonicalPrefix("taken"),
      });
      const inputs = await harness.engine.check(declaration("taken"));

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.message).toContain("HTTP 409");
      expect(error.message).toContain("already exists");
      expect(error.message).toContain(`data source id ${seeded.id} ("${seeded.name}")`);
      expect(error.message).toContain(`adopt: { dataSourceId: ${seeded.id} }`);
      if (names === "honour") expect(error.message).toContain("adopt: { byName: true }");
      else expect(error.message).toContain(`set dataSourceName to "${seeded.name}"`);
      expect(error.id).toBeUndefined();
      expect(await harness.sources()).toEqual([seeded]);
      expectCredentialFree(error);

      // Following the advice takes the source over without a POST.
      const advised = await harness.engine.check(
        declaration("taken", { dataSourceName: seeded.name, adopt: { dataSourceId: seeded.id } }),
      );
      await harness.control.clearRequests();
      const { id } = await harness.engine.create(advised);
      expect(id).toBe(String(seeded.id));
      expect((await harness.requests()).filter((request) => request.startsWith("POST"))).toEqual([]);
    });

    it("by a disabled source holding the prefix: the error says it is disabled and how to adopt it", async () => {
      const seeded = await harness.control.seedDataSource({
        name: expectedImmutaName("held", names),
        prefix: canonicalPrefix("held"),
        deleted: true,
      });
      const inputs = await harness.engine.check(declaration("held"));

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.message).toContain(`data source id ${seeded.id} ("${seeded.name}", disabled)`);
      expect(error.message).toContain(`adopt: { dataSourceId: ${seeded.id} }`);
      expect(error.message).toMatch(/disabled source keeps its name and prefix/);
      expect(await harness.sources()).toEqual([seeded]);
    });

    if (names === "honour") {
      it("by another source with the same name: the error lists what differs and does not suggest adopting", async () => {
        const seeded = await harness.control.seedDataSource({
          name: "taken data",
          prefix: "s3://acme-other/raw",
        });
        const inputs = await harness.engine.check(declaration("taken"));

        const error = await rejectionOf(harness.engine.create(inputs));

        expect(error.message).toContain(
          `data source id ${seeded.id} ("taken data"), which is not the declared source`,
        );
        expect(error.message).toContain(
          `prefix: Immuta has s3://acme-other/raw, the declaration says ${canonicalPrefix("taken")}`,
        );
        expect(error.message).toContain("Choose another name or prefix");
        expect(error.message).not.toContain("adopt:");
        expect(await harness.sources()).toEqual([seeded]);
      });
    }

    it("by a source with an unrelated name holding the prefix: the error suggests adopt by id", async () => {
      const seeded = await harness.control.seedDataSource({
        name: "legacy",
        prefix: canonicalPrefix("prefix"),
      });
      const inputs = await harness.engine.check(declaration("prefix"));

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.message).toContain("HTTP 409");
      expect(error.message).toContain("adopt: { dataSourceId: <id> }");
      expect(await harness.sources()).toEqual([seeded]);
    });

    it("when the holder cannot be looked up, the error still suggests adopt", async () => {
      const seeded = await harness.control.seedDataSource({
        name: expectedImmutaName("unknown-holder", names),
        prefix: canonicalPrefix("unknown-holder"),
      });
      const inputs = await harness.engine.check(declaration("unknown-holder"));
      await harness.control.setFaults([{ method: "GET", path: "/dataSource*", kind: "status", status: 500 }]);

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error.message).toContain("HTTP 409");
      expect(error.message).toContain("adopt: { byName: true }");
      expect(error.message).toContain("adopt: { dataSourceId: <id> }");
      expect(await harness.sources()).toEqual([seeded]);
    });
  });
});

describe("delete and refresh under faults", () => {
  const harness = useHarness();

  it.each([
    ["the disabling DELETE", 0],
    ["the purging DELETE", 1],
  ])("a dropped answer to %s is resent and the source ends up purged", async (_, dropped) => {
    const { id, outs } = await createSource(harness, "drop-delete");
    await harness.control.clearRequests();
    const rules: FaultRule[] = [
      { method: "DELETE", path: "/dataSource/*", kind: "process-then-drop", times: 1 },
    ];
    if (dropped === 1)
      rules.unshift({ method: "DELETE", path: "/dataSource/*", kind: "latency", latencyMs: 0, times: 1 });
    await harness.control.setFaults(rules);

    await harness.engine.delete(id, outs);

    expect(await harness.sources()).toEqual([]);
    const deletes = (await harness.requestLog()).filter((entry) => entry.method === "DELETE");
    // Two DELETEs did the work; a resend after the purge meets 404, which counts as done.
    expect(deletes.filter((entry) => entry.status === 200)).toHaveLength(2);
    expect(deletes.length).toBeLessThanOrEqual(3);
  });

  it("a refresh that cannot reach Immuta fails naming the source, and keeps it in state", async () => {
    const { id, outs } = await createSource(harness, "unreachable");
    await harness.control.setFaults([{ method: "GET", kind: "status", status: 502, htmlBody: true }]);

    const error = await rejectionOf(harness.engine.read(id, outs));

    expect(error.message).toContain(
      `Refreshing data source "unreachable data" (${canonicalPrefix("unreachable")}, id ${id})`,
    );
    expect(error.message).toMatch(/502/);
    expect(error.message).not.toMatch(/<html|<center/i);
    expectCredentialFree(error);
  });
});

describe("permissions and credentials", () => {
  const READER_KEY = "reader-apikey-3b9f0e-SECRET-77aa";
  const harness = useHarness({
    users: [{ name: "reader", apiKey: READER_KEY, permissions: [] }],
  });

  it("403 on create names the missing CREATE_S3_DATASOURCE permission, without the key", async () => {
    const engine = harness.providerWith({ apiKey: READER_KEY });
    const inputs = await engine.check(declaration("forbidden"));

    const error = await rejectionOf(engine.create(inputs));

    expect(error.message).toContain("CREATE_S3_DATASOURCE");
    expect(error.message).toContain("forbidden data");
    expect(error.message).toMatch(/403/);
    expect(error.id).toBeUndefined();
    expect(await harness.sources()).toEqual([]);
    expect(await harness.requests()).toEqual(["GET /integrations/1", "POST /native-s3/handler"]);
    expectCredentialFree(error, READER_KEY);
    expectCredentialFree(error, API_KEY);
  });

  it("403 on delete names GOVERNANCE and ownership, and the source stays", async () => {
    const { id, outs } = await createSource(harness, "owned");
    const engine = harness.providerWith({ apiKey: READER_KEY });

    const error = await rejectionOf(engine.delete(id, outs));

    expect(error.message).toContain("GOVERNANCE");
    expect(error.message).toMatch(/owner/);
    expect(error.message).toContain(`id ${id}`);
    expect(await harness.source(id)).toMatchObject({ deleted: false });
    expectCredentialFree(error, READER_KEY);
  });

  it("a wrong API key: 401 names where the key is configured, and the wrong key never appears", async () => {
    const wrongKey = "wrong-apikey-5c1d2e-SECRET-0f0f";
    const engine = harness.providerWith({ apiKey: wrongKey });
    const inputs = await engine.check(declaration("unauthorized"));

    const error = await rejectionOf(engine.create(inputs));

    expect(error.message).toMatch(/401/);
    expect(error.message).toMatch(/IMMUTA_API_KEY|immuta:apiKey/);
    expect(await harness.sources()).toEqual([]);
    expectCredentialFree(error, wrongKey);
  });

  it("no error of create, read, update or delete contains the API key", async () => {
    const { id, inputs, outs } = await createSource(harness, "leak");
    const errors: unknown[] = [];
    const capture = async (promise: Promise<unknown>) => errors.push(await rejectionOf(promise));

    await harness.control.setFaults([{ kind: "status", status: 500 }]);
    await capture(harness.engine.create(await harness.engine.check(declaration("leak-2"))));
    await capture(harness.engine.read(id, outs));
    await capture(harness.engine.update(id, { ...outs, disabled: true }, inputs));
    await capture(harness.engine.delete(id, outs));
    await harness.control.setFaults([{ kind: "status", status: 502, htmlBody: true }]);
    await capture(harness.engine.read(id, outs));
    await harness.control.clearFaults();
    await capture(harness.engine.create(await harness.engine.check(declaration("leak"))));
    await capture(
      harness.engine.create(
        await harness.engine.check(declaration("leak-3", { adopt: { dataSourceId: 999 } })),
      ),
    );

    expect(errors).toHaveLength(7);
    for (const error of errors) expectCredentialFree(error);
  });

  it("a missing URL or key names the config key and the environment variable", async () => {
    const provider = createProvider({ env: { IMMUTA_URL: harness.emulator.url } });
    try {
      const engine = new Engine(provider);
      const error = await rejectionOf(engine.create(await engine.check(declaration("unconfigured"))));
      expect(error.message).toContain("immuta:apiKey");
      expect(error.message).toContain("IMMUTA_API_KEY");
    } finally {
      provider.close();
    }
    expect(await harness.requests()).toEqual([]);
  });
});
