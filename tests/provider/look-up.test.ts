/**
 * A read by id alone, as the engine sends it for `ImmutaS3DataSource.get`: the properties hold only the provider
 * reference (and the tenant), and the outputs are Immuta's view in the declaration's vocabulary.
 */
import { STATE_SCHEMA_VERSION } from "../../provider/core/constants";
import { expectCredentialFree, MODE_MATRIX, PROVIDER_REF, rejectionOf, useHarness } from "./support";

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({
    names,
    handlerIds,
    integrations: [
      { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      {
        id: 2,
        awsLocationPath: "s3://acme-finance/team/",
        awsAccountId: "123456789012",
        awsRegion: "us-east-2",
      },
    ],
  });

  it("reads the source and its handler (GETs only) and returns the whole state", async () => {
    const seeded = await harness.control.seedDataSource({
      name: "ledger",
      prefix: "s3://acme-finance/team/ledger",
      integrationId: 2,
    });
    await harness.control.clearRequests();

    const read = await harness.engine.read(String(seeded.id), { __provider: PROVIDER_REF });

    expect(read).toEqual({
      id: String(seeded.id),
      props: {
        schemaVersion: STATE_SCHEMA_VERSION,
        integrationId: 2,
        prefix: "s3://acme-finance/team/ledger",
        dataSourceName: "ledger",
        tenant: "default",
        dataSourceId: seeded.id,
        handlerId: seeded.handlerId,
        immutaName: "ledger",
        otherTags: [],
        awsLocationPath: "s3://acme-finance/team",
        disabled: false,
        status: "passed",
        __provider: PROVIDER_REF,
      },
      inputs: {
        integrationId: 2,
        prefix: "s3://acme-finance/team/ledger",
        dataSourceName: "ledger",
        __provider: PROVIDER_REF,
      },
    });
    expect(await harness.requests()).toEqual([
      `GET /dataSource/${seeded.id}`,
      `GET /native-s3/handler/${seeded.handlerId}`,
    ]);
  });

  it("a disabled source reads as disabled: a reference does not restore it", async () => {
    const seeded = await harness.control.seedDataSource({
      name: "old",
      prefix: "s3://acme/old",
      deleted: true,
    });
    const read = await harness.engine.read(String(seeded.id), {
      __provider: PROVIDER_REF,
      tenant: "default",
    });
    expect(read.props).toMatchObject({ disabled: true, dataSourceName: "old", prefix: "s3://acme/old" });
    expect((await harness.requests()).filter((call) => !call.startsWith("GET "))).toEqual([]);
  });
});

describe("failures", () => {
  const harness = useHarness();

  it("an unknown id fails naming the id, the 404 and what to check, without the key", async () => {
    const error = await rejectionOf(harness.engine.read("999", { __provider: PROVIDER_REF }));
    expect(error.message).toBe(
      "Reading data source id 999 failed: Immuta answered 404 to GET /dataSource/999, so it holds no data source " +
        "with that id, or hides it from the API key's user (Immuta shows a source only to its owner, to users with " +
        "the GOVERNANCE permission, to its subscribers, or to everyone when it is public). Check the id and the " +
        "tenant, or give the key's user access to the source.",
    );
    expectCredentialFree(error);
  });

  it("an id that is not a whole number fails before any request", async () => {
    const error = await rejectionOf(harness.engine.read("abc", { __provider: PROVIDER_REF }));
    expect(error.message).toBe(
      'Reading data source "abc" failed: pulumi import and ImmutaS3DataSource.get take Immuta\'s data source id ' +
        "(e.g. 42), or <tenant>/<id> for a configured tenant (e.g. production/42). The id is in the data source's " +
        "URL in Immuta's UI (/#/datasource/<id>).",
    );
    expect(await harness.requests()).toEqual([]);
  });

  it("a tenant that is not configured fails naming where to configure it", async () => {
    const error = await rejectionOf(
      harness.engine.read("1", { __provider: PROVIDER_REF, tenant: "production" }),
    );
    expect(error.message).toMatch(/The Immuta URL for tenant "production" is not configured/);
  });

  it("a tenant in the id that differs from the tenant given fails before any request", async () => {
    const error = await rejectionOf(
      harness.engine.read("staging/1", { __provider: PROVIDER_REF, tenant: "production" }),
    );
    expect(error.message).toBe(
      'Reading data source "staging/1" failed: the id names tenant "staging" but the tenant given is ' +
        '"production". Give the tenant once.',
    );
    expect(await harness.requests()).toEqual([]);
  });
});
