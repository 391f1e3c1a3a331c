/**
 * Catalogue keys (the Pulumi resource names) derived from Immuta's names, so that exporting an unchanged tenant
 * again gives the same keys, and a new source never takes the key of an existing one.
 */

/** What the catalogue's schema allows: letters, digits, `-` and `_`, starting with a letter or digit, ≤ 100. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const MAX_KEY_LENGTH = 100;
/** Room left for a `-<id>` suffix that resolves a collision. */
const MAX_BASE_LENGTH = 80;

/**
 * `Research Raw` → `research-raw`; `s3://acme/raw (123*****9012/us-east-2)` → `acme-raw`; `Café` → `cafe`.
 * DECISION: keys are lower case, accents dropped, anything else but letters, digits, `_` and `-` becomes `-`; a
 * name Immuta generated loses its `s3://` scheme and its `(account/region)` tail, which say nothing the prefix does
 * not. This shapes the key only: the declaration keeps Immuta's name exactly. `fallback` when nothing is left.
 */
export function keyFromName(name: string, fallback: string): string {
  const base = name
    .replace(/^s3:\/\//i, "")
    .replace(/\s*\([^()]*\)\s*$/, "")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, MAX_BASE_LENGTH)
    .replace(/[-_]+$/, "");
  return base === "" ? fallback : base;
}

export interface KeyRequest {
  /** What the key is derived from. */
  name: string;
  /** Immuta's id: orders claims to one key, and suffixes the later ones. */
  id: number;
  /** The key when the name gives none (e.g. `source-12`). */
  fallback: string;
}

/**
 * One key per request, in request order. Requests whose names give the same key are ordered by id: the lowest
 * gets the plain key, the others `<key>-<id>` (stable however many sources are added later, since ids only grow),
 * and a key already `taken` (by an existing catalogue entry) is never given out.
 */
export function assignKeys(requests: readonly KeyRequest[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  const bases = requests.map((request) => keyFromName(request.name, request.fallback));
  const order = requests.map((_, index) => index).sort((a, b) => requests[a].id - requests[b].id);
  const keys = new Array<string>(requests.length);
  for (const index of order) {
    const base = bases[index];
    let key = used.has(base) ? `${base}-${requests[index].id}` : base;
    for (let attempt = 2; used.has(key); attempt++) key = `${base}-${requests[index].id}-${attempt}`;
    if (!KEY_PATTERN.test(key) || key.length > MAX_KEY_LENGTH) {
      throw new Error(`internal error: derived catalogue key "${key}" is not a valid key`);
    }
    used.add(key);
    keys[index] = key;
  }
  return keys;
}
