'use strict';
/**
 * A Jest transform for the few third-party modules whose hot functions look
 * up `Object` on every call (drizzle-orm's `is`, which Drizzle calls for
 * every chunk of every query it builds). Jest runs each module in a vm
 * context, where a lookup of a global goes through an interceptor and
 * costs far more than in Node itself: `is` alone was about 1 s of CPU per
 * end-to-end file. The module gets the same `Object` once, as a local
 * binding; nothing else in it changes, so what runs is what Node runs.
 */
const { createHash } = require('node:crypto');

const PRELUDE = 'const { Object } = globalThis;\n';
// Bumped when the prelude changes, so Jest's transform cache does not keep the old output.
const VERSION = '1';

module.exports = {
  process(source) {
    // After the "use strict" directive, which must stay the module's first statement.
    const strict = /^(['"])use strict\1;?\r?\n/.exec(source);
    const at = strict ? strict[0].length : 0;
    return { code: source.slice(0, at) + PRELUDE + source.slice(at) };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(VERSION).update(filename).update(source).digest('hex');
  },
};
