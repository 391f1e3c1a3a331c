import { isWithinLocation, parseLocation, parseS3Uri, S3_ROOT } from "../provider/core/s3-naming";
import type { KeySegmentsMode, PrefixFormMode } from "./types";

/** A POSTed prefix resolved to the canonical absolute prefix the store keys on, or why it cannot be. */
export type ResolvedPrefix = { ok: true; prefix: string } | { ok: false; reason: string };

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Reads `dataSources[].prefix` as the mode says: relative to the integration's `awsLocationPath` (Immuta's
 * documented example sends `research-data-source` for the location `s3://`), absolute (`s3://bucket/key`), or
 * either (`both`: absolute when it has the `s3://` scheme). See docs/immuta-api.md, "Prefix form".
 */
export function resolveRequestedPrefix(
  input: string,
  awsLocationPath: string,
  form: PrefixFormMode,
  segments: KeySegmentsMode,
): ResolvedPrefix {
  if (form === "absolute" || (form === "both" && SCHEME.test(input))) return parsePrefix(input, segments);
  return resolveRelativePrefix(input, awsLocationPath, segments);
}

/** An absolute prefix in canonical form under Amazon S3's naming rules, its key read as the mode says. */
export function parsePrefix(input: string, segments: KeySegmentsMode): ResolvedPrefix {
  const parsed = parseS3Uri(input, segments);
  return parsed.ok ? { ok: true, prefix: parsed.canonical } : { ok: false, reason: parsed.reason };
}

// DECISION: in relative form a scheme is not special: `s3://bucket` is refused (400) rather than taken as absolute,
// so a client that sends absolute URIs to a tenant reading relative ones fails loudly instead of registering
// `s3://s3:/bucket`. A leading `/` is refused too; an empty prefix is the location itself, except for `s3://`.
function resolveRelativePrefix(
  input: string,
  awsLocationPath: string,
  segments: KeySegmentsMode,
): ResolvedPrefix {
  const location = parseLocation(awsLocationPath);
  const fail = (problem: string): ResolvedPrefix => ({
    ok: false,
    reason: `${problem} (the prefix is read relative to the integration's awsLocationPath ${awsLocationPath})`,
  });
  if (!location.ok) return fail(`the integration's location is not an S3 location: ${location.reason}`);
  if (SCHEME.test(input)) return fail("a relative prefix must not start with a scheme such as s3://");
  if (input.startsWith("/")) return fail('a relative prefix must not start with "/"');
  if (input === "" && location.canonical === S3_ROOT) return fail("an empty prefix names no bucket");
  const joined =
    location.canonical === S3_ROOT
      ? `${S3_ROOT}${input}`
      : input === ""
        ? location.canonical
        : `${location.canonical}/${input}`;
  const parsed = parsePrefix(joined, segments);
  return parsed.ok ? parsed : fail(parsed.reason);
}

/**
 * A stored (canonical absolute) prefix as the API echoes it: relative to the integration's location in
 * `relative` form, absolute otherwise (`both` answers absolute).
 */
// DECISION: a source outside its integration's location (possible only after the control API re-points the
// integration) is echoed absolute, since no relative form names it.
export function prefixForResponse(
  storedPrefix: string,
  awsLocationPath: string | undefined,
  form: PrefixFormMode,
): string {
  if (form !== "relative" || awsLocationPath === undefined) return storedPrefix;
  const location = parseLocation(awsLocationPath);
  if (!location.ok || !isWithinLocation(storedPrefix, location.canonical)) return storedPrefix;
  if (location.canonical === S3_ROOT) return storedPrefix.slice(S3_ROOT.length);
  return storedPrefix === location.canonical ? "" : storedPrefix.slice(location.canonical.length + 1);
}
