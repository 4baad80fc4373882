// Entry of this thread when Loupe runs from its TypeScript sources (Jest, tsx):
// see libs/common/src/dev-thread-entry.cjs. Builds use compute.worker.js directly.
module.exports = require('../../common/src/dev-thread-entry.cjs')(require.resolve('./compute.worker.ts'));
