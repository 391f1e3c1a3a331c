/**
 * Small loopback servers for the secrets tests: a TLS front for the emulator (HTTPS with the test-only self-signed
 * certificate), and a hostile "Immuta" that echoes the credentials it receives into every answer.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";

/** The self-signed certificate of tests/client/fixtures, valid for 127.0.0.1 and localhost (loopback tests only). */
export const FIXTURE_CERT_PATH = path.resolve(__dirname, "../client/fixtures/loopback-test-only.cert.pem");
const FIXTURE_KEY_PATH = path.resolve(__dirname, "../client/fixtures/loopback-test-only.key.pem");

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** HTTPS on an ephemeral loopback port, forwarding every connection's bytes to `target` (an http:// URL). */
export async function startTlsFront(target: string): Promise<LoopbackServer> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    { cert: readFileSync(FIXTURE_CERT_PATH), key: readFileSync(FIXTURE_KEY_PATH) },
    (secure) => {
      const plain = net.connect(Number(port), hostname);
      for (const socket of [secure, plain]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      secure.on("close", () => plain.destroy());
      plain.on("close", () => secure.destroy());
      secure.pipe(plain).pipe(secure);
    },
  );
  // A client refusing the certificate ends the handshake: not an error of the front.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An "Immuta" that hands out a token and then answers every request with the Authorization header it received:
 * in a Boom message (400), in a non-JSON 200 body, and in a redirect target. A client that quotes what servers say
 * without scrubbing would leak the key or the token.
 */
export async function startEchoingImmuta(): Promise<LoopbackServer & { tokens: string[] }> {
  const tokens: string[] = [];
  const server = http.createServer((request, response) => {
    const authorization = request.headers.authorization ?? "";
    const url = request.url ?? "/";
    request.resume();
    request.on("end", () => {
      if (url === "/bim/apikey/authenticate") {
        const token = `echo-token-${tokens.length}-0f9e8d7c6b5a4f3e`;
        tokens.push(token);
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ authenticated: true, token }));
        return;
      }
      if (url.startsWith("/dataSource/1")) {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end(`not JSON, but your credentials: ${authorization}`);
        return;
      }
      if (url.startsWith("/dataSource/2")) {
        response.writeHead(302, {
          location: `https://elsewhere.invalid/login/${encodeURIComponent(authorization)}`,
        });
        response.end();
        return;
      }
      response.writeHead(400, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          statusCode: 400,
          error: "Bad Request",
          message: `Rejected the request authorised by ${authorization}`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connection refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
