import {
  ImmutaApiError,
  ImmutaError,
  isNotFound,
  type ImmutaClient,
  type ImmutaErrorKind,
} from "../../provider/client";
import type { Reply } from "../helpers/http-test-server";
import { boom, clientFor, rejectionOf, useServer } from "./support";

const server = useServer();

const IMMUTA_SAYS = "Immuta says: data source 41 is locked";

/** The four shapes an error body takes in the wild. */
const BODY_FORMS: Record<string, (status: number, phrase: string) => Reply> = {
  boom: (status, phrase) => ({ status, json: boom(status, phrase, IMMUTA_SAYS) }),
  "other JSON": (status) => ({ status, json: { code: "E42", reason: IMMUTA_SAYS } }),
  HTML: (status, phrase) => ({
    status,
    headers: { "content-type": "text/html" },
    body:
      `<!DOCTYPE html><html><head><title>${status} ${phrase}</title><style>h1 { color: red }</style>` +
      `<script>var x = "<b>";</script></head><body><h1>${IMMUTA_SAYS}</h1></body></html>`,
  }),
  empty: (status) => ({ status, body: "" }),
};

const STATUSES: [number, string, ImmutaErrorKind][] = [
  [400, "Bad Request", "bad-request"],
  [401, "Unauthorized", "unauthorized"],
  [403, "Forbidden", "forbidden"],
  [404, "Not Found", "not-found"],
  [409, "Conflict", "conflict"],
  [418, "I'm a Teapot", "bad-request"],
  [422, "Unprocessable Entity", "unprocessable"],
  [429, "Too Many Requests", "rate-limited"],
  [500, "Internal Server Error", "server"],
  [502, "Bad Gateway", "server"],
  [503, "Service Unavailable", "server"],
  [504, "Gateway Timeout", "server"],
];

const CASES = STATUSES.flatMap(([status, phrase, kind]) =>
  Object.keys(BODY_FORMS).map((form) => [status, phrase, kind, form] as const),
);

describe("every error status and body form becomes a typed, readable error", () => {
  test.each(CASES)("HTTP %i %s -> %s (%s body)", async (status, phrase, kind, form) => {
    server().expect("GET", "/dataSource/41", BODY_FORMS[form](status, phrase));

    const error = await rejectionOf(clientFor(server(), { retry: { maxAttempts: 1 } }).getDataSource(41));

    expect(error).toBeInstanceOf(ImmutaApiError);
    expect(error).toBeInstanceOf(ImmutaError);
    const apiError = error as ImmutaApiError;
    expect(apiError).toMatchObject({
      name: "ImmutaApiError",
      kind,
      status,
      method: "GET",
      path: "/dataSource/41",
      operation: "get data source",
      ambiguous: false,
      attempts: 1,
    });
    expect(apiError.message).toContain(`get data source failed: GET /dataSource/41 answered HTTP ${status}`);
    expect(apiError.message).not.toContain("127.0.0.1");
    if (form === "empty") {
      expect(apiError.immutaMessage).toBeUndefined();
      expect(apiError.message).toContain("(empty body)");
    } else {
      expect(apiError.immutaMessage).toContain(IMMUTA_SAYS);
      expect(apiError.immutaMessage).not.toMatch(/[<>]|color: red|var x/);
      expect(apiError.message).toContain(IMMUTA_SAYS);
    }
    if (form === "boom") expect(apiError.immutaMessage).toBe(IMMUTA_SAYS);
    expect(isNotFound(error)).toBe(kind === "not-found");
  });
});

