"use strict";
/**
 * The emulator in a process of its own, so that it does not share an event loop (or a CPU slice) with the
 * benchmark driver and the raw-API floor. Options come as JSON in argv[2]; the first stdout line is
 * `{"url", "apiKey", "adminToken"}`. Ends on SIGTERM or when stdin closes (the driver died).
 */
const { startEmulator } = require("../../dist/emulator");

async function main() {
  const emulator = await startEmulator(JSON.parse(process.argv[2] ?? "{}"));
  process.stdout.write(
    `${JSON.stringify({ url: emulator.url, apiKey: emulator.apiKey, adminToken: emulator.adminToken })}\n`,
  );
  const stop = () => emulator.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
