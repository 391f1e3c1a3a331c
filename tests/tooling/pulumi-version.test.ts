/**
 * The version rule of scripts/provision-pulumi.js: which Pulumi CLI the project runs, judged from what `pulumi
 * version` prints against the floor of the `@pulumi/pulumi` peer range.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { anyInstanceOf } from "../helpers/matchers";

interface Decision {
  verdict: "older" | "equal" | "newer" | "prerelease" | "unparsable";
  accepted: boolean;
  version?: string;
  reason: string;
}
const { judgeCliVersion, sdkFloor } = createRequire(__filename)("../../scripts/lib/pulumi-version.js") as {
  judgeCliVersion: (reported: string, floor: string) => Decision;
  sdkFloor: (manifest: unknown) => string;
};

const FLOOR = "3.216.0";

describe("a CLI reporting", () => {
  it.each([
    [
      "v3.215.9",
      "older",
      false,
      "it is 3.215.9, older than 3.216.0, the lowest @pulumi/pulumi this project supports",
    ],
    [
      "v2.999.0",
      "older",
      false,
      "it is 2.999.0, older than 3.216.0, the lowest @pulumi/pulumi this project supports",
    ],
    ["v3.216.0", "equal", true, "it is 3.216.0, the SDK floor"],
    ["3.248.0", "newer", true, "it is 3.248.0, at or above the SDK floor 3.216.0"],
    ["v3.260.0", "newer", true, "it is 3.260.0, at or above the SDK floor 3.216.0"],
    ["v4.0.0", "newer", true, "it is 4.0.0, at or above the SDK floor 3.216.0"],
    ["v3.260.0+dirty", "newer", true, "it is 3.260.0, at or above the SDK floor 3.216.0"],
  ])("%s is %s (accepted: %s)", (reported, verdict, accepted, reason) => {
    expect(judgeCliVersion(reported, FLOOR)).toEqual({
      verdict,
      accepted,
      version: anyInstanceOf(String),
      reason,
    });
  });

  it("a pre-release above the floor is accepted, and said to be one", () => {
    expect(judgeCliVersion("v3.250.0-alpha.1719000000", FLOOR)).toEqual({
      verdict: "prerelease",
      accepted: true,
      version: "3.250.0-alpha.1719000000",
      reason: "it is 3.250.0-alpha.1719000000, a pre-release at or above the SDK floor 3.216.0",
    });
  });

  it("a pre-release of the floor itself precedes the floor's release, so it is older", () => {
    expect(judgeCliVersion("v3.216.0-rc.1", FLOOR)).toMatchObject({ verdict: "older", accepted: false });
  });

  it.each([
    [""],
    ["unknown"],
    ["v3.248"],
    ["3.248.0.1"],
    ["pulumi version v3.248.0"],
    ["warning: update available"],
  ])("%j is unparsable and refused, quoting what it printed", (reported) => {
    expect(judgeCliVersion(reported, FLOOR)).toEqual({
      verdict: "unparsable",
      accepted: false,
      version: undefined,
      reason: `it reports '${reported}', which is not a version (the Automation API needs a semantic version)`,
    });
  });
});

describe("the floor", () => {
  it("is the lower bound of package.json's @pulumi/pulumi peer range", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
    };
    expect(manifest.peerDependencies["@pulumi/pulumi"]).toBe(`>=${sdkFloor(manifest)} <4.0.0`);
    expect(sdkFloor({ peerDependencies: { "@pulumi/pulumi": ">=3.230.1 <4.0.0" } })).toBe("3.230.1");
  });

  it("must exist: a range without one is an error, not 'any version'", () => {
    expect(() => sdkFloor({ peerDependencies: { "@pulumi/pulumi": "^3.0.0" } })).toThrow(
      /must have a ">=x.y.z" floor/,
    );
  });
});
