import { Logger } from '@nestjs/common';
import { escapeIdentifier, type ClientBase } from 'pg';

const logger = new Logger('Database');

/** Tables the serving role may read and append to, never change: its rows are the history. */
const APPEND_ONLY_TABLES = ['audit_events'];

/**
 * Run as the owner (DATABASE_MIGRATION_URL) after migrating: gives the role
 * that serves (DATABASE_URL) only what Loupe needs. It does not own the
 * tables, so it cannot drop or disable the audit trigger, alter the schema
 * or truncate; and it may only read and insert audit events. Default
 * privileges cover the tables a later migration creates, until this runs
 * again at that migration's start-up and applies the same rules.
 */
export async function grantServingRole(owner: ClientBase, servingRole: string): Promise<void> {
  const {
    rows: [self],
  } = await owner.query<{ name: string }>('select current_user as name');
  if (self.name === servingRole) {
    logger.warn('DATABASE_MIGRATION_URL and DATABASE_URL use the same role; it owns the audit log and could disable its trigger');
    return;
  }
  const {
    rows: [serving],
  } = await owner.query<{ superuser: boolean; member: boolean }>(
    `select rolsuper as superuser, pg_has_role(rolname, current_user, 'MEMBER') as member from pg_roles where rolname = $1`,
    [servingRole],
  );
  if (serving?.superuser || serving?.member) {
    logger.warn(`The DATABASE_URL role ${servingRole} is a superuser or a member of the owner ${self.name}: privileges cannot restrict it`);
  }
  const role = escapeIdentifier(servingRole);
  const appendOnly = APPEND_ONLY_TABLES.map(escapeIdentifier).join(', ');
  await owner.query('begin');
  try {
    for (const statement of [
      `grant usage on schema public to ${role}`,
      `grant select, insert, update, delete on all tables in schema public to ${role}`,
      // Also takes back TRUNCATE, REFERENCES or TRIGGER that anyone granted by hand.
      `revoke all on ${appendOnly} from ${role}`,
      `grant select, insert on ${appendOnly} to ${role}`,
      `grant usage on all sequences in schema public to ${role}`,
      `alter default privileges in schema public grant select, insert, update, delete on tables to ${role}`,
      `alter default privileges in schema public grant usage on sequences to ${role}`,
    ]) {
      await owner.query(statement);
    }
    await owner.query('commit');
  } catch (error) {
    await owner.query('rollback');
    throw error;
  }
}
