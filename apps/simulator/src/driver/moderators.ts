/**
 * The simulated moderators at work: on shift, within their wellbeing budget,
 * each claims the next task (GET /v1/review/next), takes their time on it and
 * decides it with their accuracy per policy; what the decision did to the
 * item goes back to the driver.
 */
import type { LoupeHttp } from '../loupe/http';
import { ANY_POLICY, HOUR, MINUTE, ModeratorProfile, World, WorldItem } from '../world/world';
import type { ItemRecord, Ledger } from './ledger';

const HIGH_SEVERITY = new Set(['high', 'critical']);

export interface Moderator {
  profile: ModeratorProfile;
  http: LoupeHttp;
  /** Simulated ms until which they are busy. */
  busyUntil: number;
  /** Simulated times of the high-severity items they were shown (for the budget, per simulated hour). */
  exposure: number[];
  /**
   * Their random draws for one review: a stream of its own per item and task
   * source. Claim order follows Loupe's timing (which of the concurrent
   * uploads reached the queue first), so draws taken from one stream in
   * claim order gave a different judgement to every later item whenever
   * two tasks swapped places; this way a moderator judges an item the same
   * whenever it reaches them.
   */
  draws(itemIndex: number, source: string): () => number;
}

/** What the desk needs of the driver. */
export interface DeskContext {
  world: World;
  ledger: Ledger;
  byContent: ReadonlyMap<string, ItemRecord>;
  /** History items made gold items, by content id: what a gold task shows. */
  goldContents: ReadonlyMap<string, WorldItem>;
  /** The platform's client (a service key), set once the driver has made it. */
  service(): LoupeHttp;
  /** Applies a status Loupe reports for an item at simulated time `at`. */
  applyStatus(record: ItemRecord, status: string, at: number, removedBy: ItemRecord['removedBy']): void;
  /** Counts a review in the current step. */
  reviewed(): void;
}

export interface SimLabel {
  policyId: string;
  violating: boolean;
  nuance?: string;
}

/**
 * A moderator's labels for an item: every policy the task asks about and
 * every policy it truly violates, each right with the moderator's accuracy
 * for that policy; `correct` when all are. The rest of the policies the
 * world knows are labelled not violating: a review looks at the whole item,
 * as review tools that list every policy ask, so that each policy's model
 * learns from items of every kind, not only from those reported under it.
 */
export function judge(m: Moderator, item: WorldItem, taskPolicyIds: readonly string[], random: () => number): { labels: SimLabel[]; correct: boolean } {
  const policies = [...new Set<string>([...taskPolicyIds, ...item.violates])];
  if (policies.length === 0) policies.push('spam');
  let correct = true;
  const labels = policies.map((policyId) => {
    const truth = item.violates.includes(policyId);
    const right = random() < (m.profile.accuracy[policyId] ?? m.profile.accuracy.default);
    if (!right) correct = false;
    const violating = right ? truth : !truth;
    const label: SimLabel = { policyId, violating };
    if (policyId === 'eating_disorder_promotion' && item.nuance) label.nuance = violating ? 'promotion' : 'recovery';
    return label;
  });
  for (const policyId of ANY_POLICY) if (!policies.includes(policyId)) labels.push({ policyId, violating: false });
  return { labels, correct };
}

export class ModeratorDesk {
  readonly moderators: Moderator[] = [];
  /** Queues worked before any other while they have tasks (a watch's, as a team lead would staff an incident). */
  readonly firstQueues: string[] = [];

  constructor(private readonly ctx: DeskContext) {}

  onShift(m: Moderator, at: number): boolean {
    const hour = Math.floor(at / HOUR) % 24;
    const [start, end] = m.profile.shift;
    return hour >= start && hour < end;
  }

  /**
   * The moderators on shift work the step's minutes: the one free soonest
   * claims the next task (GET /v1/review/next), spends their time on it and
   * decides it, until the step ends or the queue has nothing for them.
   */
  async moderate(from: number, to: number): Promise<void> {
    const cursors = new Map<Moderator, number>();
    for (const m of this.moderators) if (this.onShift(m, from)) cursors.set(m, Math.max(from, m.busyUntil));
    for (;;) {
      let m: Moderator | undefined;
      for (const [candidate, at] of cursors) if (at < to && (!m || at < cursors.get(m)!)) m = candidate;
      if (!m) break;
      const at = cursors.get(m)!;
      m.exposure = m.exposure.filter((t) => t > at - HOUR);
      if (m.exposure.length >= m.profile.hourlyExposure) {
        // The wellbeing budget, in simulated time: a 15-minute break.
        this.ctx.ledger.breaks++;
        cursors.set(m, at + 15 * MINUTE);
        continue;
      }
      let task: any;
      try {
        task = await this.claim(m);
      } catch (error) {
        this.ctx.ledger.errors.push(`claim by ${m.profile.name}: ${(error as Error).message}`);
        task = null;
      }
      if (task === 'break') {
        this.ctx.ledger.breaks++;
        cursors.set(m, at + 15 * MINUTE);
        continue;
      }
      if (!task) {
        cursors.set(m, to); // nothing for them until the next step
        continue;
      }
      const decidedAt = await this.decide(m, task, at);
      cursors.set(m, decidedAt);
      m.busyUntil = decidedAt;
    }
  }

