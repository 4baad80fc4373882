import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ContentFacts, DatasetRepository, DatasetRow, GoldRepository, PolicyRepository, TrainingLabelRepository, TransactionManager } from '@loupe/database';
import type { DatasetFilter, DatasetRules, LabelProvenance, PolicyLabel, Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { DatasetFiles } from './dataset-files';
import { buildDataset, DatasetLabel, DatasetExample, DEFAULT_DATASET_RULES, GoldAnswer } from './dataset-rules';

const PAGE = 1000;
export const DATASET_FORMAT = 'loupe.dataset/1';

export interface CreateDatasetInput {
  name?: string;
  filter: DatasetFilter;
  /** Overrides of the default rules; what is not given keeps its default. */
  rules?: Partial<Omit<DatasetRules, 'weights'>> & { weights?: Partial<DatasetRules['weights']> };
}

/** One line of rows.jsonl: the label and what it is about, enough to train without the database. */
export interface DatasetRecord {
  content_id: string;
  /** Null on a gold row. */
  label_id: string | null;
  split: DatasetExample['split'];
  weight: number;
  labels: { policy_id: string; violating: boolean; nuance?: string }[];
  provenance: LabelProvenance;
  labelled_at: string | null;
  media_sha256: string;
  media_format: string;
  kind: string;
  caption: string | null;
  hashtags: string[];
  language: string;
  region: string;
}

export interface DatasetProgress {
  stage: 'reading labels' | 'writing rows';
  done: number;
  total: number;
}

/**
 * Datasets: a snapshot of training labels, chosen by a filter and turned
 * into train, test and gold rows by explicit rules (`buildDataset`), written
 * to DATA_DIR/datasets/<id>/ with a manifest. The record in the database is
 * added after the files, in one transaction with its audit event.
 */
@Injectable()
export class DatasetService {
  constructor(
    private readonly datasets: DatasetRepository,
    private readonly labels: TrainingLabelRepository,
    private readonly gold: GoldRepository,
    private readonly policies: PolicyRepository,
    private readonly files: DatasetFiles,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async create(input: CreateDatasetInput, actor: Principal | null, onProgress?: (progress: DatasetProgress) => void): Promise<DatasetRow> {
    const rules = await this.check(input);
    const { filter } = input;
    const range = { from: filter.from ? new Date(filter.from) : undefined, to: filter.to ? new Date(filter.to) : undefined };

    // Every label in the time range: the latest of each content is chosen before the policy and provenance filter applies.
    const total = await this.labels.count(range);
    const read: DatasetLabel[] = [];
    const facts = new Map<string, ContentFacts>();
    let after: { labelledAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.labels.page(range, PAGE, after);
      if (page.length === 0) break;
      for (const row of page) {
        read.push({ id: row.id, contentId: row.contentId, labels: row.labels, provenance: row.provenance, labellerPassingGold: row.labellerPassingGold, labelledAt: row.labelledAt });
        facts.set(row.contentId, row);
      }
      onProgress?.({ stage: 'reading labels', done: read.length, total });
      after = { labelledAt: page[page.length - 1].labelledAt, id: page[page.length - 1].id };
    }
    // Gold as it stood at the end of the range; one answer per content, the latest.
    const answers = new Map<string, GoldAnswer>();
    for (const answer of await this.gold.activeAnswers(range.to)) {
      answers.set(answer.contentId, { contentId: answer.contentId, labels: answer.labels });
      facts.set(answer.contentId, answer);
    }
    const built = buildDataset(read, [...answers.values()], rules, filter);
    const provenance = new Map(read.map((l) => [l.id, l.provenance]));

    const id = randomUUID();
    const name = input.name ?? `dataset-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
    const createdAt = new Date();
    onProgress?.({ stage: 'writing rows', done: 0, total: built.rows.length });
    await this.files.write(
      id,
      built.rows.map((row) => toRecord(row, row.labelId ? provenance.get(row.labelId)! : 'gold', facts.get(row.contentId)!)),
      (rowsSha256) => ({
        format: DATASET_FORMAT,
        id,
        name,
        created_at: createdAt.toISOString(),
        created_by: actor?.id ?? null,
        filter,
        rules,
        counts: built.counts,
        rows: built.rows.length,
        rows_hash: built.hash,
        files: { rows: { path: 'rows.jsonl', sha256: rowsSha256 } },
      }),
    );
    onProgress?.({ stage: 'writing rows', done: built.rows.length, total: built.rows.length });
    try {
      return await this.transactions.run(async () => {
        const row = await this.datasets.create({ id, name, filter, rules, counts: built.counts, rowCount: built.rows.length, rowsHash: built.hash, createdBy: actor?.id ?? null, createdAt });
        await this.audit.record(actor, 'dataset.create', { type: 'dataset', id }, { name, filter, rows: built.rows.length, rowsHash: built.hash });
        return row;
      });
    } catch (error) {
      // No record, no files: a dataset that is not in the database does not exist.
      await this.files.remove(id);
      throw error;
    }
  }

  async get(id: string): Promise<DatasetRow> {
    const row = await this.datasets.findById(id);
    if (!row) throw ApiError.notFound('dataset.not_found', `No dataset ${id}`);
    return row;
  }

  list(limit = 100): Promise<DatasetRow[]> {
    return this.datasets.list(limit);
  }

  /** The dataset's directory, manifest and rows. */
  directory(id: string): string {
    return this.files.directory(id);
  }

  /** Where a dataset's rows are, after checking that it exists. */
  async rowsPath(id: string): Promise<string> {
    await this.get(id);
    return this.files.rowsPath(id);
  }

  /** The rules in full, and every problem with the input, before any label is read. */
  private async check(input: CreateDatasetInput): Promise<DatasetRules> {
    const problems: string[] = [];
    const { filter } = input;
    const from = filter.from ? new Date(filter.from) : undefined;
    const to = filter.to ? new Date(filter.to) : undefined;
    if (from && Number.isNaN(from.getTime())) problems.push('filter.from is not a time');
    if (to && Number.isNaN(to.getTime())) problems.push('filter.to is not a time');
    if (from && to && !(from < to)) problems.push('filter.from must be before filter.to');
    if (filter.policyIds) {
      const known = new Set((await this.policies.list()).map((p) => p.id));
      const unknown = filter.policyIds.filter((p) => !known.has(p));
      if (unknown.length > 0) throw ApiError.badRequest('dataset.unknown_policy', `No policy ${unknown.join(', ')}`, { unknown });
    }
    const given = <T extends object>(values: T | undefined) => Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
    const { weights, ...overrides } = input.rules ?? {};
    const rules: DatasetRules = { ...DEFAULT_DATASET_RULES, ...given(overrides), weights: { ...DEFAULT_DATASET_RULES.weights, ...given(weights) } };
    if (!(rules.testShare >= 0 && rules.testShare < 1)) problems.push('rules.testShare must be at least 0 and below 1');
    if (!(rules.failingGoldWeight > 0 && rules.failingGoldWeight <= 1)) problems.push('rules.failingGoldWeight must be above 0 and at most 1');
    for (const [provenance, weight] of Object.entries(rules.weights)) if (!(weight > 0)) problems.push(`rules.weights.${provenance} must be above 0`);
    if (problems.length > 0) throw ApiError.badRequest('dataset.invalid', problems.join('; '), { problems });
    return rules;
  }
}

function toRecord(row: DatasetExample, provenance: LabelProvenance, facts: ContentFacts): DatasetRecord {
  return {
    content_id: row.contentId,
    label_id: row.labelId,
    split: row.split,
    weight: row.weight,
    labels: row.labels.map((l: PolicyLabel) => ({ policy_id: l.policyId, violating: l.violating, ...(l.nuance ? { nuance: l.nuance } : {}) })),
    provenance,
    labelled_at: row.labelledAt?.toISOString() ?? null,
    media_sha256: facts.mediaSha256,
    media_format: facts.mediaFormat,
    kind: facts.kind,
    caption: facts.caption,
    hashtags: facts.hashtags,
    language: facts.language,
    region: facts.region,
  };
}
