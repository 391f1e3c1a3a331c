import { maskAccountId } from "../../emulator/data-source-name";
import { canonicalLocationPath, isWithinLocation, parseS3Prefix } from "../../emulator/s3-prefix";

describe("parseS3Prefix", () => {
  test.each([
    ["s3://bucket", "s3://bucket"],
    ["s3://bucket/", "s3://bucket"],
    ["S3://bucket//a///b/", "s3://bucket/a/b"],
    ["s3://my.bucket-1/Key/With Spaces", "s3://my.bucket-1/Key/With Spaces"],
    ["s3://bucket/a/./b", "s3://bucket/a/./b"],
  ])("%s is %s", (input, canonical) => {
    expect(parseS3Prefix(input)).toMatchObject({ ok: true, prefix: canonical });
  });

  test.each([
    ["s3://Bucket/a", /lower-case/],
    ["s3://", /must name a bucket/],
    ["s3://ab", /not a valid S3 bucket name/],
    ["s3://-bucket", /not a valid S3 bucket name/],
    ["s3://bucket-", /not a valid S3 bucket name/],
    ["s3://bu..cket", /not a valid S3 bucket name/],
    ["s3://192.168.1.1", /not a valid S3 bucket name/],
    ["s3://xn--bucket", /not a valid S3 bucket name/],
    [`s3://${"a".repeat(64)}`, /not a valid S3 bucket name/],
    ["s3://bucket/a/../b", /'\.\.'/],
    ["s3://bucket/a\u0000", /control characters/],
    ["s3:/bucket", /must start with s3:\/\//],
    ["bucket/key", /must start with s3:\/\//],
    [`s3://bucket/${"k".repeat(1200)}`, /longer than/],
  ])("%s is rejected (%s)", (input, reason) => {
    const result = parseS3Prefix(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("locations", () => {
  test("s3:// holds every bucket; other locations hold themselves and what is below, on a / boundary", () => {
    const root = canonicalLocationPath("s3://");
    const team = canonicalLocationPath("S3://team//finance/");
    expect(root).toMatchObject({ ok: true, prefix: "s3://" });
    expect(team).toMatchObject({ ok: true, prefix: "s3://team/finance" });
    expect(isWithinLocation("s3://any-bucket/x", "s3://")).toBe(true);
    expect(isWithinLocation("s3://team/finance", "s3://team/finance")).toBe(true);
    expect(isWithinLocation("s3://team/finance/q1", "s3://team/finance")).toBe(true);
    expect(isWithinLocation("s3://team/financex", "s3://team/finance")).toBe(false);
    expect(isWithinLocation("s3://team", "s3://team/finance")).toBe(false);
  });
});

test("account ids are masked to their first 3 and last 4 characters", () => {
  expect(maskAccountId("123456789012")).toBe("123*****9012");
  expect(maskAccountId("1234567")).toBe("*******");
});
