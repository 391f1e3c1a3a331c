/**
 * A catalogue file parsed with its source positions (YAML, or JSON through the same parser), so that every problem
 * can name the line and column of the value that causes it.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { CatalogueProblem } from "./problems";

export type PathSegment = string | number;

/** Where a problem points: at a value, or at the key that names it (unknown or invalid keys). */
export type PositionTarget = "value" | "key";

export interface CatalogueText {
  /** The parsed document as plain data; undefined when the text has syntax errors. */
  value: unknown;
  /** Syntax errors, each with its position. */
  syntaxProblems: CatalogueProblem[];
  /** Line and column of the value (or key) at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PathSegment[], target?: PositionTarget): { line: number; column: number } | undefined;
}

interface Located {
  key?: YamlNode;
  value?: YamlNode | null;
}

/** Parses YAML (or JSON, which the YAML parser reads too; `.json` files must also be strict JSON). */
export function parseCatalogueText(text: string, file: string): CatalogueText {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntaxProblems: CatalogueProblem[] = document.errors.map((error) => ({
    file,
    ...position(error.pos[0]),
    path: "(syntax)",
    message: error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim(),
  }));
  if (syntaxProblems.length === 0 && /\.json$/i.test(file)) {
    // The YAML parser forgives what JSON forbids (comments, trailing commas); a .json file must be JSON.
    try {
      JSON.parse(source);
    } catch (error) {
      const message = (error as Error).message;
      const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
      syntaxProblems.push({
        file,
        ...position(offset),
        path: "(syntax)",
        message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
      });
    }
  }

  const find = (path: readonly PathSegment[]): Located[] => {
    const trail: Located[] = [{ value: document.contents }];
    let node: unknown = document.contents;
    for (const segment of path) {
      let next: Located | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair) next = { key: pair.key as YamlNode, value: pair.value as YamlNode | null };
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item) next = { value: item as YamlNode };
      }
      if (!next) break;
      trail.push(next);
      node = next.value;
    }
    return trail;
  };

  return {
    value: syntaxProblems.length === 0 ? document.toJS() : undefined,
    syntaxProblems,
    locate(path, target = "value") {
      const trail = find(path);
      const found = trail.length === path.length + 1;
      const last = trail[trail.length - 1];
      const hasValue = (node: YamlNode | null | undefined): node is YamlNode =>
        !!node?.range && !(isScalar(node) && node.value === null && node.source === "");
      let node: YamlNode | undefined;
      if (found && target === "key") node = last.key ?? (hasValue(last.value) ? last.value : undefined);
      else node = hasValue(last.value) ? last.value : last.key;
      // A missing property is reported at the key of the mapping that lacks it.
      if (!found) node = last.key ?? (hasValue(last.value) ? last.value : undefined);
      if (!node?.range) return source.length === 0 ? { line: 1, column: 1 } : position(0);
      return position(node.range[0]);
    },
  };
}
