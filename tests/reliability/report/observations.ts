/**
 * What each reliability test observed, as plain data in .reports/reliability/<section>.json (git-ignored): written
 * by the test after all of its tests passed, read by `npm run docs`. Each file carries a fingerprint of the sources
 * the tests exercise, so that `npm run docs` can tell observations of the current code from older ones.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SectionData, SectionName } from "./render";

const REPO_ROOT = path.resolve(__dirname, "../../..");
export const OBSERVATIONS_DIR = path.join(REPO_ROOT, ".reports", "reliability");

/**
 * Everything the reliability tests run or are: the product, the emulator, the language host, the tests and their
 * helpers, and the installed packages (the Pulumi version among them). Not the report's own modules: a change of
 * rendering re-renders the same observations.
 */
const FINGERPRINTED = [
  "provider",
  "cli",
  "sdk",
  "emulator",
  "schema",
  "tools/pulumi-cli",
  "tests/reliability",
  "tests/soak",
  "tests/e2e/support",
  "tests/e2e/programs",
  "tests/provider/support.ts",
  "tests/emulator/helpers",
  "package-lock.json",
];
const NOT_FINGERPRINTED = path.join("tests", "reliability", "report");

export interface Observations<Name extends SectionName> {
  section: Name;
  /** Fingerprint of the sources when the observations were made. */
  sources: string;
  recordedAt: string;
  data: SectionData[Name];
}

function* filesUnder(relative: string): Generator<string> {
  const full = path.join(REPO_ROOT, relative);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield relative;
    return;
  }
  const entries = fs.readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    // Installed packages and scratch folders of test programs are not sources.
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    if (path.join(relative, entry.name) === NOT_FINGERPRINTED) continue;
    yield* filesUnder(path.join(relative, entry.name));
  }
}

/** A hash of the content of every fingerprinted file, with its path. */
export function sourcesFingerprint(): string {
  const hash = crypto.createHash("sha256");
  for (const root of FINGERPRINTED) {
    for (const file of filesUnder(root)) {
      hash.update(`${file}\0`);
      hash.update(fs.readFileSync(path.join(REPO_ROOT, file)));
      hash.update("\0");
    }
  }
  return hash.digest("hex");
}

export const observationsPath = (section: SectionName) => path.join(OBSERVATIONS_DIR, `${section}.json`);

export function writeObservations<Name extends SectionName>(section: Name, data: SectionData[Name]): void {
  const observations: Observations<Name> = {
    section,
    sources: sourcesFingerprint(),
    recordedAt: new Date().toISOString(),
    data,
  };
  fs.mkdirSync(OBSERVATIONS_DIR, { recursive: true });
  const file = observationsPath(section);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(observations, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

export function readObservations<Name extends SectionName>(section: Name): Observations<Name> | undefined {
  try {
    return JSON.parse(fs.readFileSync(observationsPath(section), "utf8")) as Observations<Name>;
  } catch {
    return undefined;
  }
}
