// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The import graph (DESIGN.md, "Rules of the shape"): which lib may use which. Apps may use
 * any lib; core uses none; a lib may always use itself. Checked by eslint-plugin-boundaries.
 */
const LIB_USES = {
  core: [],
  auth: ['core'],
  files: ['auth', 'core'],
  rag: ['files', 'auth', 'core'],
  chat: ['rag', 'files', 'auth', 'core'],
  voice: ['chat', 'rag', 'files', 'auth', 'core'],
  avatar: ['voice', 'chat', 'rag', 'files', 'auth', 'core'],
};
const APPS = readdirSync(`${import.meta.dirname}/apps`).filter((name) => name !== 'web');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', 'jest.config.js', 'test/support/summary-reporter.js', 'apps/web/src/api/schema.d.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A forgotten await on a query or an enqueue is a lost write; make it an error.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Why eslint-plugin-boundaries: it classifies files into elements (an app, a lib) and checks
    // every resolved import against one allow-list, so a relative path into another lib is
    // caught as surely as an `@showroom/<lib>` import; no-restricted-imports only sees the text.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    plugins: { boundaries },
    settings: {
      // Resolves `@showroom/<lib>` through tsconfig's paths, so an alias import and a relative one land on the same file.
      'import/resolver': { typescript: { project: `${import.meta.dirname}/tsconfig.json` } },
      'boundaries/include': ['apps/*/src/**/*', 'libs/*/src/**/*'],
      'boundaries/elements': [
        // The console runs in a browser and talks to the api over HTTP only: it imports no server code.
        { type: 'console', pattern: 'apps/web' },
        { type: 'app', pattern: 'apps/*/src', capture: ['name'] },
        { type: 'lib', pattern: 'libs/*/src', capture: ['name'] },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            { from: { element: { type: 'console' } }, allow: { to: { element: { type: 'console' } } } },
            // An app composes libs; it never imports another app.
            ...APPS.map((app) => ({
              from: { element: { type: 'app', captured: { name: app } } },
              allow: { to: [{ element: { type: 'app', captured: { name: app } } }, { element: { type: 'lib' } }] },
            })),
            ...Object.entries(LIB_USES).map(([lib, uses]) => ({
              from: { element: { type: 'lib', captured: { name: lib } } },
              allow: { to: { element: { type: 'lib', captured: [lib, ...uses].map((name) => ({ name })) } } },
            })),
          ],
        },
      ],
      // Across libs only `@showroom/<lib>` (the lib's public index); a relative path into another
      // lib or an app reaches past that face even where the graph allows the dependency.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+([a-z-]+/src|libs|apps)(/|$)', message: 'Import another lib as @showroom/<lib>, never by a relative path.' }] },
      ],
      // A file outside every element (a stray libs/x/foo.ts) would escape the graph.
      'boundaries/no-unknown-dependencies': 'error',
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The staff console runs in the browser and knows the api only through its OpenAPI types.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    languageOptions: { globals: globals.browser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@showroom/*', '**/libs/**', '**/apps/api/**', '**/apps/worker/**', '**/test/support/**'], message: 'The console imports no server code; use apps/web/src/api.' }] },
      ],
    },
  },
);
