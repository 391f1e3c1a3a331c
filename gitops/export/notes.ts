/** The words the output carries for its reviewers, the same in every format. */
import type { ExportEntry } from "./types";

/** Where editors with the YAML language server find the schema, relative to a program that installed the package. */
export const SCHEMA_REFERENCE = "./node_modules/pulumi-immuta/schema/immuta-catalogue.schema.json";

/** What every output says first; a catalogue's keys are renamed with `previousKeys`, a program's with aliases. */
export function headerLines(format: "catalogue" | "program"): string[] {
  return [
    "Exported from Immuta by `pulumi-immuta-gitops export`. Each source is adopted by its Immuta id: the first",
    "`pulumi up` checks that Immuta still holds it with this prefix, integration and name, takes it over, and",
    "registers, changes or deletes nothing (a disabled source is restored). Keys are the Pulumi resource names:",
    format === "catalogue"
      ? "to rename one, keep the old key in `previousKeys`."
      : "to rename one, keep the old name in the resource's `aliases`.",
  ];
}

export function disabledNote(entry: ExportEntry): string {
  return (
    `Disabled in Immuta (id ${entry.source.dataSourceId}): the first \`pulumi up\` restores it. ` +
    "Remove this entry to leave it disabled."
  );
}

export function groupNote(integrationKey: string, integrationId: number): string {
  return `Integration ${integrationKey} (id ${integrationId})`;
}
