/**
 * Changes made in Immuta behind Pulumi's back, made with the emulator's control API, as `pulumi refresh` (read),
 * the next preview (diff) and the next `pulumi up` (update) see them.
 */
import { canonicalPrefix, createSource, expectedImmutaName, MODE_MATRIX, useHarness } from "./support";

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({ names, handlerIds });

  it("purged: refresh returns no id, so the resource leaves the state", async () => {
    const { id, outs } = await createSource(harness, "purged");
    await harness.control.purgeDataSource(Number(id));

    const refreshed = await harness.engine.read(id, outs);

    expect(refreshed).toEqual({});
    expect(refreshed.id).toBeUndefined();
  });

  it("disabled: refresh reports it, preview plans an update (not a replacement), up restores it", async () => {
    const { id, inputs, outs } = await createSource(harness, "disabled");
    await harness.control.mutateDataSource(Number(id), { deleted: true });

    const refreshed = await harness.engine.read(id, outs);
    expect(refreshed.props).toMatchObject({ disabled: true, dataSourceId: Number(id) });
    expect(refreshed.inputs).toEqual({ ...inputs, disabled: true });

    expect(await harness.engine.diff(id, refreshed.props!, inputs)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["disabled"],
    });

    await harness.control.clearRequests();
    const updated = await harness.engine.update(id, refreshed.props!, inputs);

    const requests = await harness.requests();
    expect(requests).toContain(`PUT /dataSource/${id}`);
    expect(requests.filter((request) => request.startsWith("POST") || request.startsWith("DELETE"))).toEqual(
      [],
    );
    expect(await harness.source(id)).toMatchObject({ deleted: false });
    expect(updated).toMatchObject({ disabled: false, dataSourceId: Number(id), handlerId: outs.handlerId });

    // Converged: the next refresh and preview show nothing.
    const after = await harness.engine.read(id, updated);
    expect(after.inputs).toEqual(inputs);
    expect(await harness.engine.diff(id, after.props!, inputs)).toMatchObject({ changes: false });
  });

  it("renamed: refresh reports Immuta's name, preview plans an update, up renames it back", async () => {
    const { id, inputs, outs } = await createSource(harness, "renamed");
    await harness.control.mutateDataSource(Number(id), { name: "renamed in the UI" });

    const refreshed = await harness.engine.read(id, outs);
    expect(refreshed.props).toMatchObject({
      immutaName: "renamed in the UI",
      appliedName: expectedImmutaName("renamed", names),
      dataSourceName: "renamed data",
    });
    expect(refreshed.inputs).toEqual({ ...inputs, dataSourceName: "renamed in the UI" });

    expect(await harness.engine.diff(id, refreshed.props!, inputs)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["dataSourceName"],
    });

    await harness.control.clearRequests();
    const updated = await harness.engine.update(id, refreshed.props!, inputs);

    expect(await harness.requests()).toContain(`PUT /dataSource/${id}`);
    expect(await harness.source(id)).toMatchObject({ name: expectedImmutaName("renamed", names) });
    expect(updated).toMatchObject({ immutaName: expectedImmutaName("renamed", names) });
    // Renamed back, the rename baseline equals Immuta's name again and is not stored.
    expect(updated).not.toHaveProperty("appliedName");
    const after = await harness.engine.read(id, updated);
    expect(after.inputs).toEqual(inputs);
    expect(await harness.engine.diff(id, after.props!, inputs)).toMatchObject({ changes: false });
  });

  it("disabled and renamed at once: one update restores and renames it", async () => {
    const { id, inputs, outs } = await createSource(harness, "both");
    await harness.control.mutateDataSource(Number(id), { deleted: true, name: "both, renamed" });

    const refreshed = await harness.engine.read(id, outs);
    expect(await harness.engine.diff(id, refreshed.props!, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
    await harness.engine.update(id, refreshed.props!, inputs);

    expect(await harness.source(id)).toMatchObject({
      deleted: false,
      name: expectedImmutaName("both", names),
    });
  });

  it("re-pointed to another prefix: refresh reports Immuta's prefix, preview plans a delete-before-replace", async () => {
    const { id, inputs, outs } = await createSource(harness, "moved");
    await harness.control.mutateDataSource(Number(id), { prefix: "s3://acme-elsewhere/raw//" });

    const refreshed = await harness.engine.read(id, outs);
    expect(refreshed.props).toMatchObject({ prefix: "s3://acme-elsewhere/raw" });
    expect(refreshed.inputs).toEqual({ ...inputs, prefix: "s3://acme-elsewhere/raw" });

    expect(await harness.engine.diff(id, refreshed.props!, inputs)).toEqual({
      changes: true,
      replaces: ["prefix"],
      deleteBeforeReplace: true,
      changed: ["prefix"],
    });
  });

  it("moved to another integration: refresh reports it, preview plans a delete-before-replace", async () => {
    const { id, inputs, outs } = await createSource(harness, "integration");
    await harness.control.seedIntegration({ id: 2, awsLocationPath: "s3://acme-integration/" });
    await harness.control.mutateDataSource(Number(id), { integrationId: 2 });

    const refreshed = await harness.engine.read(id, outs);
    expect(refreshed.props).toMatchObject({ integrationId: 2, prefix: canonicalPrefix("integration") });
    expect(refreshed.inputs).toEqual({ ...inputs, integrationId: 2 });

    expect(await harness.engine.diff(id, refreshed.props!, inputs)).toEqual({
      changes: true,
      replaces: ["integrationId"],
      deleteBeforeReplace: true,
      changed: ["integrationId"],
    });
  });

  it("a handler id that changed in Immuta is picked up by refresh", async () => {
    const { id, inputs, outs } = await createSource(harness, "handler-moved");
    // State that recorded a handler id Immuta no longer uses for this source.
    const stale = { ...outs, handlerId: 987654 };

    const refreshed = await harness.engine.read(id, stale);

    expect(refreshed.props).toMatchObject({ handlerId: outs.handlerId });
    expect(refreshed.inputs).toEqual(inputs);
  });
});
