import { AUTHENTICATE_PATH } from "./defaults";
import type { SecretScrubber } from "./redact";
import { request, type RequestSpec } from "./request-runner";
import { checkResponse, mapCheck, type SchemaCheck } from "./schemas";
import type { AuthMode } from "./types";

/** Which credential a request needs: the session one (per `authMode`) or the raw API key (the token exchange). */
export type CredentialUse = "session" | "apiKey";

const EXCHANGE = {
  name: "authenticate API key",
  access: "authenticate",
  endpoint: `POST ${AUTHENTICATE_PATH}`,
} as const;

function tokenCheck(body: unknown): SchemaCheck<string> {
  const checked = checkResponse("authenticate", body);
  if (checked.ok && checked.value.authenticated !== true) {
    return { ok: false, jsonPath: "/authenticated", problems: ["/authenticated is false"] };
  }
  return mapCheck(checked, (response) => response.token);
}

/** `Authorization` values. In `bearer` mode one exchange serves all concurrent callers until Immuta rejects its token. */
export class Authenticator {
  readonly #apiKey: string;
  #token: Promise<string> | undefined;

  constructor(
    private readonly mode: AuthMode,
    apiKey: string,
    private readonly scrubber: SecretScrubber,
    private readonly send: <T>(spec: RequestSpec<T>, deadlineAt: number) => Promise<T>,
  ) {
    this.#apiKey = apiKey;
    scrubber.add(apiKey);
  }

  /** The `Authorization` value for a request, and the bearer token it carries (to invalidate it on a 401). */
  async credentials(use: CredentialUse | undefined, deadlineAt: number) {
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
      const pending = this.send(this.#exchange(), deadlineAt).then((token) => {
        this.scrubber.add(token);
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

  #exchange(): RequestSpec<string> {
    // DECISION: the key goes in the Authorization header (current docs) and in the body (older docs).
    const spec = request(EXCHANGE, tokenCheck, { body: { apikey: this.#apiKey } });
    // Exchanging the key again only mints another token, so resending is harmless.
    return { ...spec, idempotent: true, credentials: "apiKey", sensitiveResponse: true };
  }
}
