/**
 * What a real tenant may do differently from the emulator's documented defaults, and what Immuta documents but a
 * naive client gets wrong: the prefix form on the wire and read back, integrations with nested locations, hidden
 * sources, search hits that are summaries, handler and DELETE answers without optional members.
 */
import { silentLog } from "../../provider/runtime/engine-log";
import { ImmutaProviderError } from "../../provider/core/errors";
import { canonicalLocation } from "../../provider/core/s3-naming";
import {
  canonicalPrefix,
  createSource,
  declaration,
  expectCredentialFree,
  rejectionOf,
  useHarness,
  type Props,
} from "./support";
import { textContaining } from "../helpers/matchers";

/** Create, refresh (no drift), a preview diff (none) and destroy: the whole life of one source. */
async function roundTrip(harness: ReturnType<typeof useHarness>, tag: string, overrides: Props = {}) {
  const { id, inputs, outs } = await createSource(harness, tag, overrides);
  const refreshed = await harness.engine.read(id, outs);
  expect(refreshed.props).toEqual(outs);
  expect(refreshed.inputs).toEqual(inputs);
  expect(await harness.engine.diff(id, refreshed.props!, inputs)).toMatchObject({ changes: false });
  await harness.engine.delete(id, outs);
  expect(await harness.source(id)).toBeUndefined();
  return outs;
}

describe.each([
  ["s3://", "s3://acme-nested/raw", "acme-nested/raw"],
  ["s3://acme-nested/", "s3://acme-nested/raw", "raw"],
  ["s3://acme-nested/team/", "s3://acme-nested/team/raw", "raw"],
])("an integration at %s", (location, prefix, relative) => {
  const canonical = canonicalLocation(location);
  const harness = useHarness({
    integrations: [
      { id: 1, awsLocationPath: location, awsAccountId: "123456789012", awsRegion: "us-east-2" },
    ],
  });

  it(`registers ${prefix} as the relative prefix "${relative}", with no drift and no perpetual diff`, async () => {
    const outs = await roundTrip(harness, "nested", { prefix: prefix });
    expect(outs).toMatchObject({ prefix, awsLocationPath: canonical });
    const created = (await harness.requestLog()).find((entry) => entry.method === "POST");
    expect(created?.status).toBe(200);
  });
});

describe.each(["s3://acme-nested/", "s3://acme-nested/team/"])("an integration at %s", (location) => {
  const harness = useHarness({
    integrations: [
      { id: 1, awsLocationPath: location, awsAccountId: "123456789012", awsRegion: "us-east-2" },
    ],
  });

  it("refuses a prefix outside its location before anything is sent, naming both", async () => {
    const inputs = await harness.engine.check(
      declaration("outside", { prefix: "s3://elsewhere-bucket/raw" }),
    );
    await harness.control.clearRequests();
    const error = await rejectionOf(harness.engine.create(inputs));
    expect(error).toBeInstanceOf(ImmutaProviderError);
    expect(error.message).toContain("s3://elsewhere-bucket/raw");
    expect(error.message).toContain(`awsLocationPath ${canonicalLocation(location)}`);
    expect(await harness.requests()).toEqual(["GET /integrations/1"]);
  });
});

describe("a tenant that answers prefixes in the absolute form (prefixForm: both)", () => {
  const harness = useHarness({ prefixForm: "both", names: "generate" });
  it("reads the absolute answer back as the declaration: no false drift", async () => {
    await roundTrip(harness, "absolute-answer");
  });
});

describe("immuta:prefixForm absolute, for a tenant that wants s3:// URIs (emulator prefixForm: absolute)", () => {
  const harness = useHarness({ prefixForm: "absolute" });
  it("sends absolute prefixes and compares them canonically", async () => {
    const engine = harness.providerWith({ env: { IMMUTA_PREFIX_FORM: "absolute" } });
    const inputs = await engine.check(declaration("absolute-form"));
    const { id, outs } = await engine.create(inputs);
    expect((await harness.source(id))?.prefix).toBe(canonicalPrefix("absolute-form"));
    expect((await engine.read(id, outs)).props).toEqual(outs);
  });
});

