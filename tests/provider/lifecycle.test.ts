/**
 * create → refresh → preview → destroy of one data source, with the provider's methods called directly against the
 * emulator over HTTP, in every combination of the `names` and `handlerIds` modes.
 */
import { STATE_SCHEMA_VERSION } from "../../provider/core/constants";
import { withDefaults } from "../../provider/core/inputs";
import {
  canonicalPrefix,
  createSource,
  expectedImmutaName,
  MODE_MATRIX,
  PROVIDER_REF,
  rejectionOf,
  useHarness,
} from "./support";

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({ names, handlerIds });

  describe("create", () => {
    it("sends exactly POST /native-s3/handler then GET /dataSource/{id}, and records Immuta's view", async () => {
      const { id, inputs, outs } = await createSource(harness, "create");

      const [stored] = await harness.sources();
      expect(await harness.sources()).toHaveLength(1);
      // The integration's location is learned once per provider process; the emulator, in Immuta's documented
      // (relative) prefix form, refuses an absolute prefix, so the POST carried the relative one.
      expect(await harness.requests()).toEqual([
        "GET /integrations/1",
        "POST /native-s3/handler",
        `GET /dataSource/${stored.id}`,
      ]);
      expect(id).toBe(String(stored.id));
      if (handlerIds === "separate") expect(stored.handlerId).not.toBe(stored.id);
      else expect(stored.handlerId).toBe(stored.id);

      expect(stored).toMatchObject({
        name: expectedImmutaName("create", names),
        prefix: canonicalPrefix("create"),
        integrationId: 1,
        deleted: false,
      });
      expect(outs).toEqual({
        schemaVersion: STATE_SCHEMA_VERSION,
        integrationId: 1,
        prefix: canonicalPrefix("create"),
        dataSourceName: "create data",
        tenant: "default",
        dataSourceId: stored.id,
        handlerId: stored.handlerId,
        immutaName: stored.name,
        // No appliedName: the rename baseline is stored only where it differs from immutaName.
        otherTags: [],
        awsLocationPath: "s3://",
        disabled: false,
        status: "passed",
        __provider: PROVIDER_REF,
      });
      // The declaration as given (canonicalised, defaults filled in) is in the outputs, as diff receives outputs,
      // not inputs.
      const declared = withDefaults(inputs);
      for (const key of ["integrationId", "prefix", "dataSourceName", "tenant"])
        expect(outs[key]).toEqual(declared[key]);
    });

    it("learns the integration's location once: a second create sends only its POST and GET", async () => {
      await createSource(harness, "first");
      await harness.control.clearRequests();
      const { id } = await createSource(harness, "second");
      expect(await harness.requests()).toEqual(["POST /native-s3/handler", `GET /dataSource/${id}`]);
    });

    it("compares equal to its own declaration right after create (no diff on the next preview)", async () => {
      const { id, inputs, outs } = await createSource(harness, "fresh");
      await harness.control.clearRequests();
      expect(await harness.engine.diff(id, outs, inputs)).toEqual({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        changed: [],
      });
      expect(await harness.requests()).toEqual([]);
    });
  });

  describe("read (refresh)", () => {
    it("without drift: two requests, the old outputs unchanged, inputs = the declaration", async () => {
      const { id, inputs, outs } = await createSource(harness, "read");
      await harness.control.clearRequests();

      const refreshed = await harness.engine.read(id, outs);

      expect((await harness.requests()).sort()).toEqual(
        [
          `GET /dataSource/${String(outs.dataSourceId)}`,
          `GET /native-s3/handler/${String(outs.handlerId)}`,
        ].sort(),
      );
      expect(refreshed.id).toBe(id);
      expect(refreshed.props).toEqual(outs);
      expect(refreshed.inputs).toEqual(inputs);
      expect(await harness.engine.diff(id, refreshed.props!, inputs)).toEqual({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        changed: [],
      });

      // A second refresh changes nothing: no perpetual diff, whatever name Immuta chose.
      const again = await harness.engine.read(id, refreshed.props!);
      expect(again).toEqual(refreshed);
    });

    it("fetches the data source and the handler concurrently", async () => {
      const { id, outs } = await createSource(harness, "concurrent");
      const latencyMs = 400;
      await harness.control.setFaults([
        { method: "GET", path: "/dataSource/*", kind: "latency", latencyMs },
        { method: "GET", path: "/native-s3/handler/*", kind: "latency", latencyMs },
      ]);
      await harness.control.clearRequests();

      const startedAt = Date.now();
      const refreshed = await harness.engine.read(id, outs);
      const elapsed = Date.now() - startedAt;

      expect(refreshed.id).toBe(id);
      expect(await harness.requests()).toHaveLength(2);
      // One after the other would take at least 2 × 300 ms.
      expect(elapsed).toBeLessThan(2 * latencyMs - 100);
    });
  });

  describe("delete", () => {
    it("disables then purges a live source: exactly two DELETEs, and the source is gone", async () => {
      const { id, outs } = await createSource(harness, "delete");
      await harness.control.clearRequests();

      await harness.engine.delete(id, outs);

      expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`, `DELETE /dataSource/${id}`]);
      expect(await harness.sources()).toEqual([]);
      // After destroy, a refresh of a stale state finds nothing.
      expect(await harness.engine.read(id, outs)).toEqual({});
    });

    it("purges an already-disabled source with one DELETE", async () => {
      const { id, outs } = await createSource(harness, "disabled-delete");
      await harness.control.mutateDataSource(Number(id), { deleted: true });
      await harness.control.clearRequests();

      await harness.engine.delete(id, outs);

      expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`]);
      expect(await harness.sources()).toEqual([]);
    });

    it("counts a source purged behind Pulumi's back (404) as deleted", async () => {
      const { id, outs } = await createSource(harness, "purged-delete");
      await harness.control.purgeDataSource(Number(id));
      await harness.control.clearRequests();

      await expect(harness.engine.delete(id, outs)).resolves.toBeUndefined();

      expect(await harness.requestLog()).toEqual([
        expect.objectContaining({ method: "DELETE", path: `/dataSource/${id}`, status: 404 }),
      ]);
    });

    it("reports a handlerDeleteErrorMessage instead of swallowing it", async () => {
      const { id, outs } = await createSource(harness, "handler-cleanup");
      const message = "Could not remove the S3 access grant for the handler";
      await harness.control.mutateDataSource(Number(id), { handlerDeleteErrorMessage: message });

      const error = await rejectionOf(harness.engine.delete(id, outs));

      expect(error.message.split(message)).toHaveLength(2); // reported once, though both DELETEs returned it
      expect(error.message).toContain(`id ${id}`);
      expect(error.message).toMatch(/destroy/);
      // Immuta did purge it, so the next destroy finishes (404 counts as done).
      expect(await harness.sources()).toEqual([]);
      await expect(harness.engine.delete(id, outs)).resolves.toBeUndefined();
    });
  });

  describe("state written by an earlier release (schemaVersion 1)", () => {
    it("is refreshed and destroyed", async () => {
      const { id, inputs, outs } = await createSource(harness, "legacy");
      const legacy = {
        schemaVersion: 1,
        integrationId: outs.integrationId,
        prefix: outs.prefix,
        dataSourceName: outs.dataSourceName,
        dataSourceId: outs.dataSourceId,
        handlerId: outs.handlerId,
        name: outs.immutaName,
        __provider: PROVIDER_REF,
      };
      await harness.control.clearRequests();

      const refreshed = await harness.engine.read(id, legacy);

      expect(await harness.requests()).toHaveLength(2);
      expect(refreshed.props).toEqual({ ...outs, awsLocationPath: "s3://" });
      expect(refreshed.inputs).toEqual(inputs);
      expect(await harness.engine.diff(id, legacy, inputs)).toMatchObject({ changes: false });

      await harness.control.clearRequests();
      await harness.engine.delete(id, legacy);
      expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`, `DELETE /dataSource/${id}`]);
      expect(await harness.sources()).toEqual([]);
    });

    it("is refreshed when its handlerId was recorded as the data source id", async () => {
      const { id, inputs, outs } = await createSource(harness, "legacy-handler");
      const legacy = {
        schemaVersion: 1,
        integrationId: outs.integrationId,
        prefix: outs.prefix,
        dataSourceName: outs.dataSourceName,
        dataSourceId: outs.dataSourceId,
        handlerId: outs.dataSourceId,
        name: outs.immutaName,
        __provider: PROVIDER_REF,
      };

      const refreshed = await harness.engine.read(id, legacy);

      expect(refreshed.props).toEqual({ ...outs, awsLocationPath: "s3://" });
      expect(refreshed.inputs).toEqual(inputs);
    });
  });
});

describe.each(["separate", "same"] as const)("blobHandler: absent, handlerIds: %s", (handlerIds) => {
  const harness = useHarness({ blobHandler: "absent", handlerIds });

  it("falls back to the data source id as the handler id", async () => {
    const { id, outs } = await createSource(harness, "no-blob");
    const [stored] = await harness.sources();
    expect(await harness.requests()).toEqual([
      "GET /integrations/1",
      "POST /native-s3/handler",
      `GET /dataSource/${id}`,
    ]);
    expect(outs.dataSourceId).toBe(stored.id);
    expect(outs.handlerId).toBe(stored.id);
  });

  if (handlerIds === "same") {
    it("refreshes with the fallback handler id", async () => {
      const { id, inputs, outs } = await createSource(harness, "no-blob-read");
      const refreshed = await harness.engine.read(id, outs);
      expect(refreshed.props).toEqual({ ...outs, awsLocationPath: "s3://" });
      expect(await harness.engine.diff(id, refreshed.props!, inputs)).toMatchObject({ changes: false });
    });
  }
});

describe("many resources through one provider process (pulumi up --parallel)", () => {
  const harness = useHarness({ names: "generate" });

  it("creates, refreshes and destroys them concurrently, each with its own state", async () => {
    const tags = Array.from({ length: 8 }, (_, index) => `parallel-${index}`);

    const created = await Promise.all(tags.map((tag) => createSource(harness, tag)));

    const stored = await harness.sources();
    expect(stored).toHaveLength(tags.length);
    expect((await harness.requests()).filter((request) => request.startsWith("POST"))).toHaveLength(
      tags.length,
    );
    for (const [index, { id, outs }] of created.entries()) {
      const source = stored.find((candidate) => String(candidate.id) === id)!;
      expect(source.prefix).toBe(canonicalPrefix(tags[index]));
      expect(outs).toMatchObject({
        handlerId: source.handlerId,
        immutaName: source.name,
        dataSourceName: `${tags[index]} data`,
      });
    }

    const refreshed = await Promise.all(created.map(({ id, outs }) => harness.engine.read(id, outs)));
    refreshed.forEach((result, index) => expect(result.inputs).toEqual(created[index].inputs));

    await harness.control.clearRequests();
    await Promise.all(created.map(({ id, outs }) => harness.engine.delete(id, outs)));
    expect(await harness.sources()).toEqual([]);
    expect(await harness.requests()).toHaveLength(2 * tags.length);
  });
});
