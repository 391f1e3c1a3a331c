import { MIN_SCRUBBED_SECRET_LENGTH } from "./defaults";

export const REDACTED = "[REDACTED]";

/**
 * Removes a client's credentials (API key, bearer tokens) from texts that came from the network, such as an error
 * body that echoes `Authorization`. Each is removed whole: the key has no scheme prefix to keep.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  constructor(secrets: readonly string[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): void {
    if (secret.length >= MIN_SCRUBBED_SECRET_LENGTH) this.#secrets.add(secret);
  }

  scrub(text: string): string {
    // Longest first, so a token that contains the key is removed as one piece.
    const bySize = [...this.#secrets].sort((a, b) => b.length - a.length);
    return bySize.reduce((result, secret) => result.split(secret).join(REDACTED), text);
  }
}
