/**
 * Where the Pulumi engine that started this process listens. The engine passes its address as the first argument
 * that is not a flag (logging flags such as `-v=9` may come first), to the dynamic-provider host and to resource
 * plugins alike.
 */

/** `127.0.0.1:45123`, `localhost:45123` or `[::1]:45123`. */
const ADDRESS = /^[\w.-]+:\d+$|^\[[0-9a-f:]+\]:\d+$/i;

/** The engine's address among a process's arguments (without the node executable and script). */
export function engineAddressIn(args: readonly string[]): string | undefined {
  const candidate = args.find((arg) => !arg.startsWith("-"));
  return candidate !== undefined && ADDRESS.test(candidate) ? candidate : undefined;
}

/**
 * The engine's address when this process is Pulumi's Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-
 * provider`), else undefined: tests and scripts that load the provider are not started by an engine.
 */
export function dynamicHostEngineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const isHost = /[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script);
  return isHost ? engineAddressIn(argv.slice(2)) : undefined;
}