  /** The next task from the first queues, else from any (GET /v1/review/next); 'break' when Loupe asks for one. */
  private async claim(m: Moderator): Promise<any> {
    for (const queue of [...this.firstQueues, undefined]) {
      const path = queue ? `/v1/review/next?queue=${encodeURIComponent(queue)}` : '/v1/review/next';
      const answer = await m.http.send<any>('GET', path, undefined, [200, 204, 423]);
      if (answer.status === 423) return 'break';
      if (answer.status === 200) return answer.body;
    }
    return null;
  }

  /** A gold task: judged like any task (it looks like one), in the human cost, with nothing to apply to the day's items. */
  private async decideGold(m: Moderator, task: any, item: WorldItem, at: number): Promise<number> {
    const random = m.draws(item.index, 'gold');
    const seconds = Math.max(m.profile.secondsPerItem / 5, -Math.log(1 - random()) * m.profile.secondsPerItem);
    const { labels, correct } = judge(m, item, task.policyIds ?? [], random);
    if (HIGH_SEVERITY.has(task.severity)) m.exposure.push(at);
    try {
      await m.http.post(`/v1/review/tasks/${task.id}/decision`, { labels, note: 'simulated review' });
    } catch (error) {
      this.ctx.ledger.errors.push(`gold decision by ${m.profile.name} on history item ${item.index}: ${(error as Error).message}`);
    }
    this.ctx.reviewed();
    this.ctx.ledger.gold?.reviews.push({
      moderator: m.profile.name,
      source: 'gold',
      correct,
      claimedAt: at,
      seconds,
      labels: labels.map((l) => ({ policyId: l.policyId, violating: l.violating, truth: item.violates.includes(l.policyId) })),
    });
    return at + seconds * 1000;
  }

  private async decide(m: Moderator, task: any, at: number): Promise<number> {
    const record = this.ctx.byContent.get(task.content.id);
    const gold = record ? undefined : this.ctx.goldContents.get(task.content.id);
    if (gold) return this.decideGold(m, task, gold, at);
    if (!record) {
      // Not the simulation's content (a shared deployment): give it back untouched.
      this.ctx.ledger.foreignTasks++;
      await m.http.post(`/v1/review/tasks/${task.id}/release`, { reason: 'simulator: not simulated content' }).catch(() => undefined);
      return at + 5_000;
    }
    const item = this.ctx.world.items[record.index];
    const source: string = task.source;
    const enteredAt = Math.min(at, record.reviewEntry[source] ?? record.reviewEntry.report ?? record.uploadedAt);
    const claimedAt = Math.max(at, enteredAt);
    const random = m.draws(item.index, source);
    const seconds = Math.max(m.profile.secondsPerItem / 5, -Math.log(1 - random()) * m.profile.secondsPerItem);
    const { labels, correct } = judge(m, item, task.policyIds ?? [], random);
    if (HIGH_SEVERITY.has(task.severity)) m.exposure.push(claimedAt);
    const decidedAt = claimedAt + seconds * 1000;
    let outcome = 'error';
    try {
      const decision = await m.http.post<{ outcome: string }>(`/v1/review/tasks/${task.id}/decision`, { labels, note: 'simulated review' });
      outcome = decision.outcome;
    } catch (error) {
      this.ctx.ledger.errors.push(`decision by ${m.profile.name} on ${record.index}: ${(error as Error).message}`);
    }
    this.ctx.reviewed();
    this.ctx.ledger.reviews.push({
      taskId: task.id,
      index: record.index,
      moderator: m.profile.name,
      source,
      enteredAt,
      claimedAt,
      decidedAt,
      seconds,
      saidViolating: labels.some((l) => l.violating),
      correct,
      benign: item.violates.length === 0,
      labels: labels.map((l) => ({ policyId: l.policyId, violating: l.violating, truth: item.violates.includes(l.policyId) })),
      outcome,
    });
    // What the decision did to the item (a consensus case may wait for more reviews).
    const content = await this.ctx.service().get(`/v1/contents/${record.contentId}`);
    if (source === 'appeal' && record.appealedAt !== null) {
      record.appealOutcome = content.status === 'removed' ? 'upheld' : 'overturned';
      if (content.status !== 'removed') record.reinstatedAt = decidedAt;
    }
    if (content.status !== record.status) this.ctx.applyStatus(record, content.status, decidedAt, 'human');
    return decidedAt;
  }
}
