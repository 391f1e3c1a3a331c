/**
 * The product's import path: `adopt` makes `create` take over a source that already exists in Immuta (no POST),
 * after checking that it is the declared one.
 */
import { AdoptionError } from "../../provider/core/errors";
import {
  canonicalPrefix,
  declaration,
  expectCredentialFree,
  MODE_MATRIX,
  PROVIDER_REF,
  rejectionOf,
  useHarness,
  type Props,
} from "./support";

describe.each(MODE_MATRIX)("names: $names, handlerIds: $handlerIds", ({ names, handlerIds }) => {
  const harness = useHarness({ names, handlerIds });

  /** A source created outside Pulumi, the way Immuta would name it in this mode. */
  async function seedExisting(tag: string, extra: { deleted?: boolean; integrationId?: number } = {}) {
    const name = names === "honour" ? `${tag} data` : `${canonicalPrefix(tag)} (123*****9012/us-east-2)`;
    const seeded = await harness.control.seedDataSource({
      name,
      prefix: `${canonicalPrefix(tag)}/`,
      ...extra,
    });
    await harness.control.clearRequests();
    return seeded;
  }

  async function expectAdopted(tag: string, adopt: Props, seededId: number) {
    const seeded = (await harness.source(seededId))!;
    const inputs = await harness.engine.check(declaration(tag, { dataSourceName: seeded.name, adopt }));

    const { id, outs } = await harness.engine.create(inputs);

    const requests = await harness.requests();
    expect(requests.filter((request) => request.startsWith("POST") || request.startsWith("DELETE"))).toEqual(
      [],
    );
    expect(await harness.sources()).toHaveLength(1);
    expect(id).toBe(String(seededId));
    expect(outs).toMatchObject({
      dataSourceId: seededId,
      handlerId: seeded.handlerId,
      dataSourceName: seeded.name,
      immutaName: seeded.name,
      prefix: canonicalPrefix(tag),
      integrationId: 1,
      awsLocationPath: "s3://",
      disabled: false,
      adopt,
      __provider: PROVIDER_REF,
    });

    // Adopted sources behave like created ones: no diff, a clean refresh, and destroy purges them.
    expect(await harness.engine.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const refreshed = await harness.engine.read(id, outs);
    expect(refreshed.props).toEqual(outs);
    expect(refreshed.inputs).toEqual(inputs);
    return { id, outs, requests };
  }

  it("adopt: { byName: true } takes over the source with the declared name", async () => {
    const seeded = await seedExisting("by-name");
    const { requests } = await expectAdopted("by-name", { byName: true }, seeded.id);
    const lookUp = seeded.name.includes("/")
      ? [
          // Immuta's generated names contain '/': an exact-match search, never GET /dataSource/name/{name}.
          `GET /dataSource?${new URLSearchParams({ searchText: seeded.name, nameOnly: "true", size: "100", offset: "0" }).toString()}`,
          `GET /dataSource/${seeded.id}`,
        ]
      : [`GET /dataSource/name/${encodeURIComponent(seeded.name)}`];
    expect(requests).toEqual([...lookUp, `GET /native-s3/handler/${seeded.handlerId}`]);
  });

  it("adopt: { dataSourceId } takes over the source with that id", async () => {
    const seeded = await seedExisting("by-id");
    const { id, outs, requests } = await expectAdopted("by-id", { dataSourceId: seeded.id }, seeded.id);
    expect(requests).toEqual([`GET /dataSource/${seeded.id}`, `GET /native-s3/handler/${seeded.handlerId}`]);

    await harness.control.clearRequests();
    await harness.engine.delete(id, outs);
    expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`, `DELETE /dataSource/${id}`]);
    expect(await harness.sources()).toEqual([]);
  });

  it.each([
    ["byName", (): Props => ({ byName: true })],
    ["dataSourceId", (id: number): Props => ({ dataSourceId: id })],
  ])("adopting a disabled source (%s) restores it", async (_, adoptFor) => {
    const seeded = await seedExisting("restore", { deleted: true });
    await expectAdopted("restore", adoptFor(seeded.id), seeded.id);
    expect(await harness.source(seeded.id)).toMatchObject({ deleted: false });
    expect(await harness.requests()).toContain(`PUT /dataSource/${seeded.id}`);
  });

  it.each([
    ["byName", (): Props => ({ byName: true })],
    ["dataSourceId", (id: number): Props => ({ dataSourceId: id })],
  ])(
    "a source with another prefix and integration (%s) is refused, listing each difference",
    async (_, adoptFor) => {
      await harness.control.seedIntegration({ id: 2, awsLocationPath: "s3://acme-mismatch/" });
      const seeded = await seedExisting("mismatch", { integrationId: 2 });
      const inputs = await harness.engine.check(
        declaration("elsewhere", { dataSourceName: seeded.name, adopt: adoptFor(seeded.id) }),
      );

      const error = await rejectionOf(harness.engine.create(inputs));

      expect(error).toBeInstanceOf(AdoptionError);
      expect(error.message).toContain(`id ${seeded.id}`);
      expect(error.message).toContain(
        `prefix: Immuta has ${canonicalPrefix("mismatch")}, the declaration says ${canonicalPrefix("elsewhere")}`,
      );
      expect(error.message).toContain("integrationId: Immuta has 2, the declaration says 1");
      expect(error.id).toBeUndefined();
      const requests = await harness.requests();
      expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
      expect(await harness.source(seeded.id)).toEqual(seeded);
      expectCredentialFree(error);
    },
  );

  it("adopting by id a source with another name is refused and says which name Immuta has", async () => {
    const seeded = await seedExisting("named");
    const inputs = await harness.engine.check(
      declaration("named", { dataSourceName: "not its name", adopt: { dataSourceId: seeded.id } }),
    );

    const error = await rejectionOf(harness.engine.create(inputs));

    expect(error).toBeInstanceOf(AdoptionError);
    expect(error.message).toContain(`name: Immuta has "${seeded.name}", the declaration says "not its name"`);
  });

  it("an unknown id is an actionable error", async () => {
    const inputs = await harness.engine.check(declaration("unknown-id", { adopt: { dataSourceId: 4242 } }));

    const error = await rejectionOf(harness.engine.create(inputs));

    expect(error).toBeInstanceOf(AdoptionError);
    expect(error.message).toContain("no data source with id 4242");
    expect(error.message).toContain("adopt.dataSourceId");
    expect(await harness.sources()).toEqual([]);
    expect((await harness.requests()).filter((request) => request.startsWith("POST"))).toEqual([]);
  });

  it("an unknown name is an actionable error", async () => {
    const inputs = await harness.engine.check(declaration("unknown-name", { adopt: { byName: true } }));

    const error = await rejectionOf(harness.engine.create(inputs));

    expect(error).toBeInstanceOf(AdoptionError);
    expect(error.message).toContain('no data source named "unknown-name data"');
    expect(error.message).toMatch(/adopt: \{ dataSourceId: <id> \}/);
    expect(await harness.sources()).toEqual([]);
    expect((await harness.requests()).filter((request) => request.startsWith("POST"))).toEqual([]);
  });
});
