// The per-user cache of what the provisioning scripts build or install (the Pulumi CLI, the language hosts, the
// Python venv, SDK versions): built once per machine, shared by every clone, never inside a checkout.
//
//   <root>/<kind>/<version>-<hash>/       an entry: what one build produced, and `.complete.json`, written last
//   <root>/<kind>/<version>-<hash>.lock   held while the entry is built (a file naming its owner)
//
// <root> is $PULUMI_IMMUTA_CACHE_DIR, else $XDG_CACHE_HOME/pulumi-immuta, else ~/.cache/pulumi-immuta. <hash> is a
// digest of everything that produces the entry (the wrapper's go.mod and go.sum, the host's sources, the package
// list), so a change of any of them makes a new entry and an unchanged clone reuses the old one.
//
// DECISION: integrity does not rest on the lock. A build writes into a staging folder beside the entry, records
// every file's size (and, for `verify: "content"`, its SHA-256) in `.complete.json` last, and renames the folder
// into place, so an entry is never seen half-written; every use checks the files against that record, and an entry
// that fails the check is moved aside and rebuilt. The lock only keeps two runs from building the same entry at
// once (the second waits, then uses the first one's). A lock whose owner process is gone is taken over.
// Node built-ins only.
"use strict";
const crypto = require("node:crypto");
const { Buffer } = require("node:buffer");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const PROJECT = "pulumi-immuta";
const CACHE_DIR_VARIABLE = "PULUMI_IMMUTA_CACHE_DIR";
const MARKER = ".complete.json";
const MARKER_FORMAT = 1;

/** The cache folder: $PULUMI_IMMUTA_CACHE_DIR, else $XDG_CACHE_HOME/pulumi-immuta, else ~/.cache/pulumi-immuta. */
function cacheRoot(env = process.env, home = os.homedir()) {
  if (env[CACHE_DIR_VARIABLE]) return path.resolve(env[CACHE_DIR_VARIABLE]);
  // The XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : path.join(home, ".cache");
  return path.join(base, PROJECT);
}

/** SHA-256 (hex) of labelled inputs: strings, and files given as `{ file }` (hashed with their name). */
function hashInputs(inputs) {
  const hash = crypto.createHash("sha256");
  for (const input of inputs) {
    if (typeof input === "string") hash.update(`text ${input.length}\n${input}\n`);
    else {
      const content = fs.readFileSync(input.file);
      hash
        .update(`file ${input.name ?? input.file} ${content.length}\n`)
        .update(content)
        .update("\n");
    }
  }
  return hash.digest("hex");
}

/** Every file under `dir` (relative, sorted), skipping names `skip` matches. */
function filesUnder(dir, skip = () => false) {
  const found = [];
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = path.join(relative, entry.name);
      if (skip(name)) continue;
      if (entry.isDirectory()) walk(name);
      else found.push(name);
    }
  };
  walk("");
  return found.sort();
}

/** The inputs of `hashInputs` for every file of a source tree, named relative to `dir`. */
function treeInputs(dir, skip) {
  return filesUnder(dir, skip).map((name) => ({ file: path.join(dir, name), name }));
}

function sha256OfFile(file) {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 22);
    let read;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0)
      hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** What `.complete.json` records of each file: its size (and SHA-256), or a symbolic link's target. */
function describeFiles(dir, verify) {
  const files = {};
  for (const name of filesUnder(dir, (name) => name === MARKER)) {
    const full = path.join(dir, name);
    const stat = fs.lstatSync(full);
    if (stat.isSymbolicLink()) files[name] = { link: fs.readlinkSync(full) };
    else
      files[name] =
        verify === "content" ? { size: stat.size, sha256: sha256OfFile(full) } : { size: stat.size };
  }
  return files;
}

/**
 * Why the entry at `dir` cannot be used for `key`, or undefined when it can: it has no completion record (never
 * finished), a record for another key, or a recorded file that is missing, of another size or content.
 * Files added later (e.g. Python's bytecode caches) are not a defect.
 */
