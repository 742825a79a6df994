/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after Jest's own summary,
 * so tools that read the last line of a run (CI included) can count the tests.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = SummaryReporter;
