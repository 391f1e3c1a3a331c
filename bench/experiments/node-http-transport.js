"use strict";
/**
 * EXPERIMENT, not product code: a drop-in for the API client's transport module (CLIENT_TRANSPORT_MODULE in
 * bench/lib/package-layout.js) that sends with node:http(s) instead of axios, copied over the `nodeHttp` variant's
 * program copy only (never over the repository's dist).
 * It keeps the transport's contract for the benchmark's happy path (agents, keep-alive only for idempotent
 * requests, per-request and deadline timer, response size cap, no redirects, no proxies) but not everything the
 * real transport does (no decompression, simpler error codes), so it only measures what axios costs in the
 * provider process: module load and per-request CPU.
 */
const http = require("node:http");
const https = require("node:https");
const tls = require("node:tls");
const { Buffer } = require("node:buffer");
const { setTimeout, clearTimeout } = require("node:timers");

/**
 * The client's defaults, from the package's public entry. Read on first use, not at load: this module loads while
 * that entry is still loading (it replaces one of the entry's own modules).
 */
let clientDefaults;
const defaults = () => (clientDefaults ??= require("pulumi-immuta/provider").client.defaults);

function createAgents(options) {
  const pool = { timeout: defaults().KEEP_ALIVE_IDLE_TIMEOUT_MS };
  if (options.tenant.protocol === "http:") {
    return {
      reusable: new http.Agent({ ...pool, keepAlive: true }),
      fresh: new http.Agent({ keepAlive: false }),
    };
  }
  const tlsOptions = {
    rejectUnauthorized: true,
    ...(options.caBundle ? { ca: [...tls.rootCertificates, options.caBundle] } : {}),
  };
  return {
    reusable: new https.Agent({ ...tlsOptions, ...pool, keepAlive: true }),
    fresh: new https.Agent({ ...tlsOptions, keepAlive: false }),
  };
}

const headerString = (value) =>
  typeof value === "string"
    ? value
    : Array.isArray(value) && typeof value[0] === "string"
      ? value[0]
      : undefined;

class HttpTransport {
  #agents;
  #root;
  #userAgent;
  #module;
  #options;

  constructor(options) {
    this.#options = options;
    this.#root = options.tenant.root.replace(/\/$/, "");
    this.#userAgent = options.userAgent;
    this.#module = options.tenant.protocol === "http:" ? http : https;
  }

  send(attempt) {
    return new Promise((resolve) => {
      const body = attempt.body === undefined ? undefined : JSON.stringify(attempt.body);
      const headers = {
        Accept: "application/json",
        "User-Agent": this.#userAgent,
        Authorization: attempt.authorization,
      };
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        headers["Content-Length"] = Buffer.byteLength(body);
      }
      const cutoff = attempt.deadlineRemainingMs < attempt.requestTimeoutMs ? "deadline" : "request";
      let settled = false;
      let timer;
      const finish = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      this.#agents ??= createAgents(this.#options);
      const agent = attempt.reuseConnection ? this.#agents.reusable : this.#agents.fresh;
      const maxResponseBytes = defaults().MAX_RESPONSE_BYTES;
      const request = this.#module.request(
        this.#root + attempt.path,
        { method: attempt.method, headers, agent },
        (response) => {
          const chunks = [];
          let size = 0;
          response.on("data", (chunk) => {
            size += chunk.length;
            if (size > maxResponseBytes) {
              request.destroy();
              finish({ type: "too-large" });
            } else chunks.push(chunk);
          });
          response.on("end", () =>
            finish({
              type: "response",
              status: response.statusCode,
              statusText: response.statusMessage ?? "",
              body: Buffer.concat(chunks).toString("utf8"),
              contentType: headerString(response.headers["content-type"]),
              retryAfter: headerString(response.headers["retry-after"]),
              location: headerString(response.headers["location"]),
            }),
          );
          response.on("error", (error) => finish({ type: "network", code: error.code || "ERR_NETWORK" }));
        },
      );
      timer = setTimeout(
        () => {
          request.destroy();
          finish({ type: "timeout", cutoff });
        },
        Math.max(1, Math.min(attempt.requestTimeoutMs, attempt.deadlineRemainingMs)),
      );
      request.on("error", (error) => finish({ type: "network", code: error.code || "ERR_NETWORK" }));
      request.end(body);
    });
  }

  close() {
    this.#agents?.reusable.destroy();
    this.#agents?.fresh.destroy();
  }
}

module.exports = { HttpTransport };
