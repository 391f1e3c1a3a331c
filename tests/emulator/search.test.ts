import {
  startTestEmulator,
  type BoomBody,
  type DataSourceBody,
  type SearchBody,
  type TestEmulator,
} from "./helpers/emulator";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const search = (query: string) => emulator.call<SearchBody>("GET", `/dataSource${query}`);
const names = (body: SearchBody<{ name: string }>) => body.hits.map((hit) => hit.name);

// Twelve sources: enough for three pages of five.
const SOURCES = [
  ["alpha", "lake/alpha"],
  ["Bravo", "lake/bravo"],
  ["charlie", "warehouse/charlie"],
  ["delta", "lake/delta"],
  ["echo", "warehouse/echo"],
  ["foxtrot", "lake/foxtrot"],
  ["golf", "lake/golf"],
  ["hotel", "warehouse/hotel"],
  ["india", "lake/india"],
  ["juliett", "lake/juliett"],
  ["kilo", "warehouse/kilo"],
  ["lima", "lake/lima"],
] as const;

beforeAll(async () => {
  await emulator.control.reset();
  for (const [name, prefix] of SOURCES) expect((await emulator.create(name, prefix)).status).toBe(200);
  // Sources created through the API have no description; the warehouse ones get one out of band.
  for (const id of [3, 5, 8, 11])
    await emulator.control.mutateDataSource(id, { description: "Nightly WAREHOUSE extract" });
});
beforeEach(() =>
  emulator.control.setModes({ searchHits: "summary", searchOffset: "records", dataSourceStatus: "passed" }),
);

describe("hits are Immuta's documented summaries by default", () => {
  test("exactly the documented members: no blobHandler, no updatedAt", async () => {
    const { status, body } = await search("?dataSourceIds=1");
    expect(status).toBe(200);
    expect(body.count).toBe(1);
    expect(Object.keys(body.hits[0]).sort()).toEqual(
      [
        "name",
        "id",
        "recordFormat",
        "deleted",
        "description",
        "createdAt",
        "subscriptionPolicy",
        "schemaEvolutionId",
        "recordCount",
        "status",
        "subscriptionStatus",
        "blobHandlerType",
        "subscriptionType",
        "connectionString",
        "sqlSchemaName",
        "policy",
        "policyHandlerType",
        "native",
        "workspace",
      ].sort(),
    );
    expect(body.hits[0]).toMatchObject({
      id: 1,
      name: "alpha",
      deleted: false,
      status: "passed",
      blobHandlerType: "Native S3",
      connectionString: "s3://lake/alpha",
      subscriptionStatus: "owner",
    });
  });

  test("full: the shape of GET /dataSource/{id}, with blobHandler and updatedAt", async () => {
    await emulator.control.setModes({ searchHits: "full" });
    const { body } = await emulator.call<SearchBody<DataSourceBody>>("GET", "/dataSource?dataSourceIds=1");
    const single = await emulator.call<DataSourceBody>("GET", "/dataSource/1");
    expect(body.hits).toEqual([single.body]);
    expect(body.hits[0].blobHandler?.url).toMatch(/\/native-s3\/handler\/1001$/);
  });
});

describe("paging: count is every match, offset is a record offset or a page index", () => {
  test("records (default): offset skips records; paging until a short page visits every source once", async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 5) {
      const { body } = await search(`?size=5&offset=${offset}`);
      expect(body.count).toBe(12);
      seen.push(...names(body));
      if (body.hits.length < 5) break;
    }
    expect(seen).toEqual(SOURCES.map(([name]) => name));
    expect(names((await search("?size=5&offset=3")).body)).toEqual([
      "delta",
      "echo",
      "foxtrot",
      "golf",
      "hotel",
    ]);
  });

  test("pages: offset is a page index, so offset=1 is the second page", async () => {
    await emulator.control.setModes({ searchOffset: "pages" });
    const pages = [];
    for (let page = 0; page < 4; page++) pages.push(names((await search(`?size=5&offset=${page}`)).body));
    expect(pages).toEqual([
      ["alpha", "Bravo", "charlie", "delta", "echo"],
      ["foxtrot", "golf", "hotel", "india", "juliett"],
      ["kilo", "lima"],
      [],
    ]);
    // A client that assumes record offsets re-reads most of page 1 as "page 2" here.
    expect(names((await search("?size=5&offset=5")).body)).toEqual([]);
  });

  test("without size a page holds up to 25 (all twelve here); bad numbers are 400s naming the parameter", async () => {
    expect((await search("")).body.hits).toHaveLength(12);
    expect((await search("?size=0")).body).toMatchObject({ hits: [], count: 12 });
    for (const query of ["?size=-1", "?offset=abc", "?size=1.5", "?dataSourceIds=x"]) {
      const response = await emulator.call<BoomBody>("GET", `/dataSource${query}`);
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.validation?.source).toBe("query");
    }
  });
});

