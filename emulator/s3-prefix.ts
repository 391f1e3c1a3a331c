import { MAX_PREFIX_LENGTH } from "./defaults";

/** Result of parsing a prefix: the canonical form, or why it is not an S3 prefix. */
export type PrefixParseResult =
  { ok: true; prefix: string; bucket: string; key: string } | { ok: false; reason: string };

const SCHEME = /^s3:\/\//i;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The root location `s3://`, under which every bucket lies. */
export const S3_ROOT = "s3://";

/** Parses and canonicalises an S3 prefix. */
// DECISION: accept `s3://bucket`, `s3://bucket/`, `s3://bucket/key/...`; the canonical form has a lower-case
// scheme, single slashes in the key and no trailing slash, so `S3://b//a/` and `s3://b/a` are one prefix.
// DECISION: bucket names follow AWS's rules and are never lower-cased for the caller (upper case is a 400);
// keys keep their case (S3 keys are case-sensitive); `..` segments and control characters are a 400.
export function parseS3Prefix(input: string): PrefixParseResult {
  if (input.length > MAX_PREFIX_LENGTH) {
    return { ok: false, reason: `prefix is longer than ${MAX_PREFIX_LENGTH} characters` };
  }
  if (CONTROL_CHARACTERS.test(input)) return { ok: false, reason: "prefix contains control characters" };
  if (!SCHEME.test(input)) return { ok: false, reason: "prefix must start with s3://" };
  const rest = input.slice(S3_ROOT.length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) return { ok: false, reason: bucketProblem };

  const rawKey = slash === -1 ? "" : rest.slice(slash + 1);
  const segments = rawKey.split("/").filter((segment) => segment !== "");
  if (segments.includes("..")) return { ok: false, reason: "prefix must not contain '..' segments" };
  const key = segments.join("/");
  return { ok: true, prefix: key ? `${S3_ROOT}${bucket}/${key}` : `${S3_ROOT}${bucket}`, bucket, key };
}

function bucketNameProblem(bucket: string): string | undefined {
  if (bucket === "") return "prefix must name a bucket after s3://";
  if (bucket !== bucket.toLowerCase()) return `S3 bucket names must be lower-case: "${bucket}"`;
  if (
    !BUCKET_NAME.test(bucket) ||
    bucket.includes("..") ||
    IP_ADDRESS.test(bucket) ||
    bucket.startsWith("xn--")
  ) {
    return `"${bucket}" is not a valid S3 bucket name`;
  }
  return undefined;
}

/** Canonical form of an integration's `awsLocationPath` (`s3://` or a canonical prefix). */
export function canonicalLocationPath(locationPath: string): PrefixParseResult {
  if (/^s3:\/\/\/*$/i.test(locationPath)) return { ok: true, prefix: S3_ROOT, bucket: "", key: "" };
  return parseS3Prefix(locationPath);
}

/** Whether a canonical prefix lies at or below a canonical location, on a `/` boundary. */
// DECISION: `s3://team/finance` holds `s3://team/finance` and `s3://team/finance/q1`, not `s3://team/financex`.
export function isWithinLocation(prefix: string, location: string): boolean {
  if (location === S3_ROOT) return true;
  return prefix === location || prefix.startsWith(`${location}/`);
}
