import type { SecretScrubber } from "./redact";
import type { AuthMode } from "./types";

/** The `Authorization` value for one request, plus the bearer token it carries (to invalidate it on a 401). */
export interface Credentials {
  authorization: string;
  token?: string;
}

/** Which credential a request needs: the session one (per `authMode`) or the raw API key (the token exchange). */
export type CredentialUse = "session" | "apiKey";

export interface AuthenticatorOptions {
  mode: AuthMode;
  apiKey: string;
  scrubber: SecretScrubber;
  /** Exchanges the API key for a bearer token (`POST /bim/apikey/authenticate`) within the given deadline. */
  exchange: (deadlineAt: number) => Promise<string>;
}

/**
 * Produces `Authorization` values. In `bearer` mode it authenticates lazily, once for all concurrent callers, caches
 * the token and drops it when Immuta rejects it, so the next request authenticates again.
 */
export class Authenticator {
  readonly mode: AuthMode;
  readonly #apiKey: string;
  readonly #scrubber: SecretScrubber;
  readonly #exchange: (deadlineAt: number) => Promise<string>;
  #token: Promise<string> | undefined;

  constructor(options: AuthenticatorOptions) {
    this.mode = options.mode;
    this.#apiKey = options.apiKey;
    this.#scrubber = options.scrubber;
    this.#exchange = options.exchange;
    this.#scrubber.add(options.apiKey);
  }

  async credentials(use: CredentialUse, deadlineAt: number): Promise<Credentials> {
    if (use === "apiKey" || this.mode === "apiKey") return { authorization: this.#apiKey };
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
      const pending = this.#exchange(deadlineAt).then((token) => {
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
}
