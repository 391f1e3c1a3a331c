import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { startTestEmulator, type BoomBody, type TestEmulator } from "./helpers/emulator";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  // Whatever came before, the server still answers.
  expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  await emulator.close();
});
beforeEach(() => emulator.control.reset());

const post = (rawBody: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  emulator.call<BoomBody>("POST", "/native-s3/handler", { rawBody, headers });

describe("bodies", () => {
  test("malformed JSON is a 400 with a validation object", async () => {
    const response = await post('{"type": "Native S3", ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: "Invalid request payload JSON format",
      validation: { source: "payload", keys: [] },
    });
  });

  const valid = {
    type: "Native S3",
    integrationId: 1,
    dataSources: [{ dataSourceName: "n", prefix: "bucket-a" }],
  };
  test.each([
    ["integrationId as a string", { ...valid, integrationId: "1" }, "integrationId"],
    ["integrationId as a fraction", { ...valid, integrationId: 1.5 }, "integrationId"],
    ["type not 'Native S3'", { ...valid, type: "Native s3" }, "type"],
    ["no type", { integrationId: 1, dataSources: valid.dataSources }, "type"],
    ["no dataSources", { type: "Native S3", integrationId: 1 }, "dataSources"],
    ["dataSources not an array", { ...valid, dataSources: { dataSourceName: "n" } }, "dataSources"],
    ["empty dataSources", { ...valid, dataSources: [] }, "dataSources"],
    [
      "a numeric name",
      { ...valid, dataSources: [{ dataSourceName: 5, prefix: "b-b-b" }] },
      "dataSources.0.dataSourceName",
    ],
    [
      "a blank name",
      { ...valid, dataSources: [{ dataSourceName: "  ", prefix: "b-b-b" }] },
      "dataSources.0.dataSourceName",
    ],
    [
      "a name with a newline",
      { ...valid, dataSources: [{ dataSourceName: "a\nb", prefix: "b-b-b" }] },
      "dataSources.0.dataSourceName",
    ],
    ["no prefix", { ...valid, dataSources: [{ dataSourceName: "n" }] }, "dataSources.0.prefix"],
    ["an array body", [valid], ""],
    ["a null body", null, ""],
  ])("%s is a 400 naming the key", async (_case, body, key) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body.validation).toEqual({ source: "payload", keys: key ? [key] : [] });
    expect(await emulator.control.store()).toMatchObject({ dataSources: [] });
  });

  test("an empty body is a 400", async () => {
    expect((await post("")).status).toBe(400);
  });

  test("a PUT with a wrong type is a 400", async () => {
    await emulator.create("research", "research-bucket");
    const response = await emulator.call<BoomBody>("PUT", "/dataSource/1", { body: { deleted: "no" } });
    expect(response.status).toBe(400);
    expect(response.body.validation?.keys).toEqual(["deleted"]);
  });

  test("a non-JSON content type is a 415", async () => {
    const response = await post("type=Native+S3", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(415);
    expect(response.body.error).toBe("Unsupported Media Type");
  });

  test("JSON nested a million levels deep is a 4xx, not a crash", async () => {
    const deep = `${"[".repeat(500_000)}${"]".repeat(500_000)}`;
    expect((await post(deep)).status).toBe(400);
  });

  test("a body over 1 MiB is a 413, with or without Content-Length, and the server keeps serving", async () => {
    const huge = JSON.stringify({ type: "Native S3", padding: "x".repeat(2 * 1024 * 1024) });
    const declared = await post(huge);
    expect(declared.status).toBe(413);
    expect(declared.body.message).toContain("1048576");

    const chunked = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${emulator.url}/native-s3/handler`, {
        method: "POST",
        headers: { authorization: emulator.apiKey, "content-type": "application/json" },
      });
      request.on("response", (response: IncomingMessage) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      for (let index = 0; index < 24; index++) request.write("x".repeat(100_000));
      request.end();
    });
    expect(chunked).toBe(413);
    expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  });
});

describe("paths", () => {
  test.each([
    ["/dataSource/name/%E0%A4%A", 400],
    ["/dataSource/%zz", 400],
    ["/dataSource/99999999999999999999", 400],
    ["/dataSource/1e3", 400],
    ["/dataSource/-1", 400],
    ["/dataSource/1.0", 400],
    ["/native-s3/handler/abc", 400],
    ["/dataSource/0", 404],
    ["/dataSource/1/", 404],
    ["//dataSource/1", 404],
    ["/dataSource?size=abc", 400],
    ["/dataSource?searchText=%E0%A4%A", 200],
  ])("GET %s is a %i", async (path, status) => {
    const response = await emulator.call<BoomBody>("GET", path);
    expect(response.status).toBe(status);
    if (status >= 400) expect(response.body.statusCode).toBe(status);
  });
});

describe("the HTTP layer", () => {
  function rawExchange(text: string): Promise<string> {
    const { port } = new URL(emulator.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write(text));
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString("latin1")));
      socket.on("end", () => resolve(received));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      socket.setTimeout(3000, () => socket.destroy());
    });
  }

  test("garbage instead of HTTP is a 400 Boom and the connection closes", async () => {
    const response = await rawExchange("GARBAGE\r\n\r\n");
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(response).toContain('"statusCode":400');
  });

  test("oversized headers are a 431", async () => {
    const response = await rawExchange(
      `GET /dataSource HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 431/);
  });

  test("an absolute-form request target is served by its path", async () => {
    const response = await rawExchange(
      `GET http://elsewhere.invalid/dataSource HTTP/1.1\r\nHost: x\r\nAuthorization: ${emulator.apiKey}\r\nConnection: close\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  test("keep-alive: consecutive requests reuse one connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = httpRequest(`${emulator.url}/dataSource`, {
          agent,
          headers: { authorization: emulator.apiKey },
        });
        request.on("response", (response) => {
          response.resume();
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, reused: request.reusedSocket }),
          );
        });
        request.on("error", reject);
        request.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      expect(await get()).toEqual({ status: 200, reused: true });
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
