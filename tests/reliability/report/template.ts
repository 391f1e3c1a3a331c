/**
 * A generated section is rendered as a template: Markdown in which the renderer marks what legitimately differs
 * from one run to the next (a duration, a count that depends on random faults, the order in which concurrent
 * requests finished). `toMarkdown` drops the marks and gives the text written to docs/reliability.md;
 * `firstMismatch` compares a committed section with the template, accepting anything in the marked spots and
 * nothing else. Marks are private-use characters, which no observed text contains.
 */

const MEASURED_START = "\uE000";
const MEASURED_END = "\uE001";
const OBSERVED_START = "\uE002";
const OBSERVED_END = "\uE003";
const UNORDERED_START = "\uE004";
const UNORDERED_SEPARATOR = "\uE005";
const UNORDERED_END = "\uE006";

/** A value that varies between runs (a duration, a count that depends on timing): any text on its line matches. */
export function measured(value: string | number): string {
  return `${MEASURED_START}${value}${MEASURED_END}`;
}

/** Every number in `text` as a measured value. */
export function measuredNumbers(text: string): string {
  return text.replace(/\d+(?:\.\d+)?/g, (number) => measured(number));
}

/**
 * Whole lines that record one run of a random process (e.g. how many runs a chaos phase needed): any number of
 * lines matches, up to the line that matches what follows the block.
 */
export function observed(lines: string): string {
  return `${OBSERVED_START}${lines}${OBSERVED_END}`;
}

/** Items in the order this run saw them, where the order varies between runs: the same items in any order match. */
export function unordered(items: string[], separator: string): string {
  return `${UNORDERED_START}${separator}${UNORDERED_SEPARATOR}${items.join(separator)}${UNORDERED_END}`;
}

/** The Markdown a template stands for: the text of this run, marks removed. */
export function toMarkdown(template: string): string {
  return template
    .replace(new RegExp(`${UNORDERED_START}[^${UNORDERED_SEPARATOR}]*${UNORDERED_SEPARATOR}`, "g"), "")
    .replace(
      new RegExp(`[${MEASURED_START}${MEASURED_END}${OBSERVED_START}${OBSERVED_END}${UNORDERED_END}]`, "g"),
      "",
    );
}

export interface Mismatch {
  /** 0-based line of the committed text where the first difference is. */
  line: number;
  /** What this run produced there (Markdown), or undefined when the committed text has a line too many. */
  expected?: string;
  /** What the committed text has there, or undefined when it ends too early. */
  found?: string;
}

/** The first line where `committed` differs from the template beyond its marked spots; undefined if it matches. */
export function firstMismatch(template: string, committed: string): Mismatch | undefined {
  const expected = templateLines(template);
  const found = committed.split("\n");
  let at = 0;
  for (let index = 0; index < expected.length; index++) {
    const line = expected[index];
    if (line === OBSERVED_BLOCK) {
      // Consumes committed lines up to the one that matches the next template line (or all, at the end).
      const next = expected[index + 1];
      while (at < found.length && (next === undefined || !lineMatches(next, found[at]))) at++;
      continue;
    }
    if (at >= found.length) return { line: at, expected: toMarkdown(line) };
    if (!lineMatches(line, found[at])) return { line: at, expected: toMarkdown(line), found: found[at] };
    at++;
  }
  return at < found.length ? { line: at, found: found[at] } : undefined;
}

/** Stands for an observed block once the template is split into lines. */
const OBSERVED_BLOCK = OBSERVED_START;

function templateLines(template: string): string[] {
  const blocks = new RegExp(`\\n?${OBSERVED_START}[^${OBSERVED_END}]*${OBSERVED_END}`, "g");
  return template.replace(blocks, `\n${OBSERVED_BLOCK}`).split("\n");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface LineMatcher {
  pattern: RegExp;
  /** For each capture group: the items it must hold, in any order, and their separator. */
  unorderedGroups: { items: string[]; separator: string }[];
}

const matchers = new Map<string, LineMatcher>();

/** Matching is per line, so that a difference in one line cannot send a regular expression backtracking through the whole section. */
function lineMatches(templateLine: string, text: string): boolean {
  let matcher = matchers.get(templateLine);
  if (!matcher) {
    matcher = compileLine(templateLine);
    matchers.set(templateLine, matcher);
  }
  const match = matcher.pattern.exec(text);
  if (!match) return false;
  return matcher.unorderedGroups.every(({ items, separator }, index) => {
    const got = match[index + 1].split(separator).sort();
    const want = [...items].sort();
    return got.length === want.length && got.every((item, position) => item === want[position]);
  });
}

function compileLine(templateLine: string): LineMatcher {
  const token = new RegExp(
    `${MEASURED_START}[^${MEASURED_END}]*${MEASURED_END}|` +
      `${UNORDERED_START}([^${UNORDERED_SEPARATOR}]*)${UNORDERED_SEPARATOR}([^${UNORDERED_END}]*)${UNORDERED_END}`,
    "g",
  );
  const unorderedGroups: LineMatcher["unorderedGroups"] = [];
  let source = "";
  let last = 0;
  for (const match of templateLine.matchAll(token)) {
    source += escapeRegExp(templateLine.slice(last, match.index));
    if (match[1] === undefined) {
      source += ".*?";
    } else {
      source += "(.*?)";
      unorderedGroups.push({ separator: match[1], items: match[2] === "" ? [] : match[2].split(match[1]) });
    }
    last = match.index + match[0].length;
  }
  source += escapeRegExp(templateLine.slice(last));
  return { pattern: new RegExp(`^${source}$`), unorderedGroups };
}
