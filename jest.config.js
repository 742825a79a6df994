/**
 * Unit specs live beside the code (*.spec.ts); end-to-end specs live in test/ (*.e2e-spec.ts).
 * Both run against real Postgres and Redis: each suite gets its own database, cloned from a
 * migrated template, and its own Redis key prefix, so suites can run in parallel.
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: { '^@showroom/(\\w+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Above waitFor's default, so a slow wait fails with its own reason rather than Jest's timeout.
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
