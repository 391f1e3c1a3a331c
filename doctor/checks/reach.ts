/**
 * `reach`: one request without credentials through the provider's own transport (TLS always verified, the
 * configured CA bundle added to Node's roots, no redirects, no proxies from the environment), timed.
 */
import { isLoopbackHost } from "../../provider/client";
import { extractImmutaMessage, statusLine } from "../../provider/client/error-message";
import { isTlsFailure } from "../../provider/client/retry-decision";
import { HttpTransport, type HttpOutcome } from "../../provider/client/transport";
import type { TenantConnection } from "../../provider/config";
import { DOCTOR_USER_AGENT, PROBE_PATH, PROXY_VARIABLES } from "../defaults";
import type { CheckResult } from "../report";
import { bothNames, type DoctorSetting } from "../settings";

function failed(summary: string, fix: string, latencyMs?: number): CheckResult {
  return {
    check: "reach",
    verdict: "failed",
    summary,
    fix,
    ...(latencyMs === undefined ? {} : { latencyMs }),
  };
}

/** How the connection is protected, in words. */
function transportDescription(connection: TenantConnection): string {
  const { tenant, caBundle } = connection.resolved;
  if (tenant.protocol === "https:") {
    return `HTTPS, certificate verified against Node's CA roots${caBundle === undefined ? "" : " and the configured caBundle"}`;
  }
  return isLoopbackHost(new URL(tenant.root).hostname)
    ? "plain HTTP to a loopback address"
    : "plain HTTP (allowInsecureHttp: the API key travels unencrypted)";
}

function settingName(connection: TenantConnection, setting: DoctorSetting): string {
  return bothNames(connection.tenant, setting);
}

function networkFailure(connection: TenantConnection, code: string, env: NodeJS.ProcessEnv): CheckResult {
  const host = new URL(connection.resolved.tenant.root).host;
  const proxies = PROXY_VARIABLES.filter((name) => (env[name] ?? "") !== "");
  const proxyNote =
    proxies.length === 0
      ? ""
      : ` ${proxies[0]} is set, but the provider connects directly: it never uses proxies from the environment.`;
  if (isTlsFailure(code)) {
    const caBundle = settingName(connection, "caBundle");
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return failed(
        `TLS certificate verification failed (${code}): the certificate does not name ${host}`,
        "Use the host name the tenant's certificate names in the URL.",
      );
    }
    const fix =
      connection.resolved.caBundle === undefined
        ? `If the tenant's certificate is issued by a private CA, set ${caBundle} to that CA's PEM certificates (text or a file path). Verification cannot be turned off.`
        : `The certificate is not issued by a CA in Node's roots or in ${caBundle}: put the issuing CA (and any intermediate) in the bundle.`;
    return failed(`TLS certificate verification failed (${code})`, fix);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return failed(
      `cannot resolve ${host} (${code})`,
      `Check the host name in ${settingName(connection, "url")}, and this machine's DNS.${proxyNote}`,
    );
  }
  if (code === "ECONNREFUSED") {
    return failed(
      `${host} refused the connection (${code})`,
      `Check the host and port in ${settingName(connection, "url")}; a VPN or firewall may be needed.${proxyNote}`,
    );
  }
  return failed(
    `the connection to ${host} failed (${code})`,
    `Check the network path to the tenant (firewall, VPN).${proxyNote}`,
  );
}

/** The target of a redirect without its query (it might carry a token). */
function redirectTarget(location: string | undefined, root: string): string {
  if (location === undefined) return "an unnamed location";
  try {
    const url = new URL(location, root);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "an unreadable location";
  }
}

function judgeResponse(
  connection: TenantConnection,
  outcome: Extract<HttpOutcome, { type: "response" }>,
  latencyMs: number,
): CheckResult {
  const { root } = connection.resolved.tenant;
  const status = statusLine(outcome.status, outcome.statusText);
  const url = settingName(connection, "url");
  if (outcome.status >= 300 && outcome.status < 400) {
    return failed(
      `GET ${PROBE_PATH} answered ${status}, a redirect to ${redirectTarget(outcome.location, root)}; the provider never follows redirects (the key must not travel elsewhere)`,
      `Set ${url} to the tenant root the redirect leads to.`,
      latencyMs,
    );
  }
  if (outcome.status === 404) {
    return failed(
      `GET ${PROBE_PATH} answered ${status}: this URL does not serve Immuta's V1 API`,
      `Set ${url} to the tenant root, e.g. https://acme.hosted.immutacloud.com, without a UI or API path.`,
      latencyMs,
    );
  }
  if (outcome.status >= 500) {
    const said = extractImmutaMessage(outcome.body, outcome.contentType);
    return failed(
      `GET ${PROBE_PATH} answered ${status}${said === undefined ? "" : `: ${said}`}`,
      "Immuta, or a proxy in front of it, is failing: run doctor again later, and ask the tenant's administrators if it persists.",
      latencyMs,
    );
  }
  let json = true;
  try {
    JSON.parse(outcome.body);
  } catch {
    json = false;
  }
  if (!json) {
    return {
      check: "reach",
      verdict: "warning",
      summary: `${transportDescription(connection)}; but GET ${PROBE_PATH} answered ${status} with a body that is not JSON, unlike Immuta's API`,
      fix: `A login page or proxy may sit in front of the API: check that ${url} is the tenant root.`,
      latencyMs,
    };
  }
  const insecure = connection.resolved.tenant.protocol === "http:" && connection.resolved.allowInsecureHttp;
  const loopback = isLoopbackHost(new URL(root).hostname);
  return {
    check: "reach",
    verdict: insecure && !loopback ? "warning" : "ok",
    summary: `${transportDescription(connection)}; Immuta answered (${status} without credentials, as expected)`,
    ...(insecure && !loopback ? { fix: `Use https:// in ${url}.` } : {}),
    latencyMs,
  };
}

export async function checkReach(connection: TenantConnection, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const { resolved } = connection;
  const transport = new HttpTransport({
    tenant: resolved.tenant,
    userAgent: DOCTOR_USER_AGENT,
    ...(resolved.caBundle === undefined ? {} : { caBundle: resolved.caBundle }),
  });
  const startedAt = Date.now();
  try {
    const outcome = await transport.send({
      method: "GET",
      path: PROBE_PATH,
      authorization: "",
      requestTimeoutMs: resolved.requestTimeoutMs,
      deadlineRemainingMs: resolved.requestTimeoutMs,
      reuseConnection: false,
    });
    const latencyMs = Date.now() - startedAt;
    switch (outcome.type) {
      case "response":
        return judgeResponse(connection, outcome, latencyMs);
      case "network":
        return networkFailure(connection, outcome.code, env);
      case "timeout":
        return failed(
          `no answer within ${resolved.requestTimeoutMs} ms`,
          `Check the network path to the tenant (firewall, VPN), or raise ${settingName(connection, "requestTimeoutMs")}.`,
        );
      case "too-large":
        return failed(
          `GET ${PROBE_PATH} answered with an oversized body`,
          `Check that ${settingName(connection, "url")} is the tenant root.`,
        );
    }
  } finally {
    transport.close();
  }
}
