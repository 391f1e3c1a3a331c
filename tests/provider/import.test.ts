/**
 * A read by id alone, as `pulumi import` sends it: the source becomes state with Immuta's values as the
 * declaration, so that a program declaring the same source shows no change.
 */
import { API_KEY, createSource, declaration, MODE_MATRIX, rejectionOf, useHarness } from "./support";

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({ names, handlerIds });

  it("reads the source by id with two GETs and returns the state create would have recorded", async () => {
    const { id, outs } = await createSource(harness, "imported");
    const { __provider: _reference, ...created } = outs;
    // Another process, knowing nothing but the id.
    const importer = harness.providerWith({});
    await harness.control.clearRequests();

    // The engine sends no properties at all: the provider receives none.
    const result = await importer.provider.read(id, {} as never);

    const stored = await harness.source(id);
    expect(await harness.requests()).toEqual([
      `GET /dataSource/${id}`,
      `GET /native-s3/handler/${stored!.handlerId}`,
    ]);
    expect(result.id).toBe(id);
    // What a create of the same declaration records, except that the name declared is Immuta's.
    expect(result.props).toEqual({ ...created, dataSourceName: stored!.name });
    expect(result.inputs).toEqual({
      integrationId: 1,
      prefix: "s3://acme-imported/raw",
      dataSourceName: stored!.name,
    });
    // The engine then checks the inputs; a program declaring them sees no change.
    const checked = await importer.provider.check({}, result.inputs as unknown as Record<string, unknown>);
    expect(checked.failures).toEqual([]);
    expect(await importer.provider.diff(id, result.props!, checked.inputs!)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      changed: [],
    });
  });
});

describe("import ids", () => {
  const harness = useHarness();

  it("takes <tenant>/<id> for a named tenant, and records the plain id", async () => {
    const { id } = await createSource(harness, "tenant");
    const importer = harness.providerWith({
      env: { IMMUTA_STAGING_URL: harness.emulator.url, IMMUTA_STAGING_API_KEY: API_KEY },
    });
    const result = await importer.provider.read(`staging/${id}`, {} as never);
    expect(result.id).toBe(id);
    expect(result.props).toMatchObject({ tenant: "staging", dataSourceId: Number(id) });
    expect(result.inputs).toMatchObject({ tenant: "staging" });
  });

  it.each(["abc", "0", "-1", "a/b/3", "42x", ""])("refuses %j, saying what an import id is", async (id) => {
    const error = await rejectionOf(harness.provider.read(id, {} as never));
    expect(error.message).toContain("take Immuta's data source id (e.g. 42), or <tenant>/<id>");
    expect(await harness.requests()).toEqual([]);
  });

  it("names the id, the 404 and the visibility rule when Immuta has no such source", async () => {
    const error = await rejectionOf(harness.provider.read("4242", {} as never));
    expect(error.message).toMatch(
      /^Reading data source id 4242 failed: Immuta answered 404 to GET \/dataSource\/4242/,
    );
    expect(error.message).toContain("GOVERNANCE");
    expect(error.message).not.toContain(API_KEY);
  });

  it("imports a disabled source as disabled, so that the next up restores it in place", async () => {
    const { id } = await createSource(harness, "disabled");
    await harness.control.mutateDataSource(Number(id), { deleted: true });

    const result = await harness.providerWith({}).provider.read(id, {} as never);

    expect(result.props).toMatchObject({ disabled: true });
    expect(result.inputs).toMatchObject({ disabled: true });
    const checked = await harness.engine.check(declaration("disabled", { dataSourceName: "disabled data" }));
    expect(await harness.provider.diff(id, result.props!, checked)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["disabled"],
    });
  });
});
