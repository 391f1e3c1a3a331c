"use strict";
/**
 * How often the engine writes a stack's checkpoint during one operation, and how many bytes, in a `file://`
 * backend.
 *
 * The backend never writes the checkpoint in place: each save first copies the current file to `<stack>.json.bak`
 * and then writes the new checkpoint to a temporary file that it renames to `<stack>.json` (gocloud's fileblob,
 * under Pulumi's diy backend). Each save therefore shows up as exactly one rename onto `<stack>.json`, which
 * inotify reports on the stack directory (`fs.watch`, a `rename` event naming the file); the kernel never merges
 * two of them, as each rename carries its own cookie. The bytes of each save are the file's size when the event
 * is handled, which may already be a later save's (they differ by one step's worth at most; `sizesMissed` counts
 * the saves replaced before their size was read, seen as the same file, by inode, twice in a row). Files the operation
 * adds under the backend's `history` and `backups` folders (written once, at its end) are counted separately.
 */
const fs = require("node:fs");
const path = require("node:path");
const { setTimeout: delay } = require("node:timers/promises");

function filesUnder(dir) {
  try {
    return fs
      .readdirSync(dir, { recursive: true, encoding: "utf8" })
      .map((name) => path.join(dir, name))
      .filter((file) => fs.statSync(file).isFile());
  } catch {
    return [];
  }
}

class CheckpointWatch {
  /** `checkpoint`: the stack's checkpoint file (it exists once the stack is created); `backendDir`: `.pulumi`'s parent. */
  constructor(checkpoint, backendDir) {
    this.checkpoint = checkpoint;
    this.name = path.basename(checkpoint);
    this.extraDirs = ["history", "backups"].map((folder) => path.join(backendDir, ".pulumi", folder));
  }

  start() {
    this.counts = { writes: 0, bytes: 0, sizesMissed: 0, backupWrites: 0, backupBytes: 0 };
    let lastInode;
    this.before = new Set(this.extraDirs.flatMap(filesUnder));
    const stat = (file) => {
      try {
        return fs.statSync(file);
      } catch {
        return { size: 0, ino: undefined };
      }
    };
    this.watcher = fs.watch(path.dirname(this.checkpoint), (type, name) => {
      if (type !== "rename") return;
      if (name === this.name) {
        const { size, ino } = stat(this.checkpoint);
        this.counts.writes += 1;
        this.counts.bytes += size;
        if (ino !== undefined && ino === lastInode) this.counts.sizesMissed += 1;
        lastInode = ino;
      } else if (name === `${this.name}.bak`) {
        this.counts.backupWrites += 1;
        this.counts.backupBytes += stat(`${this.checkpoint}.bak`).size;
      }
    });
  }

  /** `{ writes, bytes, sizesMissed, backupWrites, backupBytes, historyFiles, historyBytes }` since `start`. */
  async stop() {
    // Events of the last renames may still wait in the inotify queue: let the event loop read them first.
    await delay(100);
    this.watcher.close();
    const added = this.extraDirs.flatMap(filesUnder).filter((file) => !this.before.has(file));
    return {
      ...this.counts,
      historyFiles: added.length,
      historyBytes: added.reduce((total, file) => total + fs.statSync(file).size, 0),
    };
  }
}

module.exports = { CheckpointWatch };