describe("messages tell the user what to do", () => {
  const create = (client: ImmutaClient) =>
    client.createS3DataSource({ integrationId: 2, dataSourceName: "research", prefix: "s3://research" });

  test("401 points at the API key configuration", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 401,
      json: boom(401, "Unauthorized", "Invalid token"),
    });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as Error;
    expect(error.message).toContain("Check immuta:apiKey / IMMUTA_API_KEY");
  });

  test("403 on create names CREATE_S3_DATASOURCE", async () => {
    server().expect("POST", "/native-s3/handler", {
      status: 403,
      json: boom(403, "Forbidden", "Insufficient permissions"),
    });
    const error = (await rejectionOf(create(clientFor(server())))) as ImmutaError;
    expect(error.message).toMatch(
      /create S3 data source failed: POST \/native-s3\/handler answered HTTP 403 Forbidden/,
    );
    expect(error.message).toContain("lacks the CREATE_S3_DATASOURCE permission");
    expect(error.ambiguous).toBe(false);
  });

  test.each([
    ["DELETE", (client: ImmutaClient) => client.hardDeleteDataSource(41)],
    ["PUT", (client: ImmutaClient) => client.restoreDataSource(41)],
    ["PUT", (client: ImmutaClient) => client.renameDataSource(41, "x")],
  ])("403 on %s names GOVERNANCE or ownership", async (method, call) => {
    server().expect(method, "/dataSource/41", {
      status: 403,
      json: boom(403, "Forbidden", "Insufficient permissions"),
    });
    const error = (await rejectionOf(call(clientFor(server())))) as Error;
    expect(error.message).toContain("global GOVERNANCE permission or ownership of the data source");
  });

  test("409 on create says the name or prefix exists and suggests adoption", async () => {
    server().expect("POST", "/native-s3/handler", {
      status: 409,
      json: boom(409, "Conflict", "Data source with name research already exists"),
    });
    const error = (await rejectionOf(create(clientFor(server())))) as ImmutaError;
    expect(error.kind).toBe("conflict");
    expect(error.message).toContain("already exists");
    expect(error.message).toContain("name or prefix already exists");
    expect(error.message).toContain("adopt the existing data source");
  });

  test("422 on create explains the values were rejected", async () => {
    server().expect("POST", "/native-s3/handler", {
      status: 422,
      json: {
        statusCode: 422,
        error: "Unprocessable Entity",
        message: "prefix outside location",
        validation: { keys: ["prefix"] },
      },
    });
    const error = (await rejectionOf(create(clientFor(server())))) as ImmutaError;
    expect(error.immutaMessage).toBe("prefix outside location");
    expect(error.message).toContain("awsLocationPath");
  });

  test("429 says Immuta is rate limiting", async () => {
    server().expect("GET", "/dataSource/41", { status: 429, body: "" });
    const error = (await rejectionOf(
      clientFor(server(), { retry: { maxAttempts: 1 } }).getDataSource(41),
    )) as Error;
    expect(error.message).toContain("rate limiting");
  });

  test("5xx says it is an Immuta server error to retry later", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 500,
      json: boom(500, "Internal Server Error", "An internal server error occurred"),
    });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as Error;
    expect(error.message).toContain("Immuta server error; retry later");
  });

  test("a long HTML page is cut to a short excerpt", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 500,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: `<html><body>${"<p>lorem ipsum dolor</p>".repeat(500)}</body></html>`,
    });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as ImmutaError;
    expect(error.immutaMessage?.length).toBeLessThanOrEqual(200);
    expect(error.immutaMessage).toMatch(/^lorem ipsum dolor lorem/);
    expect(error.message.length).toBeLessThan(600);
  });

  test("a redirect is not followed and says which baseUrl to use", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 301,
      headers: { location: "https://acme.hosted.immutacloud.com/dataSource/41?session=abc" },
    });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as ImmutaError;
    expect(error).toBeInstanceOf(ImmutaApiError);
    expect(error.kind).toBe("invalid-response");
    expect(error.message).toContain("redirect to https://acme.hosted.immutacloud.com/dataSource/41");
    expect(error.message).not.toContain("session=abc");
    expect(error.message).toContain("set immuta:url to the tenant root");
    expect(server().requests).toHaveLength(1);
  });

  test("errors have fixed names and a safe toJSON", async () => {
    server().expect("GET", "/dataSource/41", { status: 404, json: boom(404, "Not Found", "gone") });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as ImmutaError;
    expect(error.stack).toMatch(/^ImmutaApiError: get data source failed/);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ImmutaApiError",
      kind: "not-found",
      message: error.message,
      operation: "get data source",
      method: "GET",
      path: "/dataSource/41",
      status: 404,
      immutaMessage: "gone",
      ambiguous: false,
      attempts: 1,
    });
  });
});
