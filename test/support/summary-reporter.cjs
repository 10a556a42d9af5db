// Mocha's spec output, plus the counts in .test-results/summary.json for .ci/run's one-line summary
// (CI does not read mocha's own summary).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes = 0, failures = 0, pending = 0 } = this.stats;
      const dir = path.resolve('.test-results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'summary.json'),
        JSON.stringify({ passed: passes, failed: failures, skipped: pending }) + '\n',
      );
    });
  }
}

module.exports = SummaryReporter;
