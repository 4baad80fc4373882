import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { PolicyRepository, PolicyRow, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { loadPolicyCatalog } from './policy-catalog.loader';
import type { Principal } from '@loupe/vocabulary';

@Injectable()
export class PolicyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PolicyService.name);

  constructor(
    private readonly policies: PolicyRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  /** Loads the catalog file when it is newer than what the database holds. */
  async onApplicationBootstrap(): Promise<void> {
    const catalog = await loadPolicyCatalog(this.config.policy.catalogFile);
    await this.transactions.run(async () => {
      const current = await this.policies.latestCatalogVersion();
      if (current !== null && current >= catalog.version) return;
      await this.policies.applyCatalog(catalog.version, catalog.checksum, catalog.policies);
      await this.audit.record(null, 'policy_catalog.load', { type: 'policy_catalog', id: String(catalog.version) }, {
        checksum: catalog.checksum,
        policies: catalog.policies.map((p) => p.id),
      });
      this.logger.log(`Loaded policy catalog version ${catalog.version} (${catalog.policies.length} policies)`);
    });
  }

  list(): Promise<PolicyRow[]> {
    return this.policies.list();
  }

  async get(id: string): Promise<PolicyRow> {
    const policy = await this.policies.findById(id);
    if (!policy) throw ApiError.notFound('policy.not_found', `No policy ${id}`);
    return policy;
  }

  /** @param because why, when it is not a person's own choice (a model version's promotion); kept in the audit event */
  async updateThresholds(id: string, thresholds: { review: number; remove: number }, actor: Principal | null, because?: string): Promise<PolicyRow> {
    if (thresholds.review > thresholds.remove) {
      throw ApiError.badRequest('policy.thresholds_inverted', 'The review threshold must not be above the remove threshold');
    }
    return this.transactions.run(async () => {
      const before = await this.get(id);
      const after = await this.policies.updateThresholds(id, thresholds.review, thresholds.remove, actor?.id ?? null);
      await this.audit.record(actor, 'policy.thresholds.update', { type: 'policy', id }, {
        before: { review: before.reviewThreshold, remove: before.removeThreshold },
        after: thresholds,
        ...(because ? { because } : {}),
      });
      return after!;
    });
  }
}