describe("handler answers without optional members, DELETE answers without hardDelete", () => {
  const harness = useHarness({
    handlerLocation: "absent",
    handlerIntegrationId: "string",
    deleteResponse: "documented",
  });
  it("still creates, refreshes without drift and purges with exactly two DELETEs", async () => {
    const { id, outs } = await createSource(harness, "variants");
    expect(outs).toMatchObject({ integrationId: 1, awsLocationPath: "s3://" });
    expect((await harness.engine.read(id, outs)).props).toEqual(outs);
    await harness.control.clearRequests();
    await harness.engine.delete(id, outs);
    expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`, `DELETE /dataSource/${id}`]);
  });
});

describe("sources Immuta hides from the key's user (visibility: documented)", () => {
  const OTHER_KEY = "other-user-apikey-51c2-SECRET";
  const GOVERNOR_KEY = "governor-apikey-8e07-SECRET";
  const harness = useHarness({
    users: [
      { name: "other", apiKey: OTHER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "governor", apiKey: GOVERNOR_KEY, permissions: ["GOVERNANCE"] },
    ],
  });

  it("a refresh by a user who cannot see the source fails, naming the permission, and never drops it", async () => {
    const { id, outs } = await createSource(harness, "hidden");
    const other = harness.providerWith({ apiKey: OTHER_KEY });
    const error = await rejectionOf(other.read(id, outs));
    expect(error.message).toContain("cannot see it");
    expect(error.message).toContain("GOVERNANCE");
    expect(error.message).toContain(
      `Refreshing data source "hidden data" (${canonicalPrefix("hidden")}, id ${id})`,
    );
    expectCredentialFree(error, OTHER_KEY);
    expect(await harness.source(id)).toBeDefined();
  });

  it("a disabled source is hidden even from a GOVERNANCE user: an error, not a deletion", async () => {
    const { id, outs } = await createSource(harness, "disabled-hidden");
    await harness.control.mutateDataSource(Number(id), { deleted: true });
    const governor = harness.providerWith({ apiKey: GOVERNOR_KEY });
    await expect(governor.read(id, outs)).rejects.toThrow(/cannot see it/);
    // its owner sees it disabled, as drift to repair
    expect((await harness.engine.read(id, outs)).props).toMatchObject({ disabled: true });
  });

  it("a purged source is gone: refresh drops it", async () => {
    const { id, outs } = await createSource(harness, "purged");
    await harness.control.purgeDataSource(Number(id));
    expect(await harness.providerWith({ apiKey: OTHER_KEY }).read(id, outs)).toEqual({});
  });
});

describe("search hits are summaries (searchHits: summary), with separate handler ids", () => {
  const harness = useHarness({ names: "generate", handlerIds: "separate" });
  it("after an ambiguous create, the source is found through its prefix and adopted, not registered twice", async () => {
    const inputs = await harness.engine.check(declaration("summary-recovery"));
    await harness.control.setFaults([
      { method: "POST", path: "/native-s3/handler", kind: "process-then-drop", times: 1 },
    ]);
    const { id, outs } = await harness.engine.create(inputs);
    const sources = await harness.sources();
    expect(sources).toHaveLength(1);
    expect(outs).toMatchObject({ dataSourceId: sources[0].id, handlerId: sources[0].handlerId });
    expect(id).toBe(String(sources[0].id));
  });
});

describe.each(["records", "pages"] as const)(
  "a search whose hit is on a later page (searchOffset: %s)",
  (searchOffset) => {
    const harness = useHarness({ names: "generate", searchOffset });
    it("an ambiguous create still finds the source Immuta registered, past the first page of hits", async () => {
      // 150 sources whose generated names contain the declared prefix come first in the search.
      for (let n = 1; n <= 150; n++) {
        await harness.control.seedDataSource({
          name: `s3://acme-paged/raw-${n} (123*****9012/us-east-2)`,
          prefix: `s3://acme-paged/raw-${n}`,
        });
      }
      const inputs = await harness.engine.check(declaration("paged", { prefix: "s3://acme-paged/raw" }));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "process-then-drop", times: 1 },
      ]);
      const { id } = await harness.engine.create(inputs);
      const sources = await harness.sources();
      expect(sources).toHaveLength(151);
      expect(sources.find((source) => source.prefix === "s3://acme-paged/raw")?.id).toBe(Number(id));
    });
  },
);

describe("a named tenant's prefix form and integration locations come from its own config", () => {
  const harness = useHarness({ integrationsApi: "forbidden" });
  it("uses immuta:integrations when the integrations API answers 403, and says so", async () => {
    const lines: string[] = [];
    const engine = harness.providerWith({
      log: { ...silentLog, warn: (line) => lines.push(line) },
      config: { "immuta:integrations": JSON.stringify({ "1": { awsLocationPath: "s3://" } }) },
    });
    const { outs } = await engine.create(await engine.check(declaration("forbidden-integrations")));
    expect(outs).toMatchObject({ awsLocationPath: "s3://" });
    expect(lines).toEqual([textContaining("HTTP 403")]);
    expect(lines[0]).toContain("immuta:integrations");
  });
});
