import { readFileSync } from "node:fs";
import path from "node:path";
import { ImmutaNetworkError } from "../../provider/client";
import { HttpTestServer } from "../helpers/http-test-server";
import { clientFor, closeClients, dataSourceBody, rejectionOf } from "./support";

// A self-signed certificate for 127.0.0.1/localhost, valid until 2126, used by these tests only.
const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const cert = fixture("loopback-test-only.cert.pem");
const key = fixture("loopback-test-only.key.pem");

let server: HttpTestServer;
beforeEach(async () => {
  server = await HttpTestServer.start({ tls: { key, cert } });
});
afterEach(async () => {
  closeClients();
  try {
    server.verify();
  } finally {
    await server.close();
  }
});

describe("TLS", () => {
  test("an unknown certificate authority is refused, not retried, and the message points at caBundle", async () => {
    const error = (await rejectionOf(
      clientFor(server, { retry: { maxAttempts: 5 } }).getDataSource(41),
    )) as ImmutaNetworkError;

    expect(error).toBeInstanceOf(ImmutaNetworkError);
    expect(error.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(error).toMatchObject({ attempts: 1, ambiguous: false });
    expect(error.message).toContain("TLS certificate verification failed");
    expect(error.message).toContain("caBundle");
    expect(server.requests).toHaveLength(0);
  });

  test("caBundle adds the tenant's CA to Node's roots and the request succeeds over verified TLS", async () => {
    server.expect("GET", "/dataSource/41", { json: dataSourceBody() });

    const dataSource = await clientFor(server, { caBundle: cert }).getDataSource(41);

    expect(dataSource.id).toBe(41);
  });

  test("verification stays on even with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment", async () => {
    const previous = process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
    process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
    try {
      const error = await rejectionOf(clientFor(server).getDataSource(41));
      expect(error).toBeInstanceOf(ImmutaNetworkError);
    } finally {
      if (previous === undefined) delete process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
      else process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = previous;
    }
  });
});
