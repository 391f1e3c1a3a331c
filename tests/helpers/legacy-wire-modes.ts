import type { EmulatorModes } from "../../emulator";

/**
 * The emulator modes the provider needs while it still speaks the older forms: absolute `s3://` prefixes, full search
 * hits, every source readable by every user, `hardDelete` in DELETE answers and `status: "Ready"`; its tests also
 * seed several integrations at `s3://`. Every helper that starts an emulator for the provider, end-to-end,
 * reliability or GitOps tests spreads this before its own options, so one edit here moves them all to Immuta's
 * documented behaviour (the emulator's defaults).
 */
export const LEGACY_WIRE_MODES: Readonly<Partial<EmulatorModes>> = {
  prefixForm: "absolute",
  searchHits: "full",
  visibility: "open",
  deleteResponse: "with-hard-delete",
  dataSourceStatus: "Ready",
  integrationLocations: "shared",
};
