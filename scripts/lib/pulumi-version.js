// Which Pulumi CLI this project accepts: the version rule, as one pure function (tests/tooling/pulumi-version.test.ts).
// Node built-ins only: the provisioning scripts load it before anything is installed.
//
// DECISION: a CLI is accepted when the version it reports is a semantic version at or above the floor of the
// `@pulumi/pulumi` peer range (package.json `peerDependencies`), by semver precedence. The SDK does not need a
// matching CLI (the Automation API checks a minimum, and a CLI's own Node.js language host runs programs on any SDK
// of the range), so newer releases are accepted as they are. A pre-release is accepted when it sorts at or above the
// floor (3.250.0-alpha.1 does, 3.216.0-rc.1 does not: it precedes the floor's release) and the message says it is a
// pre-release. Anything that is not a version (a dev build printing a commit, an error) is refused: the Automation
// API itself fails on it.
"use strict";

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/** `{ major, minor, patch, prerelease: string[], text }`, or undefined when `text` is not a semantic version. */
function parseVersion(text) {
  const match = SEMVER.exec(String(text ?? "").trim());
  if (!match) return undefined;
  const [, major, minor, patch, prerelease] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: prerelease ? prerelease.split(".") : [],
    text: `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ""}`,
  };
}

/** -1, 0 or 1: the semver precedence of `version` against a `release` (no pre-release part; build metadata ignored). */
function compareToRelease(version, release) {
  for (const part of ["major", "minor", "patch"])
    if (version[part] !== release[part]) return version[part] < release[part] ? -1 : 1;
  // A pre-release precedes the release of the same version (3.216.0-rc.1 < 3.216.0).
  return version.prerelease.length > 0 ? -1 : 0;
}

/** The floor of the `@pulumi/pulumi` peer range (`>=3.216.0 <4.0.0` → `3.216.0`) of a package.json object. */
function sdkFloor(manifest) {
  const range = manifest.peerDependencies?.["@pulumi/pulumi"];
  const floor = /(?:^|\s)>=\s*v?(\d+\.\d+\.\d+)(?:\s|$)/.exec(range ?? "");
  if (!floor)
    throw new Error(`peerDependencies["@pulumi/pulumi"] must have a ">=x.y.z" floor, got '${range}'`);
  return floor[1];
}

/**
 * The decision for a CLI reporting `reported` (what `pulumi version` printed) against the SDK floor `floor`:
 * `{ verdict, accepted, version, reason }`, where verdict is `older`, `equal`, `newer`, `prerelease` or
 * `unparsable`, and reason is a sentence for the user.
 */
function judgeCliVersion(reported, floor) {
  const minimum = parseVersion(floor);
  if (!minimum || minimum.prerelease.length > 0)
    throw new Error(`the SDK floor must be a release, got '${floor}'`);
  const shown = String(reported ?? "").trim();
  const version = parseVersion(shown);
  if (!version) {
    return {
      verdict: "unparsable",
      accepted: false,
      version: undefined,
      reason: `it reports '${shown}', which is not a version (the Automation API needs a semantic version)`,
    };
  }
  const order = compareToRelease(version, minimum);
  if (order < 0) {
    return {
      verdict: "older",
      accepted: false,
      version: version.text,
      reason: `it is ${version.text}, older than ${floor}, the lowest @pulumi/pulumi this project supports`,
    };
  }
  if (version.prerelease.length > 0) {
    return {
      verdict: "prerelease",
      accepted: true,
      version: version.text,
      reason: `it is ${version.text}, a pre-release at or above the SDK floor ${floor}`,
    };
  }
  return order === 0
    ? {
        verdict: "equal",
        accepted: true,
        version: version.text,
        reason: `it is ${version.text}, the SDK floor`,
      }
    : {
        verdict: "newer",
        accepted: true,
        version: version.text,
        reason: `it is ${version.text}, at or above the SDK floor ${floor}`,
      };
}

module.exports = { parseVersion, sdkFloor, judgeCliVersion };
