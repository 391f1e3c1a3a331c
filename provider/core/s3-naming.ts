/**
 * Amazon S3's naming rules (bucket names, keys) and the arithmetic of locations (`s3://`, a bucket, a prefix), in
 * one module for the provider, `doctor` and the emulator. How strictly a key's segments are read is the caller's
 * choice: declarations are strict (S3 treats `a//b` and `a/b` as different keys, so a doubled slash is refused
 * rather than collapsed), while the emulator reads what Immuta may tolerate as its modes say.
 *
 * DECISION: accept `s3://bucket`, `s3://bucket/` and `s3://bucket/key/...`; the canonical form has a lower-case
 * scheme and no trailing slash (docs/immuta-api.md, "Prefix form").
 */
import { MAX_S3_KEY_BYTES } from "./constants";

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; "" for a whole bucket. */
  key: string;
}

export type PrefixParseResult =
  { ok: true; location: S3Location; canonical: string } | { ok: false; reason: string };

/**
 * How a key's path segments are read: `strict` refuses empty (`//`), `.` and `..` segments; `collapse` drops empty
 * segments and keeps `.`, refusing only `..` (which would climb out of the prefix).
 */
export type SegmentRule = "strict" | "collapse";

// Characters that render as nothing or reorder text: a prefix containing them looks like another one in review.
const INVISIBLE_OR_BIDI = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

const codePoint = (character: string) =>
  `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Control characters: never part of a location. */
export function findControlCharacter(value: string): string | undefined {
  const match = CONTROL.exec(value);
  return match ? codePoint(match[0]) : undefined;
}

/** Characters a reviewer cannot see or that reorder text; shared with name validation. */
export function findInvisibleCharacter(value: string): string | undefined {
  const match = CONTROL.exec(value) ?? INVISIBLE_OR_BIDI.exec(value);
  return match ? codePoint(match[0]) : undefined;
}

/** Bucket naming rules of Amazon S3 (general purpose buckets). Returns why the name is invalid, if it is. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63)
    return `bucket name "${bucket}" must be 3 to 63 characters long`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return `bucket name "${bucket}" may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit`;
  }
  if (bucket.includes("..")) return `bucket name "${bucket}" must not contain two adjacent dots`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket))
    return `bucket name "${bucket}" must not be formatted as an IP address`;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket))
    return `bucket name "${bucket}" uses a prefix reserved by AWS`;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket)) {
    return `bucket name "${bucket}" uses a suffix reserved by AWS`;
  }
  return undefined;
}

/** The key's segments as `rule` reads them, or why they are refused. */
function keySegments(key: string, rule: SegmentRule): string[] | { problem: string } {
  const segments = key.split("/");
  if (rule === "collapse") {
    const kept = segments.filter((segment) => segment !== "");
    return kept.includes("..") ? { problem: "contains a '..' path segment" } : kept;
  }
  if (segments.some((segment) => segment === ""))
    return { problem: "contains an empty path segment ('//'); write the key without doubled slashes" };
  if (segments.some((segment) => segment === "." || segment === ".."))
    return { problem: "contains a '.' or '..' path segment" };
  return segments;
}

/** Parses an `s3://bucket[/key]` URI under Amazon S3's rules; the key's segments are read as `rule` says. */
export function parseS3Uri(value: string, rule: SegmentRule = "strict"): PrefixParseResult {
  const control = findControlCharacter(value);
  if (control) return { ok: false, reason: `contains a control character (${control})` };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(value);
  if (!scheme || scheme[1].toLowerCase() !== "s3") {
    return {
      ok: false,
      reason: "must be an S3 URI starting with s3:// (for example s3://my-bucket/research)",
    };
  }
  const rest = value.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket === "") return { ok: false, reason: "has no bucket name after s3://" };
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) return { ok: false, reason: bucketProblem };
  const rawKey = slash === -1 ? "" : rest.slice(slash + 1);
  const key = rawKey.endsWith("/") && rule === "strict" ? rawKey.slice(0, -1) : rawKey;
  let canonicalKey = "";
  if (key !== "") {
    const segments = keySegments(key, rule);
    if (!Array.isArray(segments)) return { ok: false, reason: segments.problem };
    canonicalKey = segments.join("/");
  }
  if (Buffer.byteLength(canonicalKey, "utf8") > MAX_S3_KEY_BYTES)
    return { ok: false, reason: `key is longer than ${MAX_S3_KEY_BYTES} bytes` };
  const location = { bucket, key: canonicalKey };
  return { ok: true, location, canonical: formatPrefix(location) };
}

