import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import type { ViewEvent } from '@loupe/domain/analysis';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = new Set(['contentId', 'views', 'shares', 'reports', 'observedAt']);

type Problem = { field: string; problems: string[] };

function count(value: unknown, field: string, required: boolean, problems: Problem[]): number | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    problems.push({ field, problems: [`${field.split('.').pop()} must be a whole number, 0 or more`] });
    return undefined;
  }
  return value;
}

/**
 * Reads the body of POST /v1/views by hand rather than through
 * class-validator: a batch is thousands of events, and decorated-class
 * validation of each costs more than the database writes that follow. The
 * answer is the same as the validation pipe's: 400 request.invalid (or
 * request.unknown_field) with details.fields naming each bad field as
 * `events.<index>.<field>`, and nothing applied.
 */
export function parseViewsBatch(body: unknown, now = new Date()): ViewEvent[] {
  const problems: Problem[] = [];
  const events = (body as { events?: unknown } | null)?.events;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) problems.push({ field: 'body', problems: ['the body must be an object with events'] });
  else if (!Array.isArray(events)) problems.push({ field: 'events', problems: ['events must be an array'] });
  else {
    for (const key of Object.keys(body)) if (key !== 'events') problems.push({ field: key, problems: [`property ${key} should not exist`] });
  }
  const out: ViewEvent[] = [];
  if (Array.isArray(events)) {
    for (let i = 0; i < events.length && problems.length < 20; i++) {
      const at = `events.${i}`;
      const e = events[i] as Record<string, unknown> | null;
      if (e === null || typeof e !== 'object' || Array.isArray(e)) {
        problems.push({ field: at, problems: ['each event must be an object'] });
        continue;
      }
      for (const key of Object.keys(e)) if (!FIELDS.has(key)) problems.push({ field: `${at}.${key}`, problems: [`property ${key} should not exist`] });
      if (typeof e.contentId !== 'string' || !UUID.test(e.contentId)) problems.push({ field: `${at}.contentId`, problems: ['contentId must be a UUID'] });
      const views = count(e.views, `${at}.views`, true, problems);
      const shares = count(e.shares, `${at}.shares`, false, problems);
      const reports = count(e.reports, `${at}.reports`, false, problems);
      let observedAt = now;
      if (e.observedAt !== undefined) {
        observedAt = new Date(typeof e.observedAt === 'string' ? e.observedAt : NaN);
        if (Number.isNaN(observedAt.getTime())) problems.push({ field: `${at}.observedAt`, problems: ['observedAt must be an ISO 8601 time'] });
      }
      out.push({ contentId: e.contentId as string, views: views!, shares, reports, observedAt });
    }
  }
  if (problems.length > 0) {
    const unknown = problems.every((p) => p.problems.every((m) => m.includes('should not exist')));
    throw ApiError.badRequest(unknown ? 'request.unknown_field' : 'request.invalid', problems.map((p) => `${p.field}: ${p.problems.join(', ')}`).join('; '), { fields: problems });
  }
  return out;
}

@Injectable()
export class ViewsBatchPipe implements PipeTransform<unknown, ViewEvent[]> {
  transform(body: unknown): ViewEvent[] {
    return parseViewsBatch(body);
  }
}
