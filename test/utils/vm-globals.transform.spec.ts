const transform = require('./vm-globals.transform.js') as { process(source: string): { code: string } };

describe('vm-globals.transform', () => {
  it('binds Object after the "use strict" directive and changes nothing else', () => {
    const source = '"use strict";\nvar x = Object.keys({});\n';
    expect(transform.process(source).code).toBe('"use strict";\nconst { Object } = globalThis;\nvar x = Object.keys({});\n');
  });

  it('binds it first in a module without the directive', () => {
    expect(transform.process('module.exports = 1;\n').code).toBe('const { Object } = globalThis;\nmodule.exports = 1;\n');
  });
});
