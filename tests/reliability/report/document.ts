/**
 * docs/reliability.md: prose kept by hand, and generated sections between `<!-- <section>:start -->` and
 * `<!-- <section>:end -->`, which only `npm run docs` writes.
 */
import * as path from "node:path";

export const DOCUMENT_PATH = path.resolve(__dirname, "../../../docs/reliability.md");
/** How messages name the document. */
export const DOCUMENT_NAME = "docs/reliability.md";

export const startMarker = (section: string) => `<!-- ${section}:start -->`;
export const endMarker = (section: string) => `<!-- ${section}:end -->`;

/** The section's text, and the 0-based line of the document where it starts; undefined when it has no such section. */
export function findSection(
  document: string,
  section: string,
): { body: string; firstLine: number } | undefined {
  const start = document.indexOf(startMarker(section));
  const end = document.indexOf(endMarker(section));
  if (start === -1 || end === -1 || end < start) return undefined;
  const bodyStart = start + startMarker(section).length + 1;
  return {
    body: document.slice(bodyStart, end).replace(/\n$/, ""),
    firstLine: document.slice(0, bodyStart).split("\n").length - 1,
  };
}

/** Replaces the section's text, or appends the section when the document does not have it yet. */
export function replaceSection(document: string, section: string, body: string): string {
  const start = startMarker(section);
  const end = endMarker(section);
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    return `${document.replace(/\s*$/, "")}\n\n${block}\n`;
  }
  return document.slice(0, from) + block + document.slice(to + end.length);
}
