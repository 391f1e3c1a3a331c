/**
 * The lock an interrupted `pulumi` left on its stack, as the backend reports it, and whether the process that took
 * it is gone. Self-managed (DIY) backends (file, S3, GCS, Azure Blob) refuse a command on a locked stack with one
 * line per lock: `<lock file>: created by <user>@<host> (pid <pid>) at <RFC 3339 time>`; Pulumi Cloud only says an
 * update is in progress.
 */
import * as fs from "node:fs";

export interface StackLock {
  /** Where the lock is (the lock file's URL). */
  where: string;
  user: string;
  host: string;
  pid: number;
  /** When the locking command started (RFC 3339, whole seconds). */
  takenAt: string;
}

/** What a failed command said about locks: none, the locks with their holders, or a lock of unknown holder. */
export type LockReport = { kind: "none" } | { kind: "locks"; locks: StackLock[] } | { kind: "unattributed" };

const LOCKED = /the stack is currently locked by \d+ lock\(s\)/;
const LOCK_LINE = /^\s*(.+?): created by (.*)@([^@\s]+) \(pid (\d+)\) at (\S+)\s*$/gm;
/** Pulumi Cloud: `[409] Conflict: Another update is currently in progress.` */
const UPDATE_IN_PROGRESS = /another update is currently in progress/i;

/** The locks a failed command's output names. */
export function locksIn(output: string): LockReport {
  if (LOCKED.test(output)) {
    const locks = [...output.matchAll(LOCK_LINE)].map(([, where, user, host, pid, takenAt]) => ({
      where,
      user,
      host,
      pid: Number(pid),
      takenAt,
    }));
    // Every command prints the error twice (as it happens and in its summary): one entry per lock file.
    const unique = [...new Map(locks.map((lock) => [lock.where, lock])).values()];
    return unique.length > 0 ? { kind: "locks", locks: unique } : { kind: "unattributed" };
  }
  return UPDATE_IN_PROGRESS.test(output) ? { kind: "unattributed" } : { kind: "none" };
}

/** Whether a process of this machine still runs, and its command line when it can be read. */
export interface ProcessProbe {
  host: string;
  running(pid: number): { running: false } | { running: true; command?: string };
}

/** This machine's processes: `kill(pid, 0)`; a zombie (ended, not yet reaped) has ended (Linux `/proc`). */
export function localProcesses(host: string): ProcessProbe {
  return {
    host,
    running(pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        // EPERM: it runs, as another user.
        if ((error as NodeJS.ErrnoException).code === "ESRCH") return { running: false };
      }
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return { running: false };
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        return { running: true, ...(command ? { command } : {}) };
      } catch {
        return { running: true }; // no /proc (macOS), or not readable
      }
    },
  };
}

/** Whether recover may remove a lock: only when it is this machine's and its process has ended. */
export type LockVerdict =
  | { lock: StackLock; holder: "gone" }
  | { lock: StackLock; holder: "running"; command?: string }
  | { lock: StackLock; holder: "elsewhere" };

export function judgeLock(lock: StackLock, processes: ProcessProbe): LockVerdict {
  if (lock.host !== processes.host) return { lock, holder: "elsewhere" };
  const state = processes.running(lock.pid);
  return state.running
    ? { lock, holder: "running", ...(state.command ? { command: state.command } : {}) }
    : { lock, holder: "gone" };
}

/** The earliest time a lock was taken: when the interrupted run started. */
export function earliestLock(locks: readonly StackLock[]): string {
  return [...locks].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt))[0].takenAt;
}
