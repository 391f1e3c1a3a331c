/**
 * The staleness check of docs/reliability.md's generated sections: it must ignore exactly what a renderer marks as
 * varying between runs, and report the first other difference.
 */
import { markdownTable } from "./markdown";
import { firstMismatch, measured, measuredNumbers, observed, toMarkdown, unordered } from "./template";

const template = [
  `Total ${measured("61.9 s")}; ${measuredNumbers("9 of 100")} ambiguous.`,
  "",
  "| Phase | Run |",
  "| --- | --- |",
  observed("| up | 1 |\n| up | 2 |"),
  "",
  markdownTable(["Received"], [[unordered(["GET /a 200", "GET /b 429", "GET /a 200 held"], " → ")]]),
].join("\n");

const committed = toMarkdown(template);

it("renders the marked values as they are, without the marks", () => {
  expect(committed).toBe(
    [
      "Total 61.9 s; 9 of 100 ambiguous.",
      "",
      "| Phase | Run |",
      "| --- | --- |",
      "| up | 1 |",
      "| up | 2 |",
      "",
      "| Received |",
      "| --- |",
      "| GET /a 200 → GET /b 429 → GET /a 200 held |",
    ].join("\n"),
  );
  expect(firstMismatch(template, committed)).toBeUndefined();
});

it("accepts other measured values, other observed lines and another order of unordered items", () => {
  const otherRun = [
    "Total 70.2 s; 12 of 131 ambiguous.",
    "",
    "| Phase | Run |",
    "| --- | --- |",
    "| up | 1 |",
    "| up | 2 |",
    "| up | 3 |",
    "",
    "| Received |",
    "| --- |",
    "| GET /b 429 → GET /a 200 held → GET /a 200 |",
  ].join("\n");
  expect(firstMismatch(template, otherRun)).toBeUndefined();
  expect(
    firstMismatch(template, otherRun.replace("| up | 3 |\n", "").replace("| up | 2 |\n", "")),
  ).toBeUndefined();
});

it("reports the first line that differs outside the marked values, with both versions", () => {
  expect(firstMismatch(template, committed.replace("ambiguous", "adopted"))).toEqual({
    line: 0,
    expected: "Total 61.9 s; 9 of 100 ambiguous.",
    found: "Total 61.9 s; 9 of 100 adopted.",
  });
  expect(firstMismatch(template, committed.replace("| Received |", "| Requests |"))).toMatchObject({
    line: 7,
    found: "| Requests |",
  });
});

it("refuses unordered items that are not the same items", () => {
  expect(firstMismatch(template, committed.replace(" → GET /a 200 held", ""))).toMatchObject({ line: 9 });
  expect(firstMismatch(template, committed.replace("GET /b 429", "GET /b 503"))).toMatchObject({ line: 9 });
  expect(firstMismatch(template, committed.replace("held |", "held → GET /c 200 |"))).toMatchObject({
    line: 9,
  });
});

it("reports a missing or an extra line", () => {
  expect(firstMismatch(template, committed.split("\n").slice(0, -1).join("\n"))).toEqual({
    line: 9,
    expected: "| GET /a 200 → GET /b 429 → GET /a 200 held |",
  });
  expect(firstMismatch(template, `${committed}\n| extra |`)).toEqual({ line: 10, found: "| extra |" });
});
