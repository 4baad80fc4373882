import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { contents, trainingLabels } from '../schema';
import { RepositoryBase } from './repository.base';
import type { ContentKind, LabelProvenance } from '@loupe/vocabulary';

export type TrainingLabelRow = typeof trainingLabels.$inferSelect;
export type TrainingLabelInsert = Omit<typeof trainingLabels.$inferInsert, 'id' | 'createdAt'>;

/**
 * A label as exported: with the media and text it is about, so that a
 * pipeline outside Loupe can train without the database, and with the label
 * that replaced it, if any.
 */
export type LabelExportRow = TrainingLabelRow &
  ContentFacts & {
    /** The content's latest label, when that is not this one (an overturned appeal's label replaces the original). */
    supersededBy: string | null;
  };

/** What a label carries of its content, so that it can train without the database. */
export interface ContentFacts {
  mediaSha256: string;
  mediaFormat: string;
  kind: ContentKind;
  caption: string | null;
  hashtags: string[];
  language: string;
  region: string;
}

export interface LabelFilter {
  from?: Date;
  to?: Date;
  policyId?: string;
  provenance?: LabelProvenance;
}

/** The columns of ContentFacts, for a select that joins `contents`. */
export const CONTENT_FACTS = {
  mediaSha256: contents.mediaSha256,
  mediaFormat: contents.mediaFormat,
  kind: contents.kind,
  caption: contents.caption,
  hashtags: contents.hashtags,
  language: contents.language,
  region: contents.region,
};

@Injectable()
export class TrainingLabelRepository extends RepositoryBase {
  async add(values: TrainingLabelInsert): Promise<TrainingLabelRow> {
    const [row] = await this.db.insert(trainingLabels).values(values).returning();
    return row;
  }

  async findByContent(contentId: string): Promise<TrainingLabelRow[]> {
    return this.db
      .select()
      .from(trainingLabels)
      .where(eq(trainingLabels.contentId, contentId))
      .orderBy(desc(trainingLabels.labelledAt));
  }

  /** The newest label row of each of these items, by item; items without one are absent. */
  async latestByContents(contentIds: string[]): Promise<Map<string, TrainingLabelRow>> {
    if (contentIds.length === 0) return new Map();
    const rows = await this.db.select().from(trainingLabels).where(inArray(trainingLabels.contentId, contentIds)).orderBy(desc(trainingLabels.labelledAt));
    const latest = new Map<string, TrainingLabelRow>();
    for (const row of rows) if (!latest.has(row.contentId)) latest.set(row.contentId, row);
    return latest;
  }

  async count(filter: LabelFilter): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(trainingLabels).where(this.matching(filter));
    return row.n;
  }

  private matching(filter: LabelFilter) {
    return and(
      filter.from ? gte(trainingLabels.labelledAt, filter.from) : undefined,
      filter.to ? lt(trainingLabels.labelledAt, filter.to) : undefined,
      filter.provenance ? eq(trainingLabels.provenance, filter.provenance) : undefined,
      filter.policyId ? sql`${trainingLabels.labels} @> ${JSON.stringify([{ policyId: filter.policyId }])}::jsonb` : undefined,
    );
  }

  /**
   * One page of labels in labelling order, after the cursor: exports stream
   * page by page. Labelling times come from JavaScript Dates (whole
   * milliseconds), so they round-trip exactly as a cursor.
   */
  async page(filter: LabelFilter, limit: number, after?: { labelledAt: Date; id: string }): Promise<LabelExportRow[]> {
    return this.db
      .select({
        ...getTableColumns(trainingLabels),
        // The latest label of the same content, by the order labels are exported in; null for the latest itself.
        supersededBy: sql<string | null>`(
          select newer.id from training_labels newer
          where newer.content_id = ${trainingLabels.contentId}
            and (newer.labelled_at, newer.id) > (${trainingLabels.labelledAt}, ${trainingLabels.id})
          order by newer.labelled_at desc, newer.id desc
          limit 1
        )`,
        ...CONTENT_FACTS,
      })
      .from(trainingLabels)
      .innerJoin(contents, eq(contents.id, trainingLabels.contentId))
      .where(
        and(
          this.matching(filter),
          after
            ? or(gt(trainingLabels.labelledAt, after.labelledAt), and(eq(trainingLabels.labelledAt, after.labelledAt), gt(trainingLabels.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(asc(trainingLabels.labelledAt), asc(trainingLabels.id))
      .limit(limit);
  }
}
