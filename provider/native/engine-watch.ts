/**
 * Ends the plugin when the engine that started it is gone (killed, crashed): the engine stops its plugins when it
 * ends normally, but a killed `pulumi` would leave this server running forever.
 *
 * DECISION: the engine is gone after three consecutive probes, one second apart, that find nothing listening at
 * its address (connection refused), as this project's language host decides; a probe that merely times out (a
 * suspended or busy engine) does not count.
 */
import * as net from "node:net";

export interface EngineWatch {
  stop(): void;
}

const INTERVAL_MS = 1000;
const MISSES = 3;
const PROBE_TIMEOUT_MS = 2000;

function parseAddress(address: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

/** Probes `address` every second; calls `gone` once when nothing listens there any more. */
export function watchEngine(address: string, gone: () => void): EngineWatch {
  const target = parseAddress(address);
  let misses = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const probe = () => {
    if (stopped || !target) return;
    const socket = net.connect(target);
    socket.setTimeout(PROBE_TIMEOUT_MS);
    const settle = (refused: boolean) => {
      socket.destroy();
      misses = refused ? misses + 1 : 0;
      if (misses >= MISSES) {
        stopped = true;
        gone();
        return;
      }
      schedule();
    };
    socket.once("connect", () => settle(false));
    socket.once("timeout", () => settle(false));
    socket.once("error", (error: NodeJS.ErrnoException) => settle(error.code === "ECONNREFUSED"));
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(probe, INTERVAL_MS);
    timer.unref(); // never what keeps the process alive
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
