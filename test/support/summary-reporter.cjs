// Mocha's spec output, with its closing summary (counts and failure details) kept for after the coverage table:
// the summary goes to .test-results/epilogue.txt and the counts to .test-results/summary.json, which
// scripts/run-tests.mjs prints once c8 is done, and .ci/run reads for its one-line summary.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { format } = require('node:util');
const Mocha = require('mocha');

const Base = Mocha.reporters.Base;

class SummaryReporter extends Mocha.reporters.Spec {
  epilogue() {
    const lines = [];
    const print = Base.consoleLog;
    Base.consoleLog = (...args) => lines.push(format(...args));
    try {
      super.epilogue();
    } finally {
      Base.consoleLog = print;
    }
    const { passes = 0, failures = 0, pending = 0 } = this.stats;
    const dir = path.resolve('.test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'epilogue.txt'), lines.join('\n') + '\n');
    fs.writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({ passed: passes, failed: failures, skipped: pending }) + '\n',
    );
  }
}

module.exports = SummaryReporter;
