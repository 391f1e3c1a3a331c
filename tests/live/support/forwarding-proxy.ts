/**
 * A loopback HTTP(S) proxy in front of an Immuta tenant that records every request the provider sends: method,
 * path, the status Immuta answered (or the network error), and for a DELETE whether Immuta reported the source
 * disabled or purged. It works the same in front of a real tenant and of the emulator, so request counts can be
 * asserted live. Headers and bodies are forwarded, never recorded: the `Authorization` value stays out of the log.
 *
 * Upstream connections verify TLS exactly like the provider (Node's roots plus an optional CA bundle, never
 * `NODE_TLS_REJECT_UNAUTHORIZED`) and follow no redirects. The listener is plain HTTP on loopback by default, or
 * HTTPS with a given certificate (to put a TLS endpoint in front of the emulator).
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";

export interface ProxiedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The status Immuta answered; absent when the exchange failed on the network. */
  status?: number;
  /** The network error code when no answer arrived (the client then saw a dropped connection). */
  error?: string;
  /** A DELETE's answer: `disabled` as Immuta reported it (true: disabled, false: purged). */
  disabled?: boolean;
}

export interface ForwardingProxyOptions {
  /** The tenant root, e.g. `https://acme.hosted.immutacloud.com` (a base path is kept). */
  target: string;
  /** Extra CA certificates (PEM) trusted for the upstream connection. */
  caBundle?: string;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

export interface ForwardingProxy {
  /** Where clients connect, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request forwarded since the last `clear`, in the order their answers were decided. */
  requests(): ProxiedRequest[];
  clear(): void;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the proxy sets itself. */
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !NOT_FORWARDED.has(name.toLowerCase())),
  );
}

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function disabledOf(body: Buffer): boolean | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { disabled?: unknown };
    return typeof parsed.disabled === "boolean" ? parsed.disabled : undefined;
  } catch {
    return undefined;
  }
}

export async function startForwardingProxy(options: ForwardingProxyOptions): Promise<ForwardingProxy> {
  const target = new URL(options.target.replace(/\/+$/, ""));
  const basePath = target.pathname.replace(/\/+$/, "");
  const secure = target.protocol === "https:";
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        rejectUnauthorized: true,
        ...(options.caBundle === undefined ? {} : { ca: [...tls.rootCertificates, options.caBundle] }),
      })
    : new http.Agent({ keepAlive: true });
  let log: ProxiedRequest[] = [];

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const method = request.method ?? "GET";
    const requestPath = request.url ?? "/";
    const entry: ProxiedRequest = { method, path: requestPath.split("?")[0] };
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch {
      request.socket.destroy();
      return;
    }
    const upstream = (secure ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port === "" ? undefined : target.port,
      method,
      path: `${basePath}${requestPath}`,
      agent,
      headers: { ...forwardable(request.headers), host: target.host, "content-length": body.length },
    });
    upstream.on("response", (answer) => {
      readBody(answer).then(
        (answered) => {
          entry.status = answer.statusCode ?? 0;
          if (method === "DELETE" && entry.status < 300) {
            const disabled = disabledOf(answered);
            if (disabled !== undefined) entry.disabled = disabled;
          }
          log.push(entry);
          response.writeHead(entry.status, {
            ...forwardable(answer.headers),
            "content-length": answered.length,
          });
          response.end(answered);
        },
        (error: NodeJS.ErrnoException) => {
          entry.error = error.code ?? "ERR_STREAM";
          log.push(entry);
          request.socket.destroy();
        },
      );
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      // The client sees what it would see from the tenant: a connection closed without an answer.
      entry.error = error.code ?? "ERR_NETWORK";
      log.push(entry);
      request.socket.destroy();
    });
    upstream.end(body);
  };

  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    void handle(request, response);
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests: () => [...log],
    clear: () => {
      log = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
