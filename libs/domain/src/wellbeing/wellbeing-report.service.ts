import { Injectable } from '@nestjs/common';
import { AuditRepository, ModeratorActivity, ModeratorRepository } from '@loupe/database';
import type { Principal } from '@loupe/vocabulary';

export interface ModeratorWellbeing extends ModeratorActivity {
  reveals: number;
  /** Reveals per review: how often the softened preview was not enough. */
  revealRate: number;
}

export interface TeamWellbeing {
  team: string;
  moderators: number;
  reviews: number;
  highSeverityExposures: number;
  breaks: number;
  breakMinutes: number;
  reveals: number;
  revealRate: number;
}

export interface WellbeingReport {
  from: Date;
  to: Date;
  moderators: ModeratorWellbeing[];
  teams: TeamWellbeing[];
}

const rate = (reveals: number, reviews: number) => (reviews > 0 ? Math.round((reveals / reviews) * 1000) / 1000 : 0);

/** Exposure, breaks and reveal rates per moderator and per team; a moderator sees only their own. */
@Injectable()
export class WellbeingReportService {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly audit: AuditRepository,
  ) {}

  async report(range: { from: Date; to: Date }, requester: Principal): Promise<WellbeingReport> {
    const own = requester.role === 'moderator' ? requester.id : undefined;
    const [activity, reveals] = await Promise.all([
      this.moderators.activity(range.from, range.to, own),
      this.audit.countByActor('review.reveal', range.from, range.to),
    ]);
    const moderators = activity.map((a) => {
      const count = reveals.get(a.moderatorId) ?? 0;
      return { ...a, reveals: count, revealRate: rate(count, a.reviews) };
    });
    const teams = new Map<string, TeamWellbeing>();
    for (const m of moderators) {
      const t = teams.get(m.team) ?? { team: m.team, moderators: 0, reviews: 0, highSeverityExposures: 0, breaks: 0, breakMinutes: 0, reveals: 0, revealRate: 0 };
      t.moderators += 1;
      t.reviews += m.reviews;
      t.highSeverityExposures += m.highSeverityExposures;
      t.breaks += m.breaks;
      t.breakMinutes += m.breakMinutes;
      t.reveals += m.reveals;
      t.revealRate = rate(t.reveals, t.reviews);
      teams.set(m.team, t);
    }
    return { from: range.from, to: range.to, moderators, teams: [...teams.values()] };
  }
}
