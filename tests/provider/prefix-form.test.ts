/**
 * Users declare absolute `s3://bucket/key` prefixes; Immuta documents them relative to the integration's
 * awsLocationPath on the wire and may answer either form. These conversions decide what is sent and how what comes
 * back compares: no false drift, no perpetual diff.
 */
import {
  canonicalLocation,
  canonicalReportedPrefix,
  relativeTo,
  samePrefix,
} from "../../provider/core/s3-naming";

const LOCATIONS = ["s3://", "s3://acme/", "s3://acme/team/"] as const;

describe("the relative wire form", () => {
  it.each([
    ["s3://", "s3://research-data-source", "research-data-source"],
    ["s3://", "s3://acme/team/q1", "acme/team/q1"],
    ["s3://acme/", "s3://acme/team/q1", "team/q1"],
    ["s3://acme/", "s3://acme", ""],
    ["s3://acme/team/", "s3://acme/team/finance/q1", "finance/q1"],
    ["s3://acme/team", "s3://acme/team", ""],
  ])("under %s, %s is sent as %p", (location, prefix, wire) => {
    expect(relativeTo(prefix, location)).toBe(wire);
    // and reading the wire form back gives the declaration again
    expect(canonicalReportedPrefix(wire, location)).toBe(prefix);
  });

  it.each([
    ["s3://acme/team/", "s3://acme/teamx/q1"],
    ["s3://acme/team/", "s3://acme"],
    ["s3://acme/", "s3://other/raw"],
  ])("under %s, %s is outside the location", (location, prefix) => {
    expect(relativeTo(prefix, location)).toBeUndefined();
  });
});

describe("reading back either form compares canonically", () => {
  const declared = "s3://acme/team/finance";
  it.each(LOCATIONS)(
    "under %s, the relative and the absolute answer both equal the declaration",
    (location) => {
      const relative = relativeTo(declared, location)!;
      for (const answer of [relative, `${relative}/`, declared, `S3://acme//team/finance/`]) {
        expect(samePrefix(answer, declared, location)).toBe(true);
        expect(canonicalReportedPrefix(answer, location)).toBe(declared);
      }
    },
  );

  it("a prefix that moved is not the same", () => {
    expect(samePrefix("finance-2", "s3://acme/team/finance", "s3://acme/team/")).toBe(false);
    expect(canonicalReportedPrefix("finance-2", "s3://acme/team/")).toBe("s3://acme/team/finance-2");
  });

  it("locations are canonical: the root keeps its slashes, others lose their trailing one", () => {
    expect(LOCATIONS.map(canonicalLocation)).toEqual(["s3://", "s3://acme", "s3://acme/team"]);
    expect(canonicalLocation("S3:///")).toBe("s3://");
  });
});
