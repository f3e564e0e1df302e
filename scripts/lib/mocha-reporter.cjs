// mocha's spec reporter, plus a {passed, failed} summary written to $PRODGUARD_TEST_RESULTS for `npm test`.
const fs = require('fs');
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const out = process.env.PRODGUARD_TEST_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify({ passed: runner.stats.passes, failed: runner.stats.failures }));
    });
  }
}
module.exports = SpecWithSummary;
