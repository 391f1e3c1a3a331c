import { DEFAULT_MODES } from "./defaults";
import type { ChoiceModeName, EmulatorModes } from "./types";

/**
 * Every mode chosen from a list, with its accepted values (the default, in DEFAULT_MODES, listed first). The one
 * place a mode value is validated: the control API's schema, the CLI flags and their help text are built from it.
 */
export const MODE_CHOICES: { readonly [Name in ChoiceModeName]: readonly EmulatorModes[Name][] } = {
  names: ["honour", "generate"],
  handlerIds: ["separate", "same"],
  multiSourceResponse: ["array", "first"],
  blobHandler: ["present", "absent"],
  prefixForm: ["relative", "absolute", "both"],
  integrationsApi: ["served", "forbidden", "absent"],
  searchHits: ["summary", "full"],
  searchOffset: ["records", "pages"],
  visibility: ["documented", "open"],
  deleteResponse: ["documented", "with-hard-delete"],
  dataSourceStatus: ["passed", "Ready"],
  handlerIntegrationId: ["number", "string"],
  handlerLocation: ["present", "absent"],
  integrationLocations: ["unique", "shared"],
  rawApiKey: ["accepted", "refused"],
  keySegments: ["collapse", "strict"],
  unknownTags: ["reject", "ignore"],
  tagList: ["array", "wrapped"],
  currentUser: ["served", "absent"],
};

export const CHOICE_MODE_NAMES = Object.keys(MODE_CHOICES) as ChoiceModeName[];

/** The modes to start with: those given (other members are ignored), the defaults for the rest. */
export function resolveModes(given: Partial<EmulatorModes>): EmulatorModes {
  const chosen = Object.fromEntries(
    CHOICE_MODE_NAMES.filter((name) => given[name] !== undefined).map((name) => [name, given[name]]),
  ) as Partial<EmulatorModes>;
  const rateLimit = given.rateLimit === undefined ? DEFAULT_MODES.rateLimit : given.rateLimit;
  return { ...DEFAULT_MODES, ...chosen, rateLimit: rateLimit && { ...rateLimit } };
}

/** `prefixForm` → `prefix-form`: the CLI flag of a mode. */
export function flagOf(name: keyof EmulatorModes): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** `a or b`, `a, b or c`. */
export function describeChoices(values: readonly string[]): string {
  return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}
