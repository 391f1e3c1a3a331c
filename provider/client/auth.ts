import { AUTHENTICATE_PATH } from "./defaults";
import type { SecretScrubber } from "./redact";
import type { RequestSpec } from "./request-runner";
import { checkResponse, mapCheck } from "./schemas";
import type { AuthMode } from "./types";

/** The `Authorization` value for one request, plus the bearer token it carries (to invalidate it on a 401). */
export interface Credentials {
  authorization: string;
  token?: string;
}

/** Which credential a request needs: the session one (per `authMode`) or the raw API key (the token exchange). */
export type CredentialUse = "session" | "apiKey";

/** Sends a request within the given deadline (the client's request runner). */
export type Send = <T>(spec: RequestSpec<T>, deadlineAt: number) => Promise<T>;

/**
 * Produces `Authorization` values. In `bearer` mode it exchanges the API key for a token lazily, once for all
 * concurrent callers, caches the token and drops it when Immuta rejects it, so the next request authenticates again.
 */
export class Authenticator {
  readonly #mode: AuthMode;
  readonly #apiKey: string;
  readonly #scrubber: SecretScrubber;
  readonly #send: Send;
  #token: Promise<string> | undefined;

  constructor(mode: AuthMode, apiKey: string, scrubber: SecretScrubber, send: Send) {
    this.#mode = mode;
    this.#apiKey = apiKey;
    this.#scrubber = scrubber;
    this.#send = send;
    scrubber.add(apiKey);
  }

  async credentials(use: CredentialUse, deadlineAt: number): Promise<Credentials> {
    if (use === "apiKey" || this.#mode === "apiKey") return { authorization: this.#apiKey };
    const token = await this.#currentToken(deadlineAt);
    return { authorization: `Bearer ${token}`, token };
  }

  /** Forgets `token` if it is still the cached one (concurrent 401s then cause a single re-authentication). */
  async invalidate(token: string): Promise<void> {
    const cached = this.#token;
    if (cached && (await cached.catch(() => undefined)) === token && this.#token === cached)
      this.#token = undefined;
  }

  #currentToken(deadlineAt: number): Promise<string> {
    if (!this.#token) {
      const pending = this.#send(this.#exchange(), deadlineAt).then((token) => {
        this.#scrubber.add(token);
        return token;
      });
      this.#token = pending;
      // A failed exchange is not cached: the next request tries again.
      pending.catch(() => {
        if (this.#token === pending) this.#token = undefined;
      });
    }
    return this.#token;
  }

  /** `POST /bim/apikey/authenticate`: the API key for a bearer token. */
  #exchange(): RequestSpec<string> {
    return {
      operation: { name: "authenticate API key", access: "authenticate" },
      method: "POST",
      path: AUTHENTICATE_PATH,
      endpoint: `POST ${AUTHENTICATE_PATH}`,
      // DECISION: the key goes in the Authorization header (current docs) and in the body (older docs).
      body: { apikey: this.#apiKey },
      // Exchanging the key again only mints another token, so resending is harmless.
      idempotent: true,
      credentials: "apiKey",
      sensitiveResponse: true,
      check: (body) => {
        const checked = checkResponse("authenticate", body);
        if (checked.ok && checked.value.authenticated !== true) {
          return { ok: false, jsonPath: "/authenticated", problems: ["/authenticated is false"] };
        }
        return mapCheck(checked, (response) => response.token);
      },
    };
  }
}
