/**
 * Searching Immuta's data sources to the end, whichever way the tenant reads `offset`; exact name look-ups that do
 * not depend on `/dataSource/name/{name}` for names containing `/`; the integrations API.
 */
import { clientFor, dataSourceBody, useServer } from "./support";
import type { RecordedRequest } from "../helpers/http-test-server";
import { anyInstanceOf } from "../helpers/matchers";

const server = useServer();

/** 250 summaries named `s3://acme/raw-<n> (…)`, served with `offset` read as records or as a page index. */
function serveSearch(reading: "records" | "pages", total = 250) {
  const all = Array.from({ length: total }, (_, i) => ({
    id: i + 1,
    name: `s3://acme/raw-${i + 1} (123/us-east-2)`,
  }));
  server().route("GET", /^\/dataSource\?/, (request: RecordedRequest) => {
    const query = new URL(request.path, "http://x").searchParams;
    const size = Number(query.get("size") ?? 25);
    const offset = Number(query.get("offset") ?? 0);
    const start = reading === "records" ? offset : offset * size;
    return { json: { hits: all.slice(start, start + size), count: all.length } };
  });
}

describe("searchAllDataSources", () => {
  it.each(["records", "pages"] as const)("reads every hit when offset is read as %s", async (reading) => {
    serveSearch(reading);
    const hits = await clientFor(server()).searchAllDataSources({ searchText: "s3://acme/" }, 100);
    expect(hits.map((hit) => hit.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const offsets = server().requests.map((r) => new URL(r.path, "http://x").searchParams.get("offset"));
    // first page, the two-record probe, then the remaining pages in the tenant's reading
    expect(offsets).toEqual(reading === "records" ? ["0", "1", "100", "200"] : ["0", "1", "1", "2"]);
  });

  // The probe compares with the third hit: pages shorter than that need it fetched, one-hit pages need no probe.
  it.each([
    [1, "records", ["0/1", "1/1", "2/1", "3/1", "4/1", "5/1", "6/1"]],
    [1, "pages", ["0/1", "1/1", "2/1", "3/1", "4/1", "5/1", "6/1"]],
    [2, "records", ["0/2", "0/3", "1/2", "2/2", "4/2", "6/2"]],
    [2, "pages", ["0/2", "0/3", "1/2", "1/2", "2/2", "3/2"]],
    [3, "records", ["0/3", "1/2", "3/3", "6/3"]],
    [3, "pages", ["0/3", "1/2", "1/3", "2/3"]],
  ] as const)(
    "reads every hit with %i-hit pages when offset is read as %s",
    async (pageSize, reading, sent) => {
      serveSearch(reading, 7);
      const hits = await clientFor(server()).searchAllDataSources({ searchText: "s3://acme/" }, pageSize);
      expect(hits.map((hit) => hit.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const offsetAndSize = server().requests.map((r) => {
        const query = new URL(r.path, "http://x").searchParams;
        return `${query.get("offset")}/${query.get("size")}`;
      });
      expect(offsetAndSize).toEqual(sent);
    },
  );

  it.each([0, -1, 1.5])("refuses a page size of %p before sending anything", async (pageSize) => {
    await expect(clientFor(server()).searchAllDataSources({}, pageSize)).rejects.toThrow(RangeError);
    expect(server().requests).toHaveLength(0);
  });

  it("stops after the first page when it holds every hit, and sends the documented filters", async () => {
    serveSearch("records", 3);
    const hits = await clientFor(server()).searchAllDataSources(
      { searchText: "raw", nameOnly: true, blobHandlerType: ["Native S3"] },
      100,
    );
    expect(hits).toHaveLength(3);
    expect(server().requests.map((r) => r.path)).toEqual([
      "/dataSource?searchText=raw&nameOnly=true&blobHandlerType=Native+S3&size=100&offset=0",
    ]);
  });
});

describe("findDataSourceByName", () => {
  it("looks a name with '/' up by an exact-match search, then fetches the whole source", async () => {
    const name = "s3://acme/raw (123*****9012/us-east-2)";
    server()
      .expect("GET", /^\/dataSource\?/, {
        json: {
          hits: [
            { id: 5, name: `${name} old` },
            { id: 6, name },
          ],
          count: 2,
        },
      })
      .expect("GET", "/dataSource/6", { json: dataSourceBody({ id: 6, name }) });
    const found = await clientFor(server()).findDataSourceByName(name);
    expect(found).toMatchObject({ id: 6, name, blobHandler: { url: anyInstanceOf(String) } });
    expect(server().requests[0].path).toContain("nameOnly=true");
    expect(server().requests.some((r) => r.path.startsWith("/dataSource/name/"))).toBe(false);
  });

  it("answers undefined when no hit has exactly that name", async () => {
    server().expect("GET", /^\/dataSource\?/, {
      json: { hits: [{ id: 5, name: "s3://a/b (x) 2" }], count: 1 },
    });
    expect(await clientFor(server()).findDataSourceByName("s3://a/b (x)")).toBeUndefined();
  });

  it("uses GET /dataSource/name/{name} for a name without '/'", async () => {
    server().expect("GET", "/dataSource/name/research%20data", {
      json: dataSourceBody({ name: "research data" }),
    });
    expect(await clientFor(server()).findDataSourceByName("research data")).toMatchObject({
      name: "research data",
    });
  });
});

describe("getIntegration", () => {
  it("reads the documented config.awsLocationPath and keeps the id a string", async () => {
    server().expect("GET", "/integrations/3", {
      json: {
        id: "3",
        type: "Native S3",
        status: "enabled",
        config: { name: "s3", awsLocationPath: "s3://acme/" },
      },
    });
    expect(await clientFor(server()).getIntegration(3)).toEqual({
      id: "3",
      type: "Native S3",
      name: "s3",
      awsLocationPath: "s3://acme/",
    });
  });

  it("leaves out a name that is not a non-empty string rather than failing the location", async () => {
    server().expect("GET", "/integrations/4", {
      json: { id: "4", config: { name: 42, awsLocationPath: "s3://" } },
    });
    server().expect("GET", "/integrations/5", {
      json: { id: "5", config: { name: "", awsLocationPath: "s3://" } },
    });
    expect(await clientFor(server()).getIntegration(4)).toEqual({ id: "4", awsLocationPath: "s3://" });
    expect(await clientFor(server()).getIntegration(5)).toEqual({ id: "5", awsLocationPath: "s3://" });
  });
});

describe("handler variants", () => {
  it("accepts the integration id as a numeric string and a missing awsLocationPath", async () => {
    server().expect("GET", "/native-s3/handler/7", {
      json: {
        id: 7,
        metadata: { prefix: "raw", integrationId: "2", dataSourceName: "r" },
        type: "nativeS3Handler",
      },
    });
    const handler = await clientFor(server()).getHandler(7);
    expect(handler.metadata.integrationId).toBe(2);
    expect(handler.awsLocationPath).toBeUndefined();
  });
});
