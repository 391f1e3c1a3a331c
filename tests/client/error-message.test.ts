import { extractImmutaMessage, htmlToText, kindOfStatus } from "../../provider/client/error-message";
import { SecretScrubber } from "../../provider/client/redact";

describe("extractImmutaMessage", () => {
  test.each([
    [
      "Boom envelope",
      '{"statusCode":404,"error":"Not Found","message":"Data source 4 not found"}',
      "Data source 4 not found",
    ],
    [
      "Boom with validation details",
      '{"statusCode":400,"error":"Bad Request","message":"bad","validation":{"keys":["x"]}}',
      "bad",
    ],
    ["JSON without message falls back to error", '{"error":"Conflict"}', "Conflict"],
    ["blank message falls back to error", '{"message":"  ","error":"Forbidden"}', "Forbidden"],
    ["a JSON string", '"plain words"', "plain words"],
    ["other JSON is quoted compactly", '{ "errors": [ { "code": 7 } ] }', '{ "errors": [ { "code": 7 } ] }'],
    ["plain text", "upstream connect error\n  or disconnect", "upstream connect error or disconnect"],
    [
      "HTML",
      "<html><style>p{}</style><script>alert(1)</script><p>Bad &amp; gateway</p><!-- hidden --></html>",
      "Bad & gateway",
    ],
  ])("%s", (_title, body, expected) => {
    expect(extractImmutaMessage(body)).toBe(expected);
  });

  test.each(["", "   ", "\n"])("an empty body (%j) has no message", (body) => {
    expect(extractImmutaMessage(body)).toBeUndefined();
  });

  test("text excerpts are capped at 200 characters, messages at 1000", () => {
    expect(extractImmutaMessage("a".repeat(5_000))).toHaveLength(200);
    expect(extractImmutaMessage(JSON.stringify({ message: "m".repeat(5_000) }))).toHaveLength(1_000);
  });

  test("HTML is recognised by content type even without a leading tag", () => {
    expect(extractImmutaMessage("Service <b>down</b>", "text/html")).toBe("Service down");
  });
});

test("htmlToText drops tags, scripts, styles and comments", () => {
  expect(htmlToText("<h1>502</h1>\n<center>nginx</center>")).toBe("502 nginx");
});

test.each([
  [301, "invalid-response"],
  [400, "bad-request"],
  [405, "bad-request"],
  [410, "not-found"],
  [599, "server"],
])("status %i is kind %s", (status, kind) => {
  expect(kindOfStatus(status)).toBe(kind);
});

describe("SecretScrubber", () => {
  test("removes every occurrence of each secret, longest first", () => {
    const scrubber = new SecretScrubber(["key-123456", "Bearer-key-123456-x"]);
    expect(scrubber.scrub("a key-123456 b Bearer-key-123456-x c key-123456")).toBe(
      "a [REDACTED] b [REDACTED] c [REDACTED]",
    );
  });

  test("ignores secrets too short to search for safely", () => {
    expect(new SecretScrubber(["ab"]).scrub("about abc")).toBe("about abc");
  });
});
