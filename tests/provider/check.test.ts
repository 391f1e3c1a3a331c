import { checkInputs, withDefaults, withoutDefaults } from "../../provider/core/inputs";
import { UNKNOWN_VALUE } from "../../provider/core/constants";
import { textMatching } from "../helpers/matchers";

const valid = { integrationId: 1, prefix: "s3://acme-research/raw", dataSourceName: "research" };

function failuresOf(inputs: Record<string, unknown>) {
  return checkInputs(inputs).failures;
}

describe("check: valid declarations", () => {
  it("accepts a declaration and leaves the defaults out of what the engine stores", () => {
    const { inputs, failures } = checkInputs({ ...valid, __provider: "ref" });
    expect(failures).toEqual([]);
    expect(inputs).toEqual(valid);
    expect(withDefaults(inputs)).toEqual({ ...valid, tenant: "default", disabled: false });
  });

  it("writes a default where the previous inputs held another value, so that preview shows old => default", () => {
    const olds = { ...valid, tenant: "staging", disabled: true };
    const { inputs } = checkInputs(valid, olds);
    expect(inputs).toEqual({ ...valid, tenant: "default", disabled: false });
    // Previous inputs that held the default, or nothing, leave it out.
    expect(checkInputs(valid, { ...valid, tenant: "default" }).inputs).toEqual(valid);
    expect(checkInputs(valid, {}).inputs).toEqual(valid);
  });

  it("keeps a declared value equal to its default as declared", () => {
    expect(checkInputs({ ...valid, tenant: "default" }).inputs).toEqual({ ...valid, tenant: "default" });
  });

  it.each([
    ["s3://acme-research/raw/", "s3://acme-research/raw"],
    ["S3://acme-research/raw", "s3://acme-research/raw"],
    ["s3://acme-research", "s3://acme-research"],
    ["s3://acme-research/", "s3://acme-research"],
    ["s3://acme.research-2/a/b/c.parquet", "s3://acme.research-2/a/b/c.parquet"],
  ])("canonicalises the prefix %s to %s", (prefix, canonical) => {
    const { inputs, failures } = checkInputs({ ...valid, prefix });
    expect(failures).toEqual([]);
    expect(inputs.prefix).toBe(canonical);
  });

  it("lets preview's unknown values through without failures", () => {
    const { inputs, failures } = checkInputs({
      integrationId: UNKNOWN_VALUE,
      prefix: UNKNOWN_VALUE,
      dataSourceName: UNKNOWN_VALUE,
    });
    expect(failures).toEqual([]);
    expect(inputs.prefix).toBe(UNKNOWN_VALUE);
  });

  it("still validates the known properties next to unknown ones", () => {
    expect(failuresOf({ integrationId: UNKNOWN_VALUE, prefix: "http://x", dataSourceName: "ok" })).toEqual([
      expect.objectContaining({ property: "prefix" }),
    ]);
  });
});

describe("check: every failure is named by its property", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["missing integrationId", { prefix: valid.prefix, dataSourceName: "n" }, "integrationId", /required/],
    ["missing prefix", { integrationId: 1, dataSourceName: "n" }, "prefix", /required/],
    ["missing name", { integrationId: 1, prefix: valid.prefix }, "dataSourceName", /required/],
    ["string integrationId", { ...valid, integrationId: "1" }, "integrationId", /positive whole number/],
    ["zero integrationId", { ...valid, integrationId: 0 }, "integrationId", /positive whole number/],
    ["negative integrationId", { ...valid, integrationId: -3 }, "integrationId", /positive whole number/],
    ["fractional integrationId", { ...valid, integrationId: 1.5 }, "integrationId", /positive whole number/],
    ["empty name", { ...valid, dataSourceName: "" }, "dataSourceName", /non-empty/],
    ["huge name", { ...valid, dataSourceName: "n".repeat(256) }, "dataSourceName", /at most 255/],
    ["name with a control character", { ...valid, dataSourceName: "a\u0007b" }, "dataSourceName", /U\+0007/],
    [
      "name with a zero-width space",
      { ...valid, dataSourceName: "re\u200bsearch" },
      "dataSourceName",
      /U\+200B/,
    ],
    ["name with bidi override", { ...valid, dataSourceName: "abc\u202edef" }, "dataSourceName", /U\+202E/],
    ["name with trailing space", { ...valid, dataSourceName: "research " }, "dataSourceName", /white space/],
    ["non-s3 scheme", { ...valid, prefix: "gs://bucket/a" }, "prefix", /must be an S3 URI/],
    ["no scheme", { ...valid, prefix: "bucket/a" }, "prefix", /must be an S3 URI/],
    ["empty prefix", { ...valid, prefix: "" }, "prefix", /non-empty/],
    ["no bucket", { ...valid, prefix: "s3:///a" }, "prefix", /no bucket/],
    ["upper-case bucket", { ...valid, prefix: "s3://Acme/a" }, "prefix", /lower-case/],
    ["short bucket", { ...valid, prefix: "s3://ab" }, "prefix", /3 to 63/],
    ["IP bucket", { ...valid, prefix: "s3://192.168.1.1/a" }, "prefix", /IP address/],
    ["doubled slash", { ...valid, prefix: "s3://bucket//a" }, "prefix", /\/\//],
    ["dot-dot segment", { ...valid, prefix: "s3://bucket/a/../b" }, "prefix", /'\.\.'/],
    ["look-alike bucket", { ...valid, prefix: "s3://bucкet/a" }, "prefix", /lower-case/],
    ["zero-width in key", { ...valid, prefix: "s3://bucket/a\u200bb" }, "prefix", /U\+200B/],
    ["newline in key", { ...valid, prefix: "s3://bucket/a\nb" }, "prefix", /U\+000A/],
    ["huge key", { ...valid, prefix: `s3://bucket/${"k".repeat(1100)}` }, "prefix", /1024 bytes/],
    ["unknown field", { ...valid, prefx: "s3://bucket" }, "prefx", /not a property/],
    ["bad tenant", { ...valid, tenant: "prod tenant" }, "tenant", /configured tenant/],
    ["disabled true", { ...valid, disabled: true }, "disabled", /must be false/],
    ["empty adopt", { ...valid, adopt: {} }, "adopt", /byName/],
    ["adopt both ways", { ...valid, adopt: { dataSourceId: 3, byName: true } }, "adopt", /not both/],
    [
      "adopt id not integer",
      { ...valid, adopt: { dataSourceId: "3" } },
      "adopt.dataSourceId",
      /positive whole/,
    ],
  ];

  it.each(cases)("%s", (_label, inputs, property, reason) => {
    const failures = failuresOf(inputs);
    expect(failures).toContainEqual({ property, reason: textMatching(reason) });
  });

  it("reports every failure at once", () => {
    const failures = failuresOf({ integrationId: 0, prefix: "ftp://x", dataSourceName: "" });
    expect(failures.map((f) => f.property).sort()).toEqual(["dataSourceName", "integrationId", "prefix"]);
  });
});

describe("stored inputs", () => {
  it("withoutDefaults leaves out exactly the values equal to their default, and withDefaults restores them", () => {
    const full = { ...valid, tenant: "default", disabled: false };
    expect(withoutDefaults(full)).toEqual(valid);
    expect(withDefaults(withoutDefaults(full))).toEqual(full);
    const other = { ...valid, tenant: "staging", disabled: true };
    expect(withoutDefaults(other)).toEqual(other);
  });
});
