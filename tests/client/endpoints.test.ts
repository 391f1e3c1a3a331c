import { handlerIdFromDataSource, isNotFound } from "../../provider/client";
import { API_KEY, boom, clientFor, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();

describe("each endpoint sends exactly the documented request", () => {
  test("createS3DataSource posts one source and returns the name Immuta chose", async () => {
    server().expect("POST", "/native-s3/handler", {
      json: {
        dataSourceId: 12,
        prefix: "s3://research-data-source",
        dataSourceName: "s3://research-data-source (64*****50499/us-east-2)",
        internalField: true,
      },
    });

    const created = await clientFor(server()).createS3DataSource({
      integrationId: 2,
      dataSourceName: "research",
      prefix: "s3://research-data-source",
    });

    expect(created).toEqual({
      dataSourceId: 12,
      prefix: "s3://research-data-source",
      dataSourceName: "s3://research-data-source (64*****50499/us-east-2)",
    });
    const [request] = server().requests;
    expect(request?.json).toEqual({
      type: "Native S3",
      integrationId: 2,
      dataSources: [{ dataSourceName: "research", prefix: "s3://research-data-source" }],
    });
    expect(request?.headers["authorization"]).toBe(API_KEY);
    expect(request?.headers["content-type"]).toMatch(/^application\/json/);
    expect(request?.headers["accept"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("pulumi-immuta");
  });

  test("createS3DataSource takes the single element when Immuta answers an array", async () => {
    server().expect("POST", "/native-s3/handler", {
      json: [{ dataSourceId: 13, prefix: "s3://bucket/a", dataSourceName: "a" }],
    });
    const created = await clientFor(server()).createS3DataSource({
      integrationId: 2,
      dataSourceName: "a",
      prefix: "s3://bucket/a",
    });
    expect(created.dataSourceId).toBe(13);
  });

  test("getHandler reads the handler metadata", async () => {
    const handler = {
      id: 7,
      metadata: { prefix: "s3://research-data-source", integrationId: 2, dataSourceName: "research" },
      type: "nativeS3Handler",
      awsLocationPath: "s3://",
    };
    server().expect("GET", "/native-s3/handler/7", { json: handler });

    expect(await clientFor(server()).getHandler(7)).toEqual(handler);
    expect(server().requests[0]?.headers["authorization"]).toBe(API_KEY);
    expect(server().requests[0]?.body).toBe("");
  });

  test("getDataSource keeps undocumented fields and turns documented nulls into absent fields", async () => {
    server().expect("GET", "/dataSource/41", {
      json: dataSourceBody({ connectionString: null, blobHandler: { url: null, kind: "s3" } }),
    });

    const dataSource = await clientFor(server()).getDataSource(41);

    expect(dataSource.id).toBe(41);
    expect(dataSource.deleted).toBe(false);
    expect("connectionString" in dataSource).toBe(false);
    expect(dataSource.blobHandler).toEqual({ kind: "s3" });
    expect(dataSource["subscriptionPolicy"]).toEqual({ type: "manual" });
  });

  test("getDataSourceByName encodes the whole name as one path segment", async () => {
    const name = "s3://research-data-source (64*****50499/us-east-2)";
    server().expect("GET", `/dataSource/name/${encodeURIComponent(name)}`, {
      json: dataSourceBody({ name }),
    });

    const dataSource = await clientFor(server()).getDataSourceByName(name);

    expect(dataSource.name).toBe(name);
    expect(server().requests[0]?.path).toBe(
      "/dataSource/name/s3%3A%2F%2Fresearch-data-source%20(64*****50499%2Fus-east-2)",
    );
  });

  test("findDataSourceByName answers undefined on 404 and rethrows anything else", async () => {
    server()
      .expect("GET", "/dataSource/name/missing", {
        status: 404,
        json: boom(404, "Not Found", "Data source not found"),
      })
      .expect("GET", "/dataSource/name/secret", { status: 403, json: boom(403, "Forbidden", "nope") });
    const client = clientFor(server());

    expect(await client.findDataSourceByName("missing")).toBeUndefined();
    const error = await rejectionOf(client.findDataSourceByName("secret"));
    expect(isNotFound(error)).toBe(false);
    expect(error).toMatchObject({ kind: "forbidden", status: 403 });
  });

  test("searchDataSources sends only the given query parameters", async () => {
    server()
      .expect("GET", "/dataSource?searchText=research+data&size=5&offset=10", {
        json: { hits: [dataSourceBody(), dataSourceBody({ id: 42, name: "other" })], count: 7 },
      })
      .expect("GET", "/dataSource", { json: { hits: [], count: 0 } });
    const client = clientFor(server());

    const page = await client.searchDataSources({ searchText: "research data", size: 5, offset: 10 });
    expect(page.count).toBe(7);
    expect(page.hits.map((hit) => hit.id)).toEqual([41, 42]);
    expect(await client.searchDataSources({})).toEqual({ hits: [], count: 0 });
  });

  test("restoreDataSource puts {deleted: false}", async () => {
    server().expect("PUT", "/dataSource/41", { json: dataSourceBody({ deleted: false }) });

    const restored = await clientFor(server()).restoreDataSource(41);

    expect(restored.deleted).toBe(false);
    expect(server().requests[0]?.json).toEqual({ deleted: false });
    expect(server().requests[0]?.headers["authorization"]).toBe(API_KEY);
  });

  test("renameDataSource puts {name}", async () => {
    server().expect("PUT", "/dataSource/41", { json: dataSourceBody({ name: "renamed" }) });

    expect((await clientFor(server()).renameDataSource(41, "renamed")).name).toBe("renamed");
    expect(server().requests[0]?.json).toEqual({ name: "renamed" });
  });

  test("a trailing slash and a base path in baseUrl are tolerated", async () => {
    server().expect("GET", "/immuta/dataSource/41", { json: dataSourceBody() });
    const client = clientFor(server(), {
      url: `${server().url}/immuta/`,
      userAgent: "pulumi-immuta/1.2.3",
    });

    await client.getDataSource(41);

    expect(server().requests[0]?.headers["user-agent"]).toBe("pulumi-immuta/1.2.3");
  });

  test("invalid arguments are refused before anything is sent", async () => {
    const client = clientFor(server());
    await expect(client.getDataSource(1.5)).rejects.toThrow(RangeError);
    await expect(client.getDataSourceByName("")).rejects.toThrow(TypeError);
    await expect(
      client.createS3DataSource({ integrationId: -1, dataSourceName: "a", prefix: "s3://a" }),
    ).rejects.toThrow(/integrationId/);
    expect(server().requests).toHaveLength(0);
  });

  test("a call after close() says the client was closed, a bug in the caller, and sends nothing", async () => {
    const client = clientFor(server());
    client.close();
    const error = (await rejectionOf(client.getDataSource(1))) as Error;
    expect(error).toMatchObject({
      kind: "invalid-config",
      operation: "get data source",
      path: "/dataSource/1",
    });
    expect(error.message).toBe(
      "get data source failed: the Immuta client was closed. Calling a client after close() is a bug in the " +
        "calling code; create a new client.",
    );
    expect(error.message).not.toContain("configuration");
    expect(server().requests).toHaveLength(0);
  });
});

describe("handlerIdFromDataSource", () => {
  test.each([
    ["https://acme.example/native-s3/handler/7", 7],
    ["/native-s3/handler/123/", 123],
    ["https://acme.example/native-s3/handler/9?x=1", 9],
    ["https://acme.example/native-s3/handler/", undefined],
    ["https://acme.example/native-s3/handler/7/extra", undefined],
  ])("%s -> %s", (url, handlerId) => {
    expect(handlerIdFromDataSource({ id: 1, name: "n", blobHandler: { url } })).toBe(handlerId);
  });

  test("undefined without blobHandler.url", () => {
    expect(handlerIdFromDataSource({ id: 1, name: "n" })).toBeUndefined();
    expect(handlerIdFromDataSource({ id: 1, name: "n", blobHandler: {} })).toBeUndefined();
  });
});
