/**
 * Resource properties between the engine's protobuf `Struct`s and the plain objects the provider core works on.
 *
 * The plugin tells the engine it accepts neither secrets nor resource references nor output values, so the engine
 * sends plain values (and marks outputs secret again itself); preview's unknowns arrive as the UNKNOWN_VALUE string
 * the core already understands. A special value arriving anyway is refused: passing it on would leak a secret into
 * Immuta or into state unmarked.
 */
import { UNKNOWN_VALUE } from "../core/constants";
import { ImmutaProviderError } from "../core/errors";
import { structProto, type Struct } from "./rpc-modules";

export type Properties = Record<string, unknown>;

/** The key Pulumi's wire format uses to mark a secret, a resource reference or an output value. */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

const SPECIAL_VALUES: Record<string, string> = {
  "1b47061264138c4ac30d75fd1eb44270": "a secret",
  "5cf8f73096256a8f31e491e813e4eb8e": "a resource reference",
  d0e6a833031e9bbcd3f4e8bde6ca49a4: "an output value",
};

function refuseSpecialValues(value: unknown, where: string): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => refuseSpecialValues(item, `${where}[${index}]`));
    return;
  }
  const record = value as Properties;
  if (SIGNATURE_KEY in record) {
    const kind = SPECIAL_VALUES[String(record[SIGNATURE_KEY])] ?? "a special value";
    throw new ImmutaProviderError(
      `${where} arrived as ${kind}, which pulumi-resource-immuta told the engine it does not accept; this is an ` +
        `engine or plugin version mismatch. Upgrade the Pulumi CLI and pulumi-immuta to matching releases.`,
    );
  }
  for (const [key, item] of Object.entries(record))
    refuseSpecialValues(item, where ? `${where}.${key}` : key);
}

/** A request's `Struct` as a plain object (empty when the engine sent none). */
export function fromStruct(struct: Struct | undefined, what: string): Properties {
  const properties = (struct?.toJavaScript() ?? {}) as Properties;
  for (const [key, value] of Object.entries(properties)) refuseSpecialValues(value, `${what} ${key}`);
  return properties;
}

/** A plain object as a `Struct`; `undefined` members are left out (protobuf has no undefined). */
export function toStruct(properties: object): Struct {
  const defined = JSON.parse(JSON.stringify(properties)) as Properties;
  return structProto.Struct.fromJavaScript(
    defined as Parameters<typeof structProto.Struct.fromJavaScript>[0],
  );
}

/** True when a value is preview's placeholder for something not known yet. */
export const isUnknown = (value: unknown): boolean => value === UNKNOWN_VALUE;
