import { isIP } from "node:net";
import { configError } from "./error-message";

/** `true` for `localhost`, 127.0.0.0/8 and `::1`: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** The validated tenant root. */
export interface TenantRoot {
  /** Origin plus any base path, without a trailing slash, e.g. `https://acme.hosted.immutacloud.com`. */
  root: string;
  protocol: "http:" | "https:";
}

/**
 * Validates the tenant root and returns it without a trailing slash. Refuses credentials, query or fragment in the
 * URL, and plain HTTP to a non-loopback host unless `allowInsecureHttp` (the API key would travel in clear text).
 * The URL itself is never echoed: it might embed credentials.
 */
export function parseBaseUrl(baseUrl: string, allowInsecureHttp: boolean, name = "url"): TenantRoot {
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw configError(
      `${name} is not set; expected the tenant root, e.g. https://acme.hosted.immutacloud.com.`,
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw configError(
      `${name} is not a valid URL; expected the tenant root, e.g. https://acme.hosted.immutacloud.com.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(`${name} must use https:// (got ${url.protocol}//).`);
  }
  if (url.username !== "" || url.password !== "") {
    throw configError(`${name} must not contain credentials; pass the API key as the API key setting.`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw configError(`${name} must not contain a query or fragment; use the tenant root.`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw configError(`Refusing to send the Immuta API key over plain HTTP to ${url.hostname}.`, {
      kind: "insecure-url",
    });
  }
  return {
    root: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
    protocol: url.protocol === "https:" ? "https:" : "http:",
  };
}
