/**
 * `--merge`: adds to an existing catalogue only the sources it lacks. Reviewed entries are never rewritten: new
 * integrations and sources are inserted as text after the last entry of their mapping, so every existing byte
 * (comments, order, quoting, blank lines) stays where it was.
 */
import * as path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { DEFAULT_TENANT } from "../../provider/api";
import { parseCatalogue } from "../../sdk/typescript/catalogue/load";
import { CatalogueError, formatProblem } from "../../sdk/typescript/catalogue/problems";
import type { Catalogue } from "../../sdk/typescript/catalogue/types";
import { jsonIntegration, jsonSource } from "./render-json";
import { yamlIntegrationLines, yamlSourceLines, type YamlLayout } from "./render-yaml";
import type { ExistingKeys } from "./plan";
import type { DeclaredSources } from "./selection";
import type { ExportPlan, TenantSource } from "./types";

export interface ExistingCatalogue {
  /** The file as the user named it. */
  file: string;
  text: string;
  catalogue: Catalogue;
}

/** Reads and validates the catalogue to merge into: an invalid one is reported, never patched. */
export function parseExistingCatalogue(file: string, text: string): ExistingCatalogue {
  return { file, text, catalogue: parseCatalogue(text, file) };
}

const tenantOf = (tenant: string | undefined): string => tenant ?? DEFAULT_TENANT;

export function existingKeys(existing: ExistingCatalogue, tenant: string): ExistingKeys {
  const { document, sources } = existing.catalogue;
  const integrationKeyOf = new Map<number, string>();
  for (const [key, integration] of Object.entries(document.integrations)) {
    if (tenantOf(integration.tenant) === tenant && !integrationKeyOf.has(integration.integrationId)) {
      integrationKeyOf.set(integration.integrationId, key);
    }
  }
  return {
    integrationKeys: new Set(Object.keys(document.integrations)),
    sourceKeys: new Set(sources.flatMap((source) => [source.key, ...source.previousKeys])),
    integrationKeyOf,
  };
}

/** A source counts as declared when an entry of the same tenant adopts its id, or has its prefix or its name. */
export function declaredSources(existing: ExistingCatalogue, tenant: string): DeclaredSources {
  const entries = existing.catalogue.sources.filter((source) => tenantOf(source.tenant) === tenant);
  return {
    declares(source: TenantSource) {
      for (const entry of entries) {
        if (entry.adopt?.dataSourceId === source.dataSourceId)
          return `sources.${entry.key} adopts id ${source.dataSourceId}`;
        if (entry.canonicalPrefix === source.prefix) return `sources.${entry.key} has its prefix`;
        if (entry.dataSourceName === source.dataSourceName) return `sources.${entry.key} has its name`;
      }
      return undefined;
    },
  };
}

interface Insertion {
  start: number;
  end: number;
  text: string;
}

const isJsonFile = (file: string): boolean => path.extname(file).toLowerCase() === ".json";

