import { Command, InvalidArgumentError } from 'commander';
import { ApiKeyService, AuthModule } from '@loupe/domain/auth';
import { withCliContext } from '../cli-context';
import { ROLES, Role } from '@loupe/vocabulary';

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

export function keysCommand(): Command {
  const keys = new Command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key; prints it once')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .requiredOption('--name <name>', 'who or what holds the key')
    .option('--json', 'print JSON instead of the bare key')
    .action(async (options: { role: Role; name: string; json?: boolean }) => {
      const created = await withCliContext({ imports: [AuthModule] }, (app) => app.get(ApiKeyService).create(options.name, options.role, null));
      if (options.json) {
        console.log(JSON.stringify({ id: created.key.id, name: created.key.name, role: created.key.role, key: created.secret }));
      } else {
        console.log(created.secret);
      }
    });
  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .action(async () => {
      const rows = await withCliContext({ imports: [AuthModule] }, (app) => app.get(ApiKeyService).list());
      for (const row of rows) {
        console.log([row.id, row.role.padEnd(11), row.keyPrefix, row.revokedAt ? 'revoked' : 'active', row.name].join('  '));
      }
    });
  return keys;
}