describe("filters narrow the search together", () => {
  test("searchText matches names and descriptions, case-insensitively; nameOnly=true only names", async () => {
    const described = await search("?searchText=warehouse");
    expect(names(described.body)).toEqual(["charlie", "echo", "hotel", "kilo"]);
    expect(described.body.hits[0]).toMatchObject({ description: "Nightly WAREHOUSE extract" });
    expect((await search("?searchText=warehouse&nameOnly=true")).body).toEqual({ hits: [], count: 0 });
    // The connection string is not searched text: it has a filter of its own.
    expect((await search("?searchText=s3://lake")).body.count).toBe(0);
    expect(names((await search("?searchText=bRaVo&nameOnly=true")).body)).toEqual(["Bravo"]);
    expect((await emulator.call<BoomBody>("GET", "/dataSource?nameOnly=yes")).body.validation).toEqual({
      source: "query",
      keys: ["nameOnly"],
    });
  });

  test("connectionString and dataSourceIds are repeatable and exact, in either array form", async () => {
    const byConnection = await search(
      "?connectionString=s3://lake/golf&connectionString[]=s3://warehouse/kilo&connectionString=s3://lake",
    );
    expect(names(byConnection.body)).toEqual(["golf", "kilo"]);
    expect(names((await search("?dataSourceIds=3&dataSourceIds[]=1&dataSourceIds=99")).body)).toEqual([
      "alpha",
      "charlie",
    ]);
    expect(names((await search("?dataSourceIds=3&dataSourceIds=4&searchText=ta")).body)).toEqual(["delta"]);
  });

  test("blobHandlerType and status match the values the sources show", async () => {
    expect((await search("?blobHandlerType=Native%20S3")).body.count).toBe(12);
    expect((await search("?blobHandlerType=Snowflake")).body.count).toBe(0);
    expect((await search("?status=passed")).body.count).toBe(12);
    expect((await search("?status=failed")).body.count).toBe(0);
    await emulator.control.setModes({ dataSourceStatus: "Ready" });
    expect((await search("?status=passed")).body.count).toBe(0);
    expect((await search("?status=failed&status=Ready")).body.count).toBe(12);
  });

  test("sortField and sortOrder order the matches before paging", async () => {
    expect(names((await search("?sortField=name&sortOrder=desc&size=3")).body)).toEqual([
      "lima",
      "kilo",
      "juliett",
    ]);
    expect(names((await search("?sortField=connectionString&sortOrder=desc&size=4")).body)).toEqual([
      "kilo",
      "hotel",
      "echo",
      "charlie",
    ]);
    expect(names((await search("?sortField=connectionString&searchText=warehouse")).body)).toEqual([
      "charlie",
      "echo",
      "hotel",
      "kilo",
    ]);
    expect(names((await search("?sortOrder=desc&size=2")).body)).toEqual(["lima", "kilo"]);
    const bad = await emulator.call<BoomBody>("GET", "/dataSource?sortField=freshness");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"sortField" must be one of id, name, createdAt');
  });

  test.each(["subscription", "tag", "column", "schema", "idOnly", "selectFields"])(
    "the documented %s parameter, which the emulator does not implement, is a 400, never ignored",
    async (parameter) => {
      const response = await emulator.call<BoomBody>("GET", `/dataSource?${parameter}=x`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: "Bad Request",
        message: `The emulator does not implement the "${parameter}" search parameter`,
        validation: { source: "query", keys: [parameter] },
      });
    },
  );
});