/** Leading white space of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** True when only white space precedes `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === "";
}

/** `JSON.stringify` with `unit` indentation, every line after the first shifted by `indent`. */
function jsonEntry(key: string, value: unknown, indent: string, unit: string, multiline: boolean): string {
  if (!multiline) return `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  return `${JSON.stringify(key)}: ${JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`)}`;
}

/** A top-level mapping of the catalogue (`integrations` or `sources`), located in the text. */
interface Section {
  map: YAMLMap;
  /** Offsets of the mapping's start and end (after its last entry, or after `}`). */
  start: number;
  end: number;
  /** Offset of the section's own key (`sources:`). */
  keyStart: number;
}

/** Start offset of a node the parser located, if it did. */
function startOf(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}

function endOf(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[1];
}

function insertion(
  text: string,
  lines: LineCounter,
  json: boolean,
  { map, start, end, keyStart }: Section,
  yamlLines: (layout: YamlLayout) => string[],
  jsonEntries: [string, unknown][],
): Insertion {
  const keyIndent = lineIndent(text, keyStart);
  const firstKey = startOf(map.items[0]?.key);

  if (!map.flow) {
    // A block mapping: append lines after its last entry, laid out like the entries already there.
    const indent = firstKey === undefined ? `${keyIndent}  ` : " ".repeat(lines.linePos(firstKey).col - 1);
    const firstValue = map.items[0]?.value;
    const firstField = isMap(firstValue) && !firstValue.flow ? startOf(firstValue.items[0]?.key) : undefined;
    const fieldColumn = firstField === undefined ? -1 : lines.linePos(firstField).col - 1;
    const unit = fieldColumn > indent.length ? " ".repeat(fieldColumn - indent.length) : "  ";
    const added = yamlLines({ indent, unit }).join("\n");
    return text[end - 1] === "\n"
      ? { start: end, end, text: `${added}\n` }
      : { start: end, end, text: `\n${added}` };
  }

  if (map.items.length === 0 && !json) {
    // `sources: {}` in YAML: becomes a block mapping.
    const added = yamlLines({ indent: `${keyIndent}  `, unit: "  " }).join("\n");
    return { start, end, text: `\n${added}` };
  }
  if (map.items.length === 0) {
    const indent = `${lineIndent(text, start)}  `;
    const body = jsonEntries.map(([key, value]) => `${indent}${jsonEntry(key, value, indent, "  ", true)}`);
    return { start, end, text: `{\n${body.join(",\n")}\n${lineIndent(text, start)}}` };
  }
  // A flow mapping with entries (JSON, or YAML in flow style): JSON is valid in both.
  const lastEnd = endOf(map.items[map.items.length - 1].value) ?? end - 1;
  if (firstKey === undefined || !startsLine(text, firstKey)) {
    const body = jsonEntries.map(([key, value]) => jsonEntry(key, value, "", "", false));
    return { start: lastEnd, end: lastEnd, text: `, ${body.join(", ")}` };
  }
  const indent = lineIndent(text, firstKey);
  const unit = indent.length > keyIndent.length ? indent.slice(keyIndent.length) : "  ";
  const body = jsonEntries.map(([key, value]) => `${indent}${jsonEntry(key, value, indent, unit, true)}`);
  return { start: lastEnd, end: lastEnd, text: `,\n${body.join(",\n")}` };
}

/** The existing catalogue's text with the plan's integrations and sources appended to their mappings. */
export function mergeIntoCatalogue(existing: ExistingCatalogue, plan: ExportPlan): string {
  if (plan.integrations.length === 0 && plan.entries.length === 0) return existing.text;
  const { text, file } = existing;
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const root = document.contents;
  if (!isMap(root)) throw new Error(`${file}: the catalogue is not a mapping`);
  const section = (name: string): Section => {
    const pair = root.items.find((item) => isScalar(item.key) && item.key.value === name);
    const map = pair?.value;
    const keyStart = startOf(pair?.key);
    if (!isMap(map) || !map.range || keyStart === undefined) {
      throw new Error(`${file}: no ${name} mapping to merge into`);
    }
    return { map, start: map.range[0], end: map.range[1], keyStart };
  };
  const json = isJsonFile(file);
  const insertions: Insertion[] = [];
  if (plan.integrations.length > 0) {
    insertions.push(
      insertion(
        text,
        lines,
        json,
        section("integrations"),
        (layout) => yamlIntegrationLines(plan.integrations, layout),
        plan.integrations.map((integration) => [integration.key, jsonIntegration(integration)]),
      ),
    );
  }
  if (plan.entries.length > 0) {
    insertions.push(
      insertion(
        text,
        lines,
        json,
        section("sources"),
        (layout) => yamlSourceLines(plan.entries, layout),
        plan.entries.map((entry) => [entry.key, jsonSource(entry)]),
      ),
    );
  }
  let merged = text;
  for (const { start, end, text: added } of insertions.sort((a, b) => b.start - a.start)) {
    merged = merged.slice(0, start) + added + merged.slice(end);
  }
  // What was appended must be exactly as valid as a fresh export: never hand back a catalogue `up` would refuse.
  try {
    parseCatalogue(merged, file);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    throw new Error(
      `internal error: merging into ${file} produced an invalid catalogue; nothing was written:\n` +
        error.problems.map((problem) => `  ${formatProblem(problem)}`).join("\n"),
    );
  }
  return merged;
}
