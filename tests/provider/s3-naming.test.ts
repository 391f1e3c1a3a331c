/**
 * Amazon S3's naming rules, shared by the provider's `check`, doctor and the emulator: the emulator reads a key's
 * segments leniently (`collapse`, its default mode), declarations strictly.
 */
import { maskAccountId } from "../../emulator/data-source-name";
import { isWithinLocation, parseLocation, parseS3Uri } from "../../provider/core/s3-naming";

describe("parseS3Uri, collapsing a key's empty segments (the emulator's default)", () => {
  test.each([
    ["s3://bucket", "s3://bucket"],
    ["s3://bucket/", "s3://bucket"],
    ["S3://bucket//a///b/", "s3://bucket/a/b"],
    ["s3://my.bucket-1/Key/With Spaces", "s3://my.bucket-1/Key/With Spaces"],
    ["s3://bucket/a/./b", "s3://bucket/a/./b"],
  ])("%s is %s", (input, canonical) => {
    expect(parseS3Uri(input, "collapse")).toMatchObject({ ok: true, canonical });
  });

  test.each([
    ["s3://Bucket/a", /lower-case/],
    ["s3://", /no bucket name/],
    ["s3://ab", /3 to 63 characters/],
    ["s3://-bucket", /must begin and end with a letter or digit/],
    ["s3://bucket-", /must begin and end with a letter or digit/],
    ["s3://bu..cket", /two adjacent dots/],
    ["s3://192.168.1.1", /IP address/],
    ["s3://xn--bucket", /prefix reserved by AWS/],
    ["s3://sthree-bucket", /prefix reserved by AWS/],
    ["s3://amzn-s3-demo-bucket", /prefix reserved by AWS/],
    ["s3://bucket--ol-s3", /suffix reserved by AWS/],
    [`s3://${"a".repeat(64)}`, /3 to 63 characters/],
    ["s3://bucket/a/../b", /'\.\.'/],
    ["s3://bucket/a\u0000", /control character \(U\+0000\)/],
    ["s3:/bucket", /starting with s3:\/\//],
    ["bucket/key", /starting with s3:\/\//],
    [`s3://bucket/${"k".repeat(1200)}`, /longer than 1024 bytes/],
  ])("%s is rejected (%s)", (input, reason) => {
    const result = parseS3Uri(input, "collapse");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("parseS3Uri, strict (declarations, and the emulator's keySegments: strict)", () => {
  test.each([
    ["s3://bucket//a", /empty path segment/],
    ["s3://bucket/a/./b", /'\.' or '\.\.'/],
    ["s3://bucket/a/../b", /'\.' or '\.\.'/],
  ])("%s is rejected (%s)", (input, reason) => {
    const result = parseS3Uri(input, "strict");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test("a trailing slash is dropped, the scheme lower-cased", () => {
    expect(parseS3Uri("S3://bucket/a/b/", "strict")).toMatchObject({
      ok: true,
      canonical: "s3://bucket/a/b",
    });
  });
});

describe("locations", () => {
  test("s3:// holds every bucket; other locations hold themselves and what is below, on a / boundary", () => {
    const root = parseLocation("s3://");
    const team = parseLocation("S3://team//finance/");
    expect(root).toMatchObject({ ok: true, canonical: "s3://" });
    expect(team).toMatchObject({ ok: true, canonical: "s3://team/finance" });
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