function entryProblem(dir, key) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, MARKER), "utf8"));
  } catch (error) {
    if (!fs.existsSync(dir)) return "it does not exist";
    return error.code === "ENOENT"
      ? `it has no ${MARKER} (its build never finished)`
      : `its ${MARKER} is unreadable`;
  }
  if (record.format !== MARKER_FORMAT || JSON.stringify(record.key) !== JSON.stringify(key))
    return `its ${MARKER} records another build`;
  for (const [name, expected] of Object.entries(record.files ?? {})) {
    const full = path.join(dir, name);
    let stat;
    try {
      stat = fs.lstatSync(full);
    } catch {
      return `${name} is missing`;
    }
    if (expected.link !== undefined) {
      if (!stat.isSymbolicLink() || fs.readlinkSync(full) !== expected.link)
        return `${name} is not the link it was`;
    } else if (!stat.isFile() || stat.size !== expected.size) {
      return `${name} is ${stat.isFile() ? `${stat.size} bytes, not ${expected.size}` : "not a file"}`;
    } else if (expected.sha256 !== undefined && sha256OfFile(full) !== expected.sha256) {
      return `${name} does not have the content it was built with`;
    }
  }
  return undefined;
}

// --- the lock ---------------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The start time of a process (Linux), to tell a live owner from a new process that reuses its pid. */
function processStart(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19];
  } catch {
    return undefined;
  }
}

function ownerIdentity() {
  return { pid: process.pid, host: os.hostname(), started: processStart(process.pid) ?? null };
}

/** Whether the process that wrote `owner` is still running (unknown hosts count as running). */
function ownerAlive(owner) {
  if (!owner || typeof owner.pid !== "number") return false;
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (error.code === "ESRCH") return false;
  }
  return owner.started == null || processStart(owner.pid) === owner.started;
}

