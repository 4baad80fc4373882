import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { apiKeys, moderatorBreaks, moderatorExposures, moderatorProfiles, reviewDecisions } from '../schema';
import { RepositoryBase } from './repository.base';
import type { Severity } from '@loupe/vocabulary';

export type ModeratorProfileRow = typeof moderatorProfiles.$inferSelect;
export type ModeratorBreakRow = typeof moderatorBreaks.$inferSelect;

export interface ModeratorActivity {
  moderatorId: string;
  name: string;
  team: string;
  reviews: number;
  highSeverityExposures: number;
  breaks: number;
  breakMinutes: number;
}

/** Moderators: profiles, what they were exposed to, their breaks, and their gold record. */
@Injectable()
export class ModeratorRepository extends RepositoryBase {
  async profile(apiKeyId: string): Promise<ModeratorProfileRow | undefined> {
    const [row] = await this.db.select().from(moderatorProfiles).where(eq(moderatorProfiles.apiKeyId, apiKeyId));
    return row;
  }

  async upsertProfile(apiKeyId: string, values: Partial<Omit<ModeratorProfileRow, 'apiKeyId' | 'updatedAt'>>): Promise<ModeratorProfileRow> {
    const [row] = await this.db
      .insert(moderatorProfiles)
      .values({ apiKeyId, ...values })
      .onConflictDoUpdate({ target: moderatorProfiles.apiKeyId, set: { ...values, updatedAt: new Date() } })
      .returning();
    return row;
  }

  async listModerators(): Promise<{ id: string; name: string; team: string; senior: boolean; revoked: boolean }[]> {
    const rows = await this.db
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt, team: moderatorProfiles.team, senior: moderatorProfiles.senior })
      .from(apiKeys)
      .leftJoin(moderatorProfiles, eq(moderatorProfiles.apiKeyId, apiKeys.id))
      .where(eq(apiKeys.role, 'moderator'))
      .orderBy(asc(apiKeys.name));
    return rows.map((r) => ({ id: r.id, name: r.name, team: r.team ?? 'default', senior: r.senior ?? false, revoked: r.revokedAt !== null }));
  }

  async recordExposure(moderatorId: string, taskId: string, severity: Severity): Promise<void> {
    await this.db.insert(moderatorExposures).values({ moderatorId, taskId, severity });
  }

  /** High-severity exposures since `since`, oldest first (their times tell when the budget frees up). */
  async highSeverityExposuresSince(moderatorId: string, since: Date): Promise<Date[]> {
    const rows = await this.db
      .select({ at: moderatorExposures.createdAt })
      .from(moderatorExposures)
      .where(
        and(
          eq(moderatorExposures.moderatorId, moderatorId),
          inArray(moderatorExposures.severity, ['high', 'critical']),
          gte(moderatorExposures.createdAt, since),
        ),
      )
      .orderBy(asc(moderatorExposures.createdAt));
    return rows.map((r) => r.at);
  }

  async addBreak(values: { moderatorId: string; startedAt: Date; endsAt: Date; required: boolean }): Promise<ModeratorBreakRow> {
    const [row] = await this.db.insert(moderatorBreaks).values(values).returning();
    return row;
  }

  async latestBreak(moderatorId: string): Promise<ModeratorBreakRow | undefined> {
    const [row] = await this.db
      .select()
      .from(moderatorBreaks)
      .where(eq(moderatorBreaks.moderatorId, moderatorId))
      .orderBy(desc(moderatorBreaks.startedAt))
      .limit(1);
    return row;
  }

  /** The moderator's last `window` gold answers, newest first: true where they matched the known answer. */
  async recentGoldResults(moderatorId: string, window: number): Promise<boolean[]> {
    const rows = await this.db
      .select({ correct: reviewDecisions.goldCorrect })
      .from(reviewDecisions)
      .where(and(eq(reviewDecisions.moderatorId, moderatorId), isNotNull(reviewDecisions.goldCorrect)))
      .orderBy(desc(reviewDecisions.createdAt))
      .limit(window);
    return rows.map((r) => r.correct === true);
  }

  /** Per moderator between `from` and `to`: reviews, high-severity exposures and breaks. */
  async activity(from: Date, to: Date, moderatorId?: string): Promise<ModeratorActivity[]> {
    const inRange = (column: typeof reviewDecisions.createdAt) => and(gte(column, from), lt(column, to));
    const reviews = this.db
      // Drizzle names a subquery's computed columns bare in the outer select, so each needs a name of its own.
      .select({ moderatorId: reviewDecisions.moderatorId, n: sql<number>`count(*)::int`.as('review_count') })
      .from(reviewDecisions)
      .where(inRange(reviewDecisions.createdAt))
      .groupBy(reviewDecisions.moderatorId)
      .as('reviews');
    const exposures = this.db
      .select({ moderatorId: moderatorExposures.moderatorId, n: sql<number>`count(*)::int`.as('exposure_count') })
      .from(moderatorExposures)
      .where(and(inArray(moderatorExposures.severity, ['high', 'critical']), gte(moderatorExposures.createdAt, from), lt(moderatorExposures.createdAt, to)))
      .groupBy(moderatorExposures.moderatorId)
      .as('exposures');
    const breaks = this.db
      .select({
        moderatorId: moderatorBreaks.moderatorId,
        n: sql<number>`count(*)::int`.as('break_count'),
        minutes: sql<number>`coalesce(sum(extract(epoch from (${moderatorBreaks.endsAt} - ${moderatorBreaks.startedAt})) / 60), 0)::float8`.as('break_minutes'),
      })
      .from(moderatorBreaks)
      .where(and(gte(moderatorBreaks.startedAt, from), lt(moderatorBreaks.startedAt, to)))
      .groupBy(moderatorBreaks.moderatorId)
      .as('breaks');
    const rows = await this.db
      .select({
        moderatorId: apiKeys.id,
        name: apiKeys.name,
        team: moderatorProfiles.team,
        reviews: reviews.n,
        exposures: exposures.n,
        breaks: breaks.n,
        breakMinutes: breaks.minutes,
      })
      .from(apiKeys)
      .leftJoin(moderatorProfiles, eq(moderatorProfiles.apiKeyId, apiKeys.id))
      .leftJoin(reviews, eq(reviews.moderatorId, apiKeys.id))
      .leftJoin(exposures, eq(exposures.moderatorId, apiKeys.id))
      .leftJoin(breaks, eq(breaks.moderatorId, apiKeys.id))
      .where(and(eq(apiKeys.role, 'moderator'), moderatorId ? eq(apiKeys.id, moderatorId) : undefined))
      .orderBy(asc(apiKeys.name));
    return rows.map((r) => ({
      moderatorId: r.moderatorId,
      name: r.name,
      team: r.team ?? 'default',
      reviews: r.reviews ?? 0,
      highSeverityExposures: r.exposures ?? 0,
      breaks: r.breaks ?? 0,
      breakMinutes: Math.round(r.breakMinutes ?? 0),
    }));
  }
}
