// Entry of the PGlite thread when Loupe runs from its TypeScript sources
// (Jest, tsx). A worker thread does not inherit the parent's TypeScript
// loader, so it registers tsx's CommonJS hook itself, synchronously, before
// loading the real entry point. Builds use pglite-thread.worker.js directly.
require('tsx/cjs/api').register();
module.exports = require('./pglite-thread.worker.ts');
