import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ApiKeyRepository, ApiKeyRow, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { apiKeyPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { type Principal, Role } from '@loupe/vocabulary';

export interface CreatedApiKey {
  key: ApiKeyRow;
  /** The secret, returned once at creation and never again. */
  secret: string;
}

@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeyService.name);

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  /**
   * Seeds the admin key: LOUPE_ADMIN_KEY when set; otherwise, on a database
   * with no admin at all, a generated key written to DATA_DIR/admin.key so a
   * fresh embedded install can be used at once.
   */
  async onApplicationBootstrap(): Promise<void> {
    const { adminKey, adminKeyFile } = this.config.auth;
    if (adminKey) {
      await this.keys.ensure({ name: 'admin (LOUPE_ADMIN_KEY)', role: 'admin', keyHash: hashApiKey(adminKey), keyPrefix: apiKeyPrefix(adminKey) });
      return;
    }
    const admins = (await this.keys.list()).filter((k) => k.role === 'admin' && !k.revokedAt);
    if (admins.length > 0) return;
    const secret = generateApiKey();
    await this.keys.ensure({ name: 'admin (generated)', role: 'admin', keyHash: hashApiKey(secret), keyPrefix: apiKeyPrefix(secret) });
    await mkdir(path.dirname(adminKeyFile), { recursive: true });
    await writeFile(adminKeyFile, `${secret}\n`, { mode: 0o600 });
    await chmod(adminKeyFile, 0o600);
    this.logger.log(`Generated an admin API key in ${adminKeyFile}`);
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const row = await this.keys.findActiveByHash(hashApiKey(secret));
    return row ? { id: row.id, name: row.name, role: row.role } : null;
  }

  async create(name: string, role: Role, actor: Principal | null): Promise<CreatedApiKey> {
    const secret = generateApiKey();
    const key = await this.transactions.run(async () => {
      const row = await this.keys.create({ name, role, keyHash: hashApiKey(secret), keyPrefix: apiKeyPrefix(secret), createdBy: actor?.id ?? null });
      await this.audit.record(actor, 'api_key.create', { type: 'api_key', id: row.id }, { name, role });
      return row;
    });
    return { key, secret };
  }

  async list(): Promise<ApiKeyRow[]> {
    return this.keys.list();
  }

  async revoke(id: string, actor: Principal): Promise<ApiKeyRow> {
    return this.transactions.run(async () => {
      const row = await this.keys.revoke(id);
      if (!row) throw ApiError.notFound('api_key.not_found', `No active API key ${id}`);
      await this.audit.record(actor, 'api_key.revoke', { type: 'api_key', id });
      return row;
    });
  }
}
