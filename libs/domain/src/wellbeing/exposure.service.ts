import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ModeratorRepository } from '@loupe/database';
import { Severity } from '@loupe/vocabulary';

export interface ExposureStatus {
  /** High-severity items shown in the rolling hour (since the last full break, if later). */
  lastHour: number;
  hourlyLimit: number;
  /** ...and in the rolling shift. */
  thisShift: number;
  shiftLimit: number;
  shiftHours: number;
  /** Only low- and medium-severity work is offered. */
  restricted: boolean;
  /** No work is offered until the moderator has rested. */
  breakRequired: boolean;
  /** When the budget frees up again by itself, in seconds; 0 when within budget. */
  retryAfterSeconds: number;
  message: string | null;
}

/**
 * The exposure budget: how many high-severity items a moderator is shown per
 * rolling hour and per shift. Past it, they get only low-severity queues or a
 * required break (EXPOSURE_ACTION), and the API says which, in plain words.
 * A break of at least BREAK_MINUTES restarts the hourly count.
 */
@Injectable()
export class ExposureService {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly config: LoupeConfig,
  ) {}

  async status(moderatorId: string, now = new Date()): Promise<ExposureStatus> {
    const { hourlyLimit, shiftLimit, shiftHours, action, breakMinutes } = this.config.wellbeing;
    const shiftStart = new Date(now.getTime() - shiftHours * 3600_000);
    const [shift, rest] = await Promise.all([this.moderators.highSeverityExposuresSince(moderatorId, shiftStart), this.moderators.latestBreak(moderatorId)]);
    let hourStart = new Date(now.getTime() - 3600_000);
    if (rest && rest.endsAt <= now && rest.endsAt.getTime() - rest.startedAt.getTime() >= breakMinutes * 60_000 && rest.endsAt > hourStart) {
      hourStart = rest.endsAt;
    }
    const hour = shift.filter((at) => at >= hourStart);
    const overHour = hour.length >= hourlyLimit;
    const overShift = shift.length >= shiftLimit;
    const over = overHour || overShift;
    let retryAfterSeconds = 0;
    if (overShift) retryAfterSeconds = Math.ceil((shift[shift.length - shiftLimit].getTime() + shiftHours * 3600_000 - now.getTime()) / 1000);
    else if (overHour) retryAfterSeconds = Math.ceil((hour[hour.length - hourlyLimit].getTime() + 3600_000 - now.getTime()) / 1000);
    const why = overShift
      ? `You have reviewed ${shift.length} high-severity items this shift (limit ${shiftLimit} per ${shiftHours} hours).`
      : `You have reviewed ${hour.length} high-severity items in the last hour (limit ${hourlyLimit}).`;
    const message = !over
      ? null
      : action === 'break'
        ? `${why} Please take a break of at least ${breakMinutes} minutes; new items will be offered after it.`
        : `${why} Until this eases, you will only be offered low- and medium-severity items.`;
    return {
      lastHour: hour.length,
      hourlyLimit,
      thisShift: shift.length,
      shiftLimit,
      shiftHours,
      restricted: over && action === 'low_severity',
      breakRequired: over && action === 'break',
      retryAfterSeconds: over ? Math.max(1, retryAfterSeconds) : 0,
      message,
    };
  }

  async record(moderatorId: string, taskId: string, severity: Severity): Promise<void> {
    await this.moderators.recordExposure(moderatorId, taskId, severity);
  }

  /** Records a break; one long enough restarts the hourly budget. */
  async takeBreak(moderatorId: string, minutes: number, now = new Date()): Promise<{ startedAt: Date; endsAt: Date; required: boolean }> {
    const before = await this.status(moderatorId, now);
    const row = await this.moderators.addBreak({
      moderatorId,
      startedAt: now,
      endsAt: new Date(now.getTime() + minutes * 60_000),
      required: before.breakRequired || before.restricted,
    });
    return { startedAt: row.startedAt, endsAt: row.endsAt, required: row.required };
  }
}
