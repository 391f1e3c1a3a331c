import { ImmutaInvalidResponseError, defaults, type ImmutaClient } from "../../provider/client";
import { checkResponse } from "../../provider/client/schemas";
import { clientFor, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();

const create = (client: ImmutaClient) =>
  client.createS3DataSource({ integrationId: 2, dataSourceName: "research", prefix: "s3://research" });

async function invalidResponse(
  call: (client: ImmutaClient) => Promise<unknown>,
): Promise<ImmutaInvalidResponseError> {
  const error = await rejectionOf(call(clientFor(server())));
  expect(error).toBeInstanceOf(ImmutaInvalidResponseError);
  return error as ImmutaInvalidResponseError;
}

describe("schema violations name the endpoint and the JSON path", () => {
  test.each([
    [
      "create: id of the wrong type",
      "POST",
      "/native-s3/handler",
      { dataSourceId: "12", prefix: "s3://research", dataSourceName: "research" },
      create,
      "POST /native-s3/handler",
      "/dataSourceId",
      "/dataSourceId must be integer",
    ],
    [
      "create: field missing",
      "POST",
      "/native-s3/handler",
      { dataSourceId: 12, dataSourceName: "research" },
      create,
      "POST /native-s3/handler",
      "/prefix",
      "/prefix is missing",
    ],
    [
      "create: array with two sources",
      "POST",
      "/native-s3/handler",
      [
        { dataSourceId: 12, prefix: "s3://a", dataSourceName: "a" },
        { dataSourceId: 13, prefix: "s3://b", dataSourceName: "b" },
      ],
      create,
      "POST /native-s3/handler",
      "",
      "the body must NOT have more than 1 items",
    ],
    [
      "create: array element broken",
      "POST",
      "/native-s3/handler",
      [{ dataSourceId: 12.5, prefix: "s3://a", dataSourceName: "a" }],
      create,
      "POST /native-s3/handler",
      "/0/dataSourceId",
      "/0/dataSourceId must be integer",
    ],
    [
      "handler: nested field",
      "GET",
      "/native-s3/handler/7",
      {
        id: 7,
        metadata: { prefix: "s3://a", integrationId: "two", dataSourceName: "a" },
        type: "nativeS3Handler",
      },
      (client: ImmutaClient) => client.getHandler(7),
      "GET /native-s3/handler/{handlerId}",
      "/metadata/integrationId",
      "/metadata/integrationId must be integer",
    ],
    [
      "data source: deleted not boolean",
      "GET",
      "/dataSource/41",
      dataSourceBody({ deleted: "yes" }),
      (client: ImmutaClient) => client.getDataSource(41),
      "GET /dataSource/{dataSourceId}",
      "/deleted",
      "/deleted must be boolean or null",
    ],
    [
      "search: a broken hit",
      "GET",
      "/dataSource?searchText=r",
      { hits: [dataSourceBody(), { id: 42 }], count: 2 },
      (client: ImmutaClient) => client.searchDataSources({ searchText: "r" }),
      "GET /dataSource",
      "/hits/1/name",
      "/hits/1/name is missing",
    ],
    [
      "delete: success missing",
      "DELETE",
      "/dataSource/41",
      { id: 41, disabled: true },
      (client: ImmutaClient) => client.hardDeleteDataSource(41),
      "DELETE /dataSource/{dataSourceId}",
      "/success",
      "/success is missing",
    ],
    [
      "restore: not an object",
      "PUT",
      "/dataSource/41",
      [],
      (client: ImmutaClient) => client.restoreDataSource(41),
      "PUT /dataSource/{dataSourceId}",
      "",
      "the body must be object",
    ],
  ])("%s", async (_title, method, path, json, call, endpoint, jsonPath, problem) => {
    server().expect(method, path, { json });

    const error = await invalidResponse(call);

    expect(error).toMatchObject({ kind: "invalid-response", endpoint, jsonPath, status: 200 });
    expect(error.message).toContain(`unexpected response from ${endpoint} (HTTP 200 OK): ${problem}`);
  });

  test("unknown fields are accepted everywhere", () => {
    expect(
      checkResponse("deleteDataSource", {
        success: true,
        id: 1,
        extra: { nested: [1] },
        handlerDeleteErrorMessage: null,
      }).ok,
    ).toBe(true);
    expect(
      checkResponse("createS3DataSource", { dataSourceId: 1, prefix: "p", dataSourceName: "n", more: 1 }).ok,
    ).toBe(true);
  });
});

describe("bodies that are not JSON at all", () => {
  test("HTML with status 200 (a login page or proxy) is quoted briefly, without tags", async () => {
    server().expect("GET", "/dataSource/41", {
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "<html><head><title>Sign in</title></head><body><form>Sign in to Immuta</form></body></html>",
    });
    const error = await invalidResponse((client) => client.getDataSource(41));
    expect(error).toMatchObject({ endpoint: "GET /dataSource/{dataSourceId}", jsonPath: "" });
    expect(error.message).toContain('the body is not JSON (text/html): "Sign in Sign in to Immuta"');
    expect(error.message).toContain("Check that immuta:url is the tenant root");
  });

  test("invalid JSON with status 200", async () => {
    server().expect("GET", "/dataSource/41", {
      headers: { "content-type": "application/json" },
      body: '{"id": 41, "name": ',
    });
    const error = await invalidResponse((client) => client.getDataSource(41));
    expect(error.message).toContain('the body is not JSON (application/json): "{\\"id\\": 41, \\"name\\":"');
  });

  test("an empty 200", async () => {
    server().expect("GET", "/dataSource/41", { body: "" });
    const error = await invalidResponse((client) => client.getDataSource(41));
    expect(error.message).toContain("the body is empty, expected JSON");
  });

  test("an unusable answer to a create is ambiguous: Immuta did process the POST", async () => {
    server().expect("POST", "/native-s3/handler", {
      headers: { "content-type": "text/html" },
      body: "<p>OK</p>",
    });
    const error = await invalidResponse(create);
    expect(error.ambiguous).toBe(true);
    expect(error.message).toContain("look it up by name");
    expect(server().requests).toHaveLength(1);
  });

  test("a body larger than MAX_RESPONSE_BYTES is refused instead of being buffered", async () => {
    server().expect("GET", "/dataSource/41", { body: "x".repeat(defaults.MAX_RESPONSE_BYTES + 1) });
    const error = await invalidResponse((client) => client.getDataSource(41));
    expect(error.message).toContain("the body is larger than the client accepts");
  });

  test("an unusable answer to a GET is not retried and not ambiguous", async () => {
    server().expect("GET", "/dataSource/41", { body: "not json" });
    const error = await invalidResponse((client) => client.getDataSource(41));
    expect(error).toMatchObject({ ambiguous: false, attempts: 1 });
  });
});
