// Jest's CommonJS loader cannot require ES modules, and content-disposition 3
// (a dependency of @fastify/static, which serves the Swagger UI) is ESM-only.
// Node itself loads it fine; under Jest we hand @fastify/static the same API
// from content-disposition 1, which is CommonJS.
const contentDisposition = require('content-disposition-v1');

module.exports = { create: contentDisposition, parse: contentDisposition.parse };