/**
 * Parses a prefix as a user declares it: strict S3 rules, and nothing a reviewer could misread (invisible
 * characters, edge white space, a key not in Unicode normal form C).
 */
export function parseDeclaredPrefix(value: string): PrefixParseResult {
  const invisible = findInvisibleCharacter(value);
  if (invisible) return { ok: false, reason: `contains an invisible or control character (${invisible})` };
  if (value.trim() !== value) return { ok: false, reason: "has leading or trailing white space" };
  const parsed = parseS3Uri(value, "strict");
  if (parsed.ok && parsed.location.key.normalize("NFC") !== parsed.location.key) {
    return {
      ok: false,
      reason: "is not in Unicode normal form C; retype it so that it compares equal in Immuta",
    };
  }
  return parsed;
}

/** `s3://bucket` or `s3://bucket/key`. */
export function formatPrefix(location: S3Location): string {
  return location.key === "" ? `s3://${location.bucket}` : `s3://${location.bucket}/${location.key}`;
}

/** The root location `s3://`, under which every bucket lies. */
export const S3_ROOT = "s3://";

/** A location (an integration's `awsLocationPath`): `s3://` itself, or a bucket or prefix under `rule`. */
export function parseLocation(value: string, rule: SegmentRule = "collapse"): PrefixParseResult {
  if (/^s3:\/\/\/*$/i.test(value)) return { ok: true, location: { bucket: "", key: "" }, canonical: S3_ROOT };
  return parseS3Uri(value, rule);
}

/** Strips the scheme and collapses doubled, leading and trailing slashes: `S3://b//k/` → `b/k`. */
function pathPart(value: string): string {
  return value
    .replace(/^s3:\/\//i, "")
    .replace(/\/{2,}/g, "/")
    .replace(/^\/+|\/+$/g, "");
}

/** Canonical form of an integration's `awsLocationPath`: `s3://`, `s3://bucket` or `s3://bucket/key`. */
export function canonicalLocation(locationPath: string): string {
  const rest = pathPart(locationPath);
  return rest === "" ? S3_ROOT : `${S3_ROOT}${rest}`;
}

/** Whether a location string names an S3 location at all (`s3://…`). */
export function isS3Location(value: string): boolean {
  return /^s3:\/\//i.test(value.trim());
}

/**
 * Canonical absolute form of a prefix as Immuta reports it, for comparison only. Immuta answers the prefix relative
 * to the integration's `awsLocationPath` (its documented example answers `research-data-source` for location
 * `s3://`), some tenants answer an absolute `s3://` URI: both are read. Lenient where the declared form is strict:
 * the scheme is lower-cased and duplicate and trailing slashes are dropped.
 */
export function canonicalReportedPrefix(value: string, location: string = S3_ROOT): string {
  if (isS3Location(value)) return canonicalLocation(value);
  const base = canonicalLocation(location);
  const relative = pathPart(value);
  if (relative === "") return base;
  return base === S3_ROOT ? `${S3_ROOT}${relative}` : `${base}/${relative}`;
}

/** True when two prefixes denote the same S3 location once canonicalised (relative ones under `location`). */
export function samePrefix(a: string, b: string, location: string = S3_ROOT): boolean {
  return canonicalReportedPrefix(a, location) === canonicalReportedPrefix(b, location);
}

/**
 * A (canonical, absolute) prefix relative to a location, as Immuta's documentation sends it: `bucket/key` under
 * `s3://`, `key` under `s3://bucket`, `""` for the location itself. `undefined` when the prefix lies outside the
 * location: containment is on `/` boundaries (`s3://b/team` holds `s3://b/team/x`, not `s3://b/teamx`).
 */
export function relativeTo(prefix: string, location: string): string | undefined {
  const base = canonicalLocation(location);
  const absolute = canonicalLocation(prefix);
  if (base === S3_ROOT) return absolute.slice(S3_ROOT.length);
  if (absolute === base) return "";
  return absolute.startsWith(`${base}/`) ? absolute.slice(base.length + 1) : undefined;
}

/** Whether a prefix lies at or below a location, on a `/` boundary. */
export function isWithinLocation(prefix: string, location: string): boolean {
  return relativeTo(prefix, location) !== undefined;
}
