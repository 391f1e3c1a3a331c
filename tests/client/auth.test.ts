import { ImmutaApiError, ImmutaInvalidResponseError, type ImmutaError } from "../../provider/client";
import { API_KEY, TOKEN, boom, clientFor, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();
const AUTH = "/bim/apikey/authenticate";
const SECOND_TOKEN = "token-second-SECRET-0c7d";

describe("apiKey mode (default)", () => {
  test("sends the raw key and never calls the token exchange", async () => {
    server()
      .expect("GET", "/dataSource/41", { json: dataSourceBody() })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const client = clientFor(server());
    await client.getDataSource(41);
    await client.getDataSource(41);
    expect(server().requests.map((r) => r.headers["authorization"])).toEqual([API_KEY, API_KEY]);
  });

  test("a 401 is final: no retry, no re-authentication", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 401,
      json: boom(401, "Unauthorized", "Invalid API key"),
    });
    const error = (await rejectionOf(clientFor(server()).getDataSource(41))) as ImmutaError;
    expect(error).toMatchObject({ kind: "unauthorized", status: 401, attempts: 1 });
    expect(server().requests).toHaveLength(1);
  });
});

describe("bearer mode", () => {
  test("authenticates lazily once, then sends Bearer <token> on every request", async () => {
    server()
      .expect("POST", AUTH, { json: { authenticated: true, token: TOKEN } })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() })
      .expect("DELETE", "/dataSource/41", {
        json: { success: true, id: 41, disabled: false, hardDelete: true },
      });
    const client = clientFor(server(), { authMode: "bearer" });
    expect(server().requests).toHaveLength(0);

    await client.getDataSource(41);
    await client.hardDeleteDataSource(41);

    const [exchange, get, del] = server().requests;
    expect(exchange?.headers["authorization"]).toBe(API_KEY);
    expect(exchange?.json).toEqual({ apikey: API_KEY });
    expect(get?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(del?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });

  test("concurrent first requests share one token exchange", async () => {
    server()
      .expect("POST", AUTH, { delayMs: 50, json: { authenticated: true, token: TOKEN } })
      .route("GET", /^\/dataSource\/\d+$/, (request) => ({
        json: dataSourceBody({ id: Number(request.path.split("/")[2]) }),
      }));
    const client = clientFor(server(), { authMode: "bearer" });

    const results = await Promise.all([1, 2, 3, 4].map((id) => client.getDataSource(id)));

    expect(results.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(server().requestsTo("POST", AUTH)).toHaveLength(1);
  });

  test("on 401 it re-authenticates once and replays the request with the new token", async () => {
    server()
      .expect("POST", AUTH, { json: { authenticated: true, token: TOKEN } })
      .expect("GET", "/dataSource/41", { status: 401, json: boom(401, "Unauthorized", "Token expired") })
      .expect("POST", AUTH, { json: { authenticated: true, token: SECOND_TOKEN } })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const events: string[] = [];

    await clientFor(server(), { authMode: "bearer", onRetry: (e) => events.push(e.reason) }).getDataSource(
      41,
    );

    expect(server().requests.map((r) => `${r.method} ${r.headers["authorization"]}`)).toEqual([
      `POST ${API_KEY}`,
      `GET Bearer ${TOKEN}`,
      `POST ${API_KEY}`,
      `GET Bearer ${SECOND_TOKEN}`,
    ]);
    expect(events).toEqual(["HTTP 401 Unauthorized: re-authenticating"]);
  });

  test("a second 401 after re-authenticating is an unauthorized error", async () => {
    server()
      .expect("POST", AUTH, { json: { authenticated: true, token: TOKEN } })
      .expect("GET", "/dataSource/41", { status: 401, json: boom(401, "Unauthorized", "Token expired") })
      .expect("POST", AUTH, { json: { authenticated: true, token: SECOND_TOKEN } })
      .expect("GET", "/dataSource/41", { status: 401, json: boom(401, "Unauthorized", "Still no") });

    const error = (await rejectionOf(
      clientFor(server(), { authMode: "bearer" }).getDataSource(41),
    )) as ImmutaError;

    expect(error).toBeInstanceOf(ImmutaApiError);
    expect(error).toMatchObject({
      kind: "unauthorized",
      status: 401,
      immutaMessage: "Still no",
      attempts: 2,
    });
    expect(error.message).toContain("Check immuta:apiKey / IMMUTA_API_KEY");
  });

  test("a rejected key at the exchange is an unauthorized error and nothing else is sent", async () => {
    server().expect("POST", AUTH, { status: 401, json: boom(401, "Unauthorized", "Invalid API key") });

    const error = (await rejectionOf(
      clientFor(server(), { authMode: "bearer" }).getDataSource(41),
    )) as ImmutaError;

    expect(error).toMatchObject({
      kind: "unauthorized",
      operation: "authenticate API key",
      method: "POST",
      path: AUTH,
    });
    expect(error.message).toContain("Check immuta:apiKey / IMMUTA_API_KEY");
    expect(server().requests).toHaveLength(1);
  });

  test("a failed exchange is not cached: the next call authenticates again", async () => {
    server()
      .expect("POST", AUTH, { status: 500, body: "" })
      .expect("POST", AUTH, { json: { authenticated: true, token: TOKEN } })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const client = clientFor(server(), { authMode: "bearer" });

    await expect(client.getDataSource(41)).rejects.toMatchObject({ kind: "server" });
    await expect(client.getDataSource(41)).resolves.toMatchObject({ id: 41 });
  });

  test("authenticated: false is refused", async () => {
    server().expect("POST", AUTH, { json: { authenticated: false, token: TOKEN } });
    const error = (await rejectionOf(
      clientFor(server(), { authMode: "bearer" }).getDataSource(41),
    )) as ImmutaInvalidResponseError;
    expect(error).toBeInstanceOf(ImmutaInvalidResponseError);
    expect(error).toMatchObject({ endpoint: `POST ${AUTH}`, jsonPath: "/authenticated" });
  });

  test("an exchange answer without a token names the endpoint and the JSON path", async () => {
    server().expect("POST", AUTH, { json: { authenticated: true } });
    const error = (await rejectionOf(
      clientFor(server(), { authMode: "bearer" }).getDataSource(41),
    )) as ImmutaInvalidResponseError;
    expect(error).toMatchObject({ kind: "invalid-response", endpoint: `POST ${AUTH}`, jsonPath: "/token" });
    expect(error.message).toContain(`unexpected response from POST ${AUTH}`);
    expect(error.message).toContain("/token is missing");
  });

  test("a non-JSON exchange answer is never quoted (it may hold a token)", async () => {
    server().expect("POST", AUTH, { headers: { "content-type": "text/plain" }, body: `token=${TOKEN}` });
    const error = (await rejectionOf(clientFor(server(), { authMode: "bearer" }).getDataSource(41))) as Error;
    expect(error.message).toContain("the body is not JSON (text/plain)");
    expect(error.message).not.toContain(TOKEN);
  });
});
