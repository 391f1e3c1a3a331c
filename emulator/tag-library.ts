import { MAX_TAG_NAME_LENGTH } from "./defaults";

/**
 * A tag name: dot-separated levels (`Finance.PII`), each non-empty, without control characters. The one rule every
 * place that creates a library tag applies (schemas compile the same pattern).
 */
export const TAG_NAME_PATTERN = "^[^.\\u0000-\\u001f\\u007f]+(\\.[^.\\u0000-\\u001f\\u007f]+)*$";
const TAG_NAME = new RegExp(TAG_NAME_PATTERN);

export function isTagName(name: string): boolean {
  return name.length <= MAX_TAG_NAME_LENGTH && TAG_NAME.test(name);
}

/** `Finance.PII.Email` → `["Finance", "Finance.PII", "Finance.PII.Email"]`. */
export function withAncestors(name: string): string[] {
  const levels = name.split(".");
  return levels.map((_level, index) => levels.slice(0, index + 1).join("."));
}

/**
 * The tenant's tag library: the tag names that exist, each with its ancestors (a root with children is itself a
 * tag). Only a leaf, a tag without children, can be attached to a data source.
 */
// DECISION: names compare exactly (case-sensitive), as data source names do.
export class TagLibrary {
  private readonly names = new Set<string>();

  /** Throws when a name is not a tag name: a start option or a state file that cannot be served. */
  constructor(names: Iterable<string> = []) {
    for (const name of names) {
      if (!isTagName(name)) throw new Error(`"${name}" is not a tag name (dot-separated, non-empty levels)`);
      this.add([name]);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Whether the tag exists and has no children. */
  isLeaf(name: string): boolean {
    if (!this.names.has(name)) return false;
    const childPrefix = `${name}.`;
    for (const other of this.names) if (other.startsWith(childPrefix)) return false;
    return true;
  }

  /** Adds tags and their ancestors; returns the names that did not exist yet, ancestors before descendants. */
  add(names: readonly string[]): string[] {
    const created: string[] = [];
    for (const name of names) {
      for (const level of withAncestors(name)) {
        if (this.names.has(level)) continue;
        this.names.add(level);
        created.push(level);
      }
    }
    return created;
  }

  /** Removes a tag and its descendants (its ancestors stay); returns what was removed, none when it did not exist. */
  remove(name: string): string[] {
    if (!this.names.has(name)) return [];
    const childPrefix = `${name}.`;
    const removed = [...this.names].filter((other) => other === name || other.startsWith(childPrefix));
    for (const other of removed) this.names.delete(other);
    return removed.sort();
  }

  /** Replaces every tag (reset, loading the data file). */
  replace(names: Iterable<string>): void {
    this.names.clear();
    this.add([...names]);
  }

  /** Every tag, ancestors included, in name order. */
  list(): string[] {
    return [...this.names].sort();
  }
}
