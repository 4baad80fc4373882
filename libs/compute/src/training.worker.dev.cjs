// Entry of a training thread when Loupe runs from its TypeScript sources
// (Jest, tsx): see compute.worker.dev.cjs.
require('tsx/cjs/api').register();
module.exports = require('./training.worker.ts');
