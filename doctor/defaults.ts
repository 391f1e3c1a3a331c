/** Every default of `pulumi-immuta doctor`, named in one place. */

/** The request the reachability probe sends, without credentials: every Immuta tenant answers it (a 401). */
export const PROBE_PATH = "/dataSource?size=1";

/** `User-Agent` of the doctor's requests, so a tenant's logs tell them from the provider's. */
export const DOCTOR_USER_AGENT = "pulumi-immuta doctor";

/** Hits the authentication request asks for; one of them may be read by the read check. */
export const SEARCH_SAMPLE_SIZE = 10;

/** Data sources of the stack's state read per tenant: enough to show a pattern, few enough to stay quick. */
export const MAX_STATE_SOURCES_READ = 3;

/** Environment variables that configure proxies for other tools; the provider ignores them. */
export const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] as const;
