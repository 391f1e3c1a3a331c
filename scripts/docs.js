#!/usr/bin/env node
// `npm run docs`: regenerates the generated sections of docs/reliability.md from what the reliability tests
// observed (.reports/reliability/<section>.json, git-ignored), keeping the document's prose.
//
// DECISION: observations recorded from other sources than the current ones (a content fingerprint of the product,
// the emulator, the language host, the tests and package-lock.json) are not used: the test files whose observations
// are missing or outdated run first (a few minutes; those that need no engine are unit tests, the others run in the
// reliability tier), the others are reused. `npm run docs -- --rerun` runs every section's test file first. The soak
// section is never run from here (it takes 5 to 12 minutes): it is regenerated only from a `npm run test:soak` of the
// current sources, and kept otherwise.
// A section that already shows the observations, differing only where runs legitimately vary (durations, counts of
// random faults), is left as it is: `npm run docs` after a passing test run changes nothing.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const { registerTypeScript } = require("./register-typescript");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const REPORT_MODULES = path.join(ROOT, "tests/reliability/report");

/**
 * Runs the given test files of the report's sections: those that need no engine are in the unit tier, the others in
 * the reliability tier, whose global setup builds dist/ and provisions the Pulumi CLI.
 */
function runReliabilityTests(files) {
  // The tests record their observations; comparing them with the sections about to be rewritten would be moot.
  const result = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), ...files], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, TEST_TIERS: "unit,reliability", RELIABILITY_RECORD_ONLY: "1" },
  });
  return result.status === 0;
}

function main() {
  registerTypeScript();
  const { SECTIONS } = require(path.join(REPORT_MODULES, "render.ts"));
  const { readObservations, sourcesFingerprint, observationsPath } = require(
    path.join(REPORT_MODULES, "observations.ts"),
  );
  const { DOCUMENT_PATH, DOCUMENT_NAME, replaceSection, findSection } = require(
    path.join(REPORT_MODULES, "document.ts"),
  );
  const { firstMismatch, toMarkdown } = require(path.join(REPORT_MODULES, "template.ts"));

  const sources = sourcesFingerprint();
  const current = (section) => readObservations(section)?.sources === sources;
  const runnable = Object.keys(SECTIONS).filter((section) => section !== "soak");
  const rerunAll = process.argv.includes("--rerun");
  const toRun = runnable.filter((section) => rerunAll || !current(section));

  let testsFailed = false;
  if (toRun.length > 0) {
    const files = toRun.map((section) => SECTIONS[section].testFile);
    console.log(
      `\n==> ${rerunAll ? "Running" : "Observations missing or older than the sources; running"}: ${files.join(" ")}\n`,
    );
    testsFailed = !runReliabilityTests(files);
  }

  const committed = fs.readFileSync(DOCUMENT_PATH, "utf8");
  let document = committed;
  const updated = [];
  const unchanged = [];
  const missing = [];
  for (const section of Object.keys(SECTIONS)) {
    const observations = readObservations(section);
    if (!observations || observations.sources !== sources) {
      missing.push(section);
      continue;
    }
    const template = SECTIONS[section].render(observations.data);
    const committedSection = findSection(document, section);
    if (committedSection && !firstMismatch(template, committedSection.body)) {
      unchanged.push(section);
      continue;
    }
    document = replaceSection(document, section, toMarkdown(template));
    updated.push(section);
  }
  if (document !== committed) fs.writeFileSync(DOCUMENT_PATH, document);

  console.log(
    `\n${DOCUMENT_NAME}: ${updated.length} section(s) regenerated (${updated.join(", ") || "none"}), ` +
      `${unchanged.length} already current (${unchanged.join(", ") || "none"}; only what varies between runs differs).`,
  );
  const soakKept = missing.includes("soak");
  const failedSections = missing.filter((section) => section !== "soak");
  if (soakKept) {
    console.log(
      "The soak section was kept as committed: it is regenerated from a `npm run test:soak` run of the current " +
        "sources (5 to 12 minutes), then `npm run docs`.",
    );
  }
  if (failedSections.length > 0) {
    console.error(
      `\nNot regenerated, for lack of observations of the current sources: ${failedSections.join(", ")}. ` +
        `${testsFailed ? "Their tests failed (see above): fix them, then run `npm run docs` again." : ""} ` +
        `(Expected in ${failedSections.map((section) => path.relative(ROOT, observationsPath(section))).join(", ")}.)`,
    );
    process.exitCode = 1;
  }
}

main();