function readOwner(lockFile) {
  try {
    return JSON.parse(fs.readFileSync(lockFile, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Runs `body` while holding `lockFile`, waiting for another owner to finish first. A lock whose owner is gone (or
 * unreadable for longer than a writer needs) is taken over. `onWait(owner, waitedMs)` is called every
 * `reportEveryMs` while waiting.
 */
async function withLock(lockFile, body, { onWait = () => {}, pollMs = 200, reportEveryMs = 30_000 } = {}) {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const me = JSON.stringify(ownerIdentity());
  const started = Date.now();
  let nextReport = started + reportEveryMs;
  let unreadableSince;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, me, { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const owner = readOwner(lockFile);
    // A lock file is written in one call right after it is created: unreadable for a moment at most.
    unreadableSince = owner === undefined ? (unreadableSince ?? Date.now()) : undefined;
    const abandoned = owner === undefined ? Date.now() - unreadableSince > 5_000 : !ownerAlive(owner);
    if (abandoned) {
      takeOver(lockFile, owner);
      continue;
    }
    if (Date.now() >= nextReport) {
      onWait(owner, Date.now() - started);
      nextReport += reportEveryMs;
    }
    await sleep(pollMs);
  }
  try {
    return await body();
  } finally {
    // Remove the lock only while it is still ours.
    if (fs.existsSync(lockFile) && readOwner(lockFile)?.pid === process.pid)
      fs.rmSync(lockFile, { force: true });
  }
}

/** Removes an abandoned lock, unless another waiter took it over (and so replaced it) in the meantime. */
function takeOver(lockFile, abandonedOwner) {
  const aside = `${lockFile}.abandoned-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // someone else moved it first
  }
  if (JSON.stringify(readOwner(aside)) !== JSON.stringify(abandonedOwner)) {
    // Not the lock judged abandoned: a live owner's. Put it back unless a new one exists already.
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      // another run holds the lock now; the live owner finishes its build and publishes atomically all the same
    }
  }
  fs.rmSync(aside, { force: true });
}

// --- entries ----------------------------------------------------------------------------------------------------

/** `<root>/<kind>/<version>-<hash>`: the folder of an entry. */
function entryDirectory(root, kind, version, inputsHash) {
  return path.join(root, kind, `${version}-${inputsHash.slice(0, 16)}`);
}

/** Deletes a folder by renaming it aside first, so no reader ever sees it half-deleted. */
function discard(dir) {
  if (!fs.existsSync(dir)) return;
  const aside = `${dir}.discarded-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  fs.renameSync(dir, aside);
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Leftovers of builds whose process is gone (staging folders, folders being discarded) next to `dir`. */
function removeLeftovers(dir) {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  for (const name of fs.readdirSync(parent)) {
    const match = /^(.*)\.(?:staging|discarded)-(\d+)-[0-9a-f]+$/.exec(name);
    if (!match || match[1] !== base) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && ownerAlive({ pid, host: os.hostname() })) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * The entry `kind`/`version` built from inputs hashing to `inputsHash`: reused when complete and intact, else built
 * by `build(stagingDir)` (which fills the folder) under the entry's lock, then checked and published.
 *
 * `verify`: `content` records and checks every file's SHA-256 (binaries), `size` only sizes (large trees).
 * `log(message)` receives what happens. Returns `{ dir, built }`.
 */
async function provisionEntry({
  root = cacheRoot(),
  kind,
  version,
  inputsHash,
  verify = "content",
  build,
  log,
}) {
  const say = log ?? (() => {});
  const dir = entryDirectory(root, kind, version, inputsHash);
  const key = { kind, version, inputs: inputsHash };
  if (entryProblem(dir, key) === undefined) return { dir, built: false };
  return withLock(
    `${dir}.lock`,
    async () => {
      const problem = entryProblem(dir, key);
      if (problem === undefined) return { dir, built: false }; // another run built it while we waited
      removeLeftovers(dir);
      if (fs.existsSync(dir)) {
        say(`cache entry ${dir} cannot be used (${problem}): rebuilding it`);
        discard(dir);
      }
      const staging = `${dir}.staging-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
      fs.mkdirSync(staging, { recursive: true });
      try {
        await build(staging);
        const record = { format: MARKER_FORMAT, key, verify, files: describeFiles(staging, verify) };
        // Written last: an entry without it never finished.
        fs.writeFileSync(path.join(staging, MARKER), `${JSON.stringify(record, null, 1)}\n`);
        try {
          fs.renameSync(staging, dir);
        } catch (error) {
          // Only if the lock was taken over from a live owner, which published first: its entry is as good.
          if (entryProblem(dir, key) !== undefined) throw error;
          return { dir, built: false };
        }
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
      return { dir, built: true };
    },
    {
      onWait: (owner, waitedMs) =>
        say(
          `waiting for process ${owner?.pid ?? "?"}, which is building ${path.relative(root, dir)} ` +
            `(${Math.round(waitedMs / 1000)} s so far)`,
        ),
    },
  );
}

/**
 * Empties the cache: every entry except those being built right now by a live process. Returns
 * `{ removed: [names], kept: [names] }`.
 */
function cleanCache(root = cacheRoot()) {
  const removed = [];
  const kept = [];
  if (!fs.existsSync(root)) return { removed, kept };
  for (const kind of fs.readdirSync(root)) {
    const kindDir = path.join(root, kind);
    if (!fs.statSync(kindDir).isDirectory()) {
      fs.rmSync(kindDir, { force: true });
      continue;
    }
    for (const name of fs.readdirSync(kindDir)) {
      const base = name.replace(/\.(?:lock|staging-.*|discarded-.*|lock\.abandoned-.*)$/, "");
      const lock = path.join(kindDir, `${base}.lock`);
      if (fs.existsSync(lock) && ownerAlive(readOwner(lock))) {
        kept.push(path.join(kind, name));
        continue;
      }
      fs.rmSync(path.join(kindDir, name), { recursive: true, force: true });
      removed.push(path.join(kind, name));
    }
    if (fs.readdirSync(kindDir).length === 0) fs.rmdirSync(kindDir);
  }
  return { removed, kept };
}

module.exports = {
  CACHE_DIR_VARIABLE,
  MARKER,
  cacheRoot,
  hashInputs,
  treeInputs,
  filesUnder,
  entryDirectory,
  entryProblem,
  provisionEntry,
  withLock,
  cleanCache,
};
