/** Markdown primitives for the generated sections of docs/reliability.md. */

/** A Markdown table; cells are escaped so that `|` and line breaks cannot break the layout. */
export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  return [tableRow(headers), tableRow(headers.map(() => "---")), ...rows.map(tableRow)].join("\n");
}

export function tableRow(cells: (string | number)[]): string {
  const cell = (value: string | number) => String(value).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  return `| ${cells.map(cell).join(" | ")} |`;
}

/** Inline code for a table cell, with backticks inside the value kept harmless. */
export function code(value: string): string {
  return value.includes("`") ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** A value shortened for a table cell: `head…tail (N characters)`. */
export function excerpt(value: string, max = 140): string {
  if (value.length <= max) return value;
  const head = Math.ceil((max - 1) * 0.7);
  return `${value.slice(0, head)}…${value.slice(value.length - (max - 1 - head))} (${value.length} characters)`;
}

/** The start of a long text: `start…`. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A message on one line, for a table cell. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
