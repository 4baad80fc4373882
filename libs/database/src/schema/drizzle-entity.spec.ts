import { is } from 'drizzle-orm';
import { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { contents } from './contents.schema';

/**
 * Under Jest, drizzle-orm's entity.cjs runs through test/utils/vm-globals.transform.js
 * (Object as a local binding, for speed): its `is` must answer exactly as before.
 */
describe("drizzle-orm's is() under the tests' transform", () => {
  it('tells tables and columns apart as Drizzle does', () => {
    expect(is(contents, PgTable)).toBe(true);
    expect(is(contents.id, PgColumn)).toBe(true);
    expect(is(contents.id, PgTable)).toBe(false);
    expect(is({}, PgTable)).toBe(false);
    expect(is(null, PgTable)).toBe(false);
  });
});
