/**
 * What both CLIs (gitops, doctor) read the same way from their arguments: the stack options, and whole numbers
 * and ids, each refused with the option named. Arguments are parsed with node's `parseArgs`.
 */
import type { StackLocation } from "./stack";

/** `--stack`, `--cwd` and `--pulumi-root`, as `parseArgs` options. */
export const STACK_OPTIONS = {
  stack: { type: "string", short: "s" },
  cwd: { type: "string", short: "C" },
  "pulumi-root": { type: "string" },
} as const;

interface StackValues {
  stack?: string;
  cwd?: string;
  "pulumi-root"?: string;
}

/** The stack the options name (the program directory defaults to the working directory). */
export function stackLocationOf(values: StackValues & { stack: string }): StackLocation {
  return {
    stackName: values.stack,
    workDir: values.cwd ?? ".",
    ...(values["pulumi-root"] === undefined ? {} : { pulumiRoot: values["pulumi-root"] }),
  };
}

/** A whole number of at least `min` given as `name`, or the message refusing it. */
export function wholeNumber(name: string, text: string, min: number, unit = ""): number | { error: string } {
  const value = text.trim();
  if (!/^\d{1,15}$/.test(value) || Number(value) < min)
    return { error: `${name} must be a whole number${unit} >= ${min}, got "${text}"` };
  return Number(value);
}

/** Every value of a repeatable id option (`--integration 3 --integration 7`), or the message refusing one. */
export function ids(option: string, texts: readonly string[] | undefined): number[] | { error: string } {
  const parsed: number[] = [];
  for (const text of texts ?? []) {
    const id = wholeNumber(`--${option}`, text, 1);
    if (typeof id !== "number") return id;
    parsed.push(id);
  }
  return parsed;
}
