// Entry of the shard threads when Loupe runs from its TypeScript sources
// (Jest, tsx). A worker thread does not inherit the parent's TypeScript
// loader, so it registers tsx's CommonJS hook itself, synchronously, before
// loading the real entry point. Builds use pdq-shard.worker.js directly.
require('tsx/cjs/api').register();
module.exports = require('./pdq-shard.worker.ts');
