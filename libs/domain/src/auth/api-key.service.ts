import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ApiKeyRepository, ApiKeyRow, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { generateApiKey, generatedKeyPrefix, hashApiKey, SEEDED_KEY_PREFIX } from './api-key-secret';
import { VerifiedKeyCache } from './verified-key-cache';
import { type Principal, Role } from '@loupe/vocabulary';

// The migration that introduced `seeded` marks older seeded keys by this name: keep it.
const SEEDED_KEY_NAME = 'admin (LOUPE_ADMIN_KEY)';

export interface CreatedApiKey {
  key: ApiKeyRow;
  /** The secret, returned once at creation and never again. */
  secret: string;
}

@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly verified: VerifiedKeyCache;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {
    this.verified = new VerifiedKeyCache(config.auth.cacheSeconds * 1000);
  }

  /**
   * Seeds the admin key: LOUPE_ADMIN_KEY when set; otherwise, on a database
   * with no admin at all, a generated key written to DATA_DIR/admin.key so a
   * fresh embedded install can be used at once.
   */
  async onApplicationBootstrap(): Promise<void> {
    const { adminKey, adminKeyFile } = this.config.auth;
    if (adminKey) {
      await this.seed(adminKey);
      return;
    }
    const admins = (await this.keys.list()).filter((k) => k.role === 'admin' && !k.revokedAt);
    if (admins.length > 0) return;
    const secret = generateApiKey();
    await this.transactions.run(async () => {
      const row = await this.keys.ensure({ name: 'admin (generated)', role: 'admin', keyHash: hashApiKey(secret), keyPrefix: generatedKeyPrefix(secret), seeded: false });
      if (row) await this.audit.record(null, 'api_key.create', { type: 'api_key', id: row.id }, { name: row.name, role: row.role, generated: true });
    });
    await mkdir(path.dirname(adminKeyFile), { recursive: true });
    await writeFile(adminKeyFile, `${secret}\n`, { mode: 0o600 });
    await chmod(adminKeyFile, 0o600);
    this.logger.log(`Generated an admin API key in ${adminKeyFile}`);
  }

  /**
   * Makes LOUPE_ADMIN_KEY an admin key and revokes the keys it replaced: a
   * rotated-out secret must stop working, not linger as a second admin.
   * Only seeded keys older than the configured one are revoked, so a process
   * that restarts with a stale LOUPE_ADMIN_KEY during a rolling deploy cannot
   * revoke the newer key: its own was revoked already, and it revokes nothing.
   */
  private async seed(adminKey: string): Promise<void> {
    const keyHash = hashApiKey(adminKey);
    await this.transactions.run(async () => {
      const inserted = await this.keys.ensure({ name: SEEDED_KEY_NAME, role: 'admin', keyHash, keyPrefix: SEEDED_KEY_PREFIX, seeded: true });
      if (inserted) await this.audit.record(null, 'api_key.create', { type: 'api_key', id: inserted.id }, { name: inserted.name, role: inserted.role, seeded: true });
      const current = inserted ?? (await this.keys.findByHash(keyHash));
      if (!current || current.revokedAt) {
        this.logger.warn('LOUPE_ADMIN_KEY is a revoked key and does not authenticate; set a new one');
        return;
      }
      for (const old of await this.keys.revokeOlderSeeded(keyHash, current.createdAt)) {
        await this.audit.record(null, 'api_key.revoke', { type: 'api_key', id: old.id }, { reason: 'LOUPE_ADMIN_KEY rotated', replacedBy: current.id });
        this.logger.log(`Revoked the admin key seeded on ${old.createdAt.toISOString()}: LOUPE_ADMIN_KEY changed`);
      }
    });
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const keyHash = hashApiKey(secret);
    const known = this.verified.get(keyHash);
    if (known) return known;
    const row = await this.keys.findActiveByHash(keyHash);
    if (!row) return null;
    const principal: Principal = { id: row.id, name: row.name, role: row.role };
    this.verified.set(keyHash, principal);
    return principal;
  }

  async create(name: string, role: Role, actor: Principal | null): Promise<CreatedApiKey> {
    const secret = generateApiKey();
    const key = await this.transactions.run(async () => {
      const row = await this.keys.create({ name, role, keyHash: hashApiKey(secret), keyPrefix: generatedKeyPrefix(secret), createdBy: actor?.id ?? null });
      await this.audit.record(actor, 'api_key.create', { type: 'api_key', id: row.id }, { name, role });
      return row;
    });
    return { key, secret };
  }

  async list(): Promise<ApiKeyRow[]> {
    return this.keys.list();
  }

  async revoke(id: string, actor: Principal): Promise<ApiKeyRow> {
    const row = await this.transactions.run(async () => {
      const revoked = await this.keys.revoke(id);
      if (!revoked) throw ApiError.notFound('api_key.not_found', `No active API key ${id}`);
      await this.audit.record(actor, 'api_key.revoke', { type: 'api_key', id });
      return revoked;
    });
    // After the commit: dropped sooner, a request in between could verify the key again and keep it.
    this.verified.dropId(id);
    return row;
  }
}
