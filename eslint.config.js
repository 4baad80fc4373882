// @ts-check
'use strict';
/**
 * Lint: the layering that docs/architecture.md states, enforced. Each rule
 * names the one library allowed to import a dependency; everything else goes
 * through that library's wrapper.
 */
const tseslint = require('typescript-eslint');

const only = (owner, patterns, why) => ({ owner, patterns, why });
const BOUNDARIES = [
  only('libs/database', ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/pglite', '@electric-sql/pglite/*'], 'only libs/database talks to the database (repositories)'),
  only('libs/media', ['sharp', 'fluent-ffmpeg'], 'only libs/media decodes media (ImageCodec, VideoCodec)'),
  only('libs/ml', ['@tensorflow/*', 'nsfwjs', 'onnxruntime-node', 'onnxruntime-common', 'onnx-proto'], 'only libs/ml runs models'),
  only('libs/metrics', ['prom-client'], 'only libs/metrics defines metrics (LoupeMetrics)'),
];

/** Production code: tests, benchmarks and scripts may reach into any layer to set up and measure. */
const PRODUCTION = ['apps/**/*.ts', 'libs/**/*.ts'];
const NOT_PRODUCTION = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**'];

function restricted(extra = []) {
  return (owner) => ({
    patterns: [
      ...BOUNDARIES.filter((b) => b.owner !== owner).map((b) => ({ group: b.patterns, message: b.why })),
      ...extra,
    ],
  });
}

const layered = restricted();

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'libs/*/assembly/**', 'libs/*/wasm/**', '**/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', ignoreRestSiblings: true, caughtErrors: 'none', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
    },
  },
  // One block per owner: each may import its own dependency and no one else's.
  ...[...BOUNDARIES.map((b) => b.owner), null].map((owner) => ({
    files: owner ? [`${owner}/**/*.ts`] : PRODUCTION,
    ignores: [...NOT_PRODUCTION, ...(owner ? [] : BOUNDARIES.map((b) => `${b.owner}/**`))],
    rules: { 'no-restricted-imports': ['error', layered(owner)] },
  })),
  // The applications speak to the domain; the domain speaks to the database.
  {
    files: ['apps/**/*.ts'],
    ignores: NOT_PRODUCTION,
    rules: {
      'no-restricted-imports': [
        'error',
        restricted([{ group: ['@loupe/database', '@loupe/database/*'], message: 'apps go through the domain: its services, and the records its modules export' }])(null),
      ],
    },
  },
);
