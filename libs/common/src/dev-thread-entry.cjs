// How a worker thread's entry loads when Loupe runs from its TypeScript
// sources (Jest, tsx). A worker thread does not inherit the parent's
// TypeScript loader, so by default it registers tsx's CommonJS hook itself,
// synchronously, and loads the source: every thread compiles (or reads from
// tsx's cache) and source-maps each module it needs again.
//
// When LOUPE_THREADS_FROM_BUILD names the repository's root, the thread loads
// the build's JavaScript twin from dist/ instead. Jest's global setup
// (test/utils/global-setup.js) sets it only when the build is newer than
// every TypeScript source, as it is right after `npm test`'s build; each test
// server starts three or four threads, and tsx was about half of their
// start. Builds run the compiled entries directly and never come here.
const path = require('node:path');

/** Loads `source` (an absolute path to a thread's .ts entry) and returns its exports. */
module.exports = function loadThreadEntry(source) {
  const root = process.env.LOUPE_THREADS_FROM_BUILD;
  if (root) return require(path.join(root, 'dist', path.relative(root, source)).replace(/\.ts$/, '.js'));
  require('tsx/cjs/api').register();
  return require(source);
};
