/*
 * The tables of bench/reports-seed.ts, step by step: a quarter of platform
 * history as plain SQL statements, sized by the contents and labels asked for.
 */

export const PERIOD = '2026-Q4';
export const PERIOD_FROM = '2026-10-01T00:00:00Z';
export const PERIOD_DAYS = 92;
/** One hashtag bursts in this hour: most items uploaded in it carry it and are removed. */
export const BURST_HOUR = '2026-11-15T14:00:00Z';
export const BURST_TAG = 'benchburst';
export const SCAN_UNTIL = '2026-11-15T20:00:00.000Z';

const MODERATORS = 50;
const TEAMS = ['team-a', 'team-b', 'team-c', 'team-d', 'team-e'];
const GOLD_CHECKS_PER_ITEM = 5;
const MODEL = { id: 'nsfwjs-mobilenetv2', version: '4.3.0' };

/** Share of items under each policy, for the ones the catalog has. */
export const POLICY_WEIGHTS: [string, number][] = [
  ['adult_nudity', 35],
  ['harassment', 15],
  ['spam', 15],
  ['graphic_violence', 10],
  ['hate_symbols', 8],
  ['dangerous_acts', 7],
  ['self_harm', 4],
  ['eating_disorder_promotion', 3],
  ['minor_safety', 3],
];
const REGIONS = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'ES', 'IT', 'MX'];
const LANGUAGES = ['en', 'en', 'de', 'fr', 'pt', 'hi', 'ja', 'es', 'it', 'es'];
const HASHTAGS =
  'fyp funny travel food music dance pets cats dogs fitness art fashion beauty gaming sports nature diy memes tech cars love style summer winter holiday party comedy news kids family school work money crypto challenge prank vlog photo ootd makeup'.split(
    ' ',
  );
const WORDS =
  'sunset beach morning coffee friends weekend city lights mountain river garden kitchen recipe dinner lunch breakfast workout training running cycling guitar piano concert festival street market vintage camera portrait puppy kitten birthday wedding sunrise forest ocean island road trip adventure skyline rooftop neon rain snow autumn spring flowers painting sketch comic hoodie sneakers gym yoga'.split(
    ' ',
  );

export const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlArray = (values: string[]) => `array[${values.map(sqlText).join(',')}]`;

interface Counts {
  hash: number;
  modelRemoved: number;
  review: number;
  reported: number;
  gold: number;
  appeals: number;
  bankEntries: number;
}

/** How many items take each path, from the two sizes asked for. */
export function plannedCounts(contents: number, labels: number): Counts {
  const counts = {
    hash: Math.round(contents * 0.015),
    modelRemoved: Math.round(contents * 0.025),
    // Every training label is one human-decided case: model review, user report, or appeal.
    review: Math.round(labels * 0.65),
    reported: Math.round(labels * 0.27),
    appeals: 0,
    gold: Math.max(10, Math.round(labels * 0.02)),
    bankEntries: Math.max(100, Math.round(contents / 1000)),
  };
  counts.appeals = labels - counts.review - counts.reported;
  if (counts.hash + counts.modelRemoved + counts.review + counts.reported + counts.gold > contents) {
    throw new Error(`--labels ${labels} is too many for --contents ${contents}`);
  }
  return counts;
}

interface Step {
  table: string;
  sql: string[];
}

/** The seed, table by table: plain SQL over a plan of every item's path, all in one session. */
export function seedSteps(n: number, c: Counts, policyCase: string): Step[] {
  const M = MODERATORS;
  const span = (PERIOD_DAYS * 86_400) / n;
  const edges = [c.hash, c.modelRemoved, c.review, c.reported, c.gold].reduce<number[]>((acc, x) => [...acc, (acc.at(-1) ?? 0) + x], []);
  const mod = (expr: string) => `md5('mod' || (${expr}))::uuid`;
  const label = (policy: string, violating: string) =>
    `jsonb_build_array(jsonb_build_object('policyId', ${policy}, 'violating', ${violating}) || case when ${policy} = 'eating_disorder_promotion' then jsonb_build_object('nuance', case when ${violating} then 'promotion' else 'recovery' end) else '{}'::jsonb end)`;
  // Each moderator errs at their own rate, 3% to 14%.
  const errs = (m: string) => `(0.03 + 0.12 * (((${m}) * 7) % 10) / 10.0)`;
  const lowScores = `jsonb_build_object(${POLICY_WEIGHTS.map(([id]) => `${sqlText(id)}, round((random() * 0.25)::numeric, 4)`).join(', ')})`;
  return [
    {
      table: 'plan',
      sql: [
        `select setseed(0.4242)`,
        `create temp table pol as select id, review_threshold as rev, remove_threshold as rem, severity, requires_consensus as consensus from policies`,
        `create temp table plan0 as
          with base as (select i, random() as rk_r, random() as rp, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6, random() as r7
                        from generate_series(1, ${n}) i)
          select i, md5('c' || i)::uuid as cid, row_number() over (order by rk_r) as rk, rp, r1, r2, r3, r4, r5, r6, r7,
            timestamptz '${PERIOD_FROM}' + ((i - 1) + r1) * ${span} * interval '1 second' as at
          from base`,
        `create temp table plan as
          select p.*, pol.rev, pol.rem, pol.severity, (pol.consensus or p.r6 < 0.15) as consensus,
            case p.route when 'review' then p.r2 < 0.4 when 'reported' then p.r2 < 0.5 when 'gold' then p.r2 < 0.5 else p.route in ('hash', 'model_removed') end as truth
          from (
            select q.*, 1 + (q.i % ${c.bankEntries}) as entry,
              case when q.route = 'hash' then case when (1 + q.i % ${c.bankEntries}) % 2 = 0 then 'adult_nudity' else 'minor_safety' end
                   when q.burst then 'harassment' else ${policyCase} end as policy,
              1 + floor(power(q.r6, 1.5) * 10)::int as place
            from (
              select p0.*, case when p0.rk <= ${edges[0]} then 'hash' when p0.rk <= ${edges[1]} then 'model_removed' when p0.rk <= ${edges[2]} then 'review'
                  when p0.rk <= ${edges[3]} then 'reported' when p0.rk <= ${edges[4]} then 'gold'
                  when p0.at >= timestamptz '${BURST_HOUR}' and p0.at < timestamptz '${BURST_HOUR}' + interval '1 hour' and p0.r5 < 0.6 then 'model_removed'
                  else 'allowed' end as route,
                p0.rk > ${edges[4]} and p0.at >= timestamptz '${BURST_HOUR}' and p0.at < timestamptz '${BURST_HOUR}' + interval '1 hour' and p0.r5 < 0.6 as burst
              from plan0 p0) q) p
          join pol on pol.id = p.policy`,
        `alter table plan add column score float8, add column case_at timestamptz, add column decided_at timestamptz, add column required int`,
        `update plan set
            score = case route when 'model_removed' then rem + (1 - rem) * r3 * 0.999 when 'review' then rev + (rem - rev) * r3 * 0.999
              when 'reported' then case when truth and r4 < 0.4 then rev - 0.05 * r3 - 0.0001 else rev * 0.9 * r3 end else rev * 0.9 * r3 end,
            case_at = case route when 'review' then at + interval '5 seconds' when 'reported' then at + (1 + 71 * r4) * interval '1 hour' end,
            required = case when route in ('review', 'reported') then case when consensus then 3 else 1 end end`,
        `update plan set decided_at = case_at + (1 + 23 * r5) * interval '1 hour' where case_at is not null`,
        `create index on plan (i)`,
        `drop table plan0`,
        `analyze plan`,
      ],
    },
    {
      table: 'moderators',
      sql: [
        `insert into api_keys (id, name, role, key_hash, key_prefix, created_at)
          select ${mod('m')}, 'bench-moderator-' || m, 'moderator', md5('kh' || m) || md5('kh2' || m), 'bench', timestamptz '2026-09-01'
          from generate_series(0, ${M - 1}) m`,
        `insert into moderator_profiles (api_key_id, team, senior)
          select ${mod('m')}, (${sqlArray(TEAMS)})[1 + m % ${TEAMS.length}], m % 10 = 0 from generate_series(0, ${M - 1}) m`,
      ],
    },
    {
      table: 'contents',
      sql: [
        `insert into contents (id, kind, status, media_sha256, media_path, media_format, media_bytes, width, height, caption, hashtags,
            creator_id, region, language, views, view_velocity, posted_at, created_at, updated_at)
          select cid, case when i % 10 = 0 then 'video' else 'image' end,
            case when route in ('hash', 'model_removed') then 'removed' else 'allowed' end,
            md5('m' || i) || md5('n' || i), 'bench/' || i, case when i % 10 = 0 then 'mp4' else 'jpeg' end, 50000 + i % 500000, 1080, 1350,
            array_to_string(array(select (${sqlArray(WORDS)})[1 + floor(random() * ${WORDS.length})::int] from generate_series(1, 3 + p.i % 5)), ' '),
            array(select (${sqlArray(HASHTAGS)})[1 + floor(power(random(), 2) * ${HASHTAGS.length})::int] from generate_series(1, p.i % 4))
              || case when burst or r7 < 0.0005 then array[${sqlText(BURST_TAG)}] else '{}'::text[] end,
            'creator-' || (i % 20011), (${sqlArray(REGIONS)})[place], (${sqlArray(LANGUAGES)})[place],
            floor(power(r7, 3) * 100000)::bigint, 0, at, at, at
          from plan p`,
      ],
    },
    {
      table: 'hash banks',
      sql: [
        `insert into hash_banks (id, name, policy_id, kind, action, created_at, updated_at) values
          (md5('bank0')::uuid, 'bench-adult', 'adult_nudity', 'block', 'remove', timestamptz '2026-09-01', timestamptz '2026-09-01'),
          (md5('bank1')::uuid, 'bench-minor', 'minor_safety', 'block', 'remove', timestamptz '2026-09-01', timestamptz '2026-09-01')`,
        `insert into hash_bank_entries (id, bank_id, signal_type, hash, quality, source, created_at, updated_at)
          select md5('e' || e)::uuid, md5('bank' || (e % 2))::uuid, 'pdq', md5('eh' || e) || md5('eh2' || e), 100, 'bench', timestamptz '2026-09-01', timestamptz '2026-09-01'
          from generate_series(1, ${c.bankEntries}) e`,
        `insert into bank_hash_items (entry_id, bank_id, hash, quality) select id, bank_id, hash, quality from hash_bank_entries order by seq`,
      ],
    },
    {
      table: 'content_hashes',
      sql: [
        `insert into content_hashes (id, content_id, signal_type, hash, quality, created_at)
          select md5('h' || i)::uuid, cid, 'pdq', md5('ph' || i) || md5('ph2' || i), 90, at + interval '1 second' from plan`,
      ],
    },
    {
      table: 'content_matches',
      sql: [
        `insert into content_matches (content_id, entry_id, bank_id, distance, disposition, created_at)
          select cid, md5('e' || entry)::uuid, md5('bank' || (entry % 2))::uuid, floor(r3 * 20)::int, 'actioned', at + interval '2 seconds'
          from plan where route = 'hash'`,
      ],
    },
    {
      table: 'model_scores',
      sql: [
        `insert into model_scores (id, content_id, model_id, model_version, backend, outputs, policy_scores, serving_role, acted, created_at)
          select md5('s' || i)::uuid, cid, ${sqlText(MODEL.id)}, ${sqlText(MODEL.version)}, 'tfjs-node',
            jsonb_build_object('Porn', round((r3 * 0.5)::numeric, 4), 'Sexy', round((r4 * 0.3)::numeric, 4), 'Neutral', round((1 - r3 * 0.5)::numeric, 4)),
            ${lowScores} || jsonb_build_object(policy, round(score::numeric, 4)), 'champion', true, at + interval '4 seconds'
          from plan where route <> 'hash'`,
      ],
    },
    {
      table: 'content_decisions (routing)',
      sql: [
        `insert into content_decisions (id, content_id, outcome, source, reason, policy_ids, model_version, bank_entry_id, match_distance, thresholds, created_at)
          select md5('d1' || i)::uuid, cid,
            case when route in ('hash', 'model_removed') then 'removed' when route = 'review' then 'in_review' else 'allowed' end,
            case when route = 'hash' then 'hash' else 'model' end,
            case when route = 'hash' then 'matched bench bank entry at distance ' || floor(r3 * 20)::int
                 when route = 'model_removed' then policy || ' scored ' || round(score::numeric, 3) || ' >= remove threshold ' || rem
                 when route = 'review' then policy || ' scored ' || round(score::numeric, 3) || ' >= review threshold ' || rev
                 else 'no policy score reached its review threshold' end,
            case when route in ('hash', 'model_removed', 'review') then array[policy] else '{}'::text[] end,
            case when route <> 'hash' then ${sqlText(`${MODEL.id}@${MODEL.version}`)} end,
            case when route = 'hash' then md5('e' || entry)::uuid end,
            case when route = 'hash' then floor(r3 * 20)::int end,
            case when route <> 'hash' then $1::jsonb end,
            at + case when route = 'hash' then interval '2 seconds' else interval '5 seconds' end
          from plan`,
      ],
    },
    {
      table: 'review_cases',
      sql: [
        // Each reviewer's verdict: the truth, unless they err (at their own rate).
        `create temp table votes as
          select p.i, k, p.required, ((p.i % ${M}) + 17 * k) % ${M} as m,
            case when random() < ${errs(`((p.i % ${M}) + 17 * k) % ${M}`)} then not p.truth else p.truth end as violating,
            p.case_at + (p.decided_at - p.case_at) * k / p.required as at
          from plan p cross join lateral generate_series(1, p.required) k
          where p.route in ('review', 'reported')`,
        `create temp table verdicts as
          select i, count(*) filter (where violating) * 2 > count(*) as removed, count(*) as reviews,
            greatest(count(*) filter (where violating), count(*) filter (where not violating))::float8 / count(*) as agreement,
            array_agg(${mod('m')} order by k) as moderators, (array_agg(m order by k desc))[1] as last_m
          from votes group by i`,
        `insert into review_cases (id, content_id, queue_id, source, status, severity, policy_ids, reason, priority, sla_deadline, required_reviews, reports_count,
            final_outcome, provenance, agreement, created_at, updated_at, decided_at)
          select md5('rc' || p.i)::uuid, p.cid, 'default', case p.route when 'review' then 'model' else 'report' end, 'decided', p.severity, array[p.policy],
            case p.route when 'review' then 'model: ' || p.policy else 'user report: ' || p.policy end, 1 + p.r3 * 10, p.case_at + interval '1 day', p.required,
            case when p.route = 'reported' then 1 + p.i % 3 else 0 end,
            case when v.removed then 'removed' else 'allowed' end, case when p.required > 1 then 'consensus' else 'single_review' end, v.agreement,
            p.case_at, p.decided_at, p.decided_at
          from plan p join verdicts v using (i)`,
      ],
    },
    {
      table: 'review_tasks',
      sql: [
        `insert into review_tasks (id, case_id, content_id, queue, status, priority, severity, reason, lease_holder_id, leased_at, completed_at, created_at, updated_at)
          select md5('rt' || v.i || '.' || v.k)::uuid, md5('rc' || v.i)::uuid, p.cid, 'default', 'done', 1 + p.r3 * 10, p.severity,
            case p.route when 'review' then 'model' else 'report' end, ${mod('v.m')}, v.at - interval '2 minutes', v.at, p.case_at, v.at
          from votes v join plan p using (i)`,
      ],
    },
    {
      table: 'review_decisions',
      sql: [
        `insert into review_decisions (id, task_id, case_id, content_id, moderator_id, labels, outcome, action, note, time_spent_ms, created_at)
          select md5('rd' || v.i || '.' || v.k)::uuid, md5('rt' || v.i || '.' || v.k)::uuid, md5('rc' || v.i)::uuid, p.cid, ${mod('v.m')},
            ${label('p.policy', 'v.violating')}, case when v.violating then 'removed' else 'allowed' end, case when v.violating then 'remove' else 'allow' end,
            case when random() < 0.1 then 'borderline: ' || p.policy end, (5000 + random() * 60000)::int, v.at
          from votes v join plan p using (i)`,
      ],
    },
    {
      table: 'content_decisions (moderators)',
      sql: [
        `insert into content_decisions (id, content_id, outcome, source, reason, policy_ids, actor_id, created_at)
          select md5('d2' || p.i)::uuid, p.cid, case when v.removed then 'removed' else 'allowed' end, 'human',
            case when v.removed then 'moderator: violates ' || p.policy else 'moderator: no violation' end,
            case when v.removed then array[p.policy] else '{}'::text[] end, ${mod('v.last_m')}, p.decided_at
          from plan p join verdicts v using (i)`,
      ],
    },
    {
      table: 'content_reports',
      sql: [
        `insert into content_reports (content_id, policy_id, reason, reporter_ref, case_id, created_at)
          select p.cid, p.policy, 'user report', 'user-' || ((p.i * 31 + k) % 100003), md5('rc' || p.i)::uuid,
            p.case_at + (k - 1) * p.r7 * interval '1 hour'
          from plan p cross join lateral generate_series(1, 1 + p.i % 3) k where p.route = 'reported'`,
        // Some items the model sent to review were reported too before a moderator decided.
        `insert into content_reports (content_id, policy_id, reason, reporter_ref, case_id, created_at)
          select cid, policy, 'user report', 'user-' || (i % 100003), md5('rc' || i)::uuid, at + interval '30 minutes'
          from plan where route = 'review' and r7 < 0.2`,
      ],
    },
    {
      table: 'gold_items',
      sql: [
        `insert into gold_items (id, content_id, labels, active, created_at)
          select md5('g' || i)::uuid, cid, ${label('policy', 'truth')}, true, at + interval '1 day' from plan where route = 'gold'`,
        `create temp table gvotes as
          select p.i, k, (p.i + 11 * k) % ${M} as m, p.at + interval '1 day' + k * interval '1 hour' as at,
            case when random() < ${errs(`(p.i + 11 * k) % ${M}`)} then not p.truth else p.truth end as violating
          from plan p cross join generate_series(1, ${GOLD_CHECKS_PER_ITEM}) k where p.route = 'gold'`,
        `insert into review_cases (id, content_id, queue_id, source, status, severity, policy_ids, reason, priority, sla_deadline, gold_item_id,
            final_outcome, provenance, created_at, updated_at, decided_at)
          select md5('gc' || g.i || '.' || g.k)::uuid, p.cid, 'default', 'gold', 'decided', p.severity, array[p.policy], 'gold check', 1,
            g.at + interval '1 day', md5('g' || g.i)::uuid, case when g.violating then 'removed' else 'allowed' end, 'gold', g.at, g.at + interval '10 minutes', g.at + interval '10 minutes'
          from gvotes g join plan p using (i)`,
        `insert into review_tasks (id, case_id, content_id, queue, status, priority, severity, reason, lease_holder_id, leased_at, completed_at, created_at, updated_at)
          select md5('gt' || g.i || '.' || g.k)::uuid, md5('gc' || g.i || '.' || g.k)::uuid, p.cid, 'default', 'done', 1, p.severity, 'gold', ${mod('g.m')},
            g.at + interval '8 minutes', g.at + interval '10 minutes', g.at, g.at + interval '10 minutes'
          from gvotes g join plan p using (i)`,
        `insert into review_decisions (id, task_id, case_id, content_id, moderator_id, labels, outcome, action, time_spent_ms, gold_correct, created_at)
          select md5('gd' || g.i || '.' || g.k)::uuid, md5('gt' || g.i || '.' || g.k)::uuid, md5('gc' || g.i || '.' || g.k)::uuid, p.cid, ${mod('g.m')},
            ${label('p.policy', 'g.violating')}, case when g.violating then 'removed' else 'allowed' end, case when g.violating then 'remove' else 'allow' end,
            (5000 + random() * 60000)::int, g.violating = p.truth, g.at + interval '10 minutes'
          from gvotes g join plan p using (i)`,
      ],
    },
    {
      table: 'appeals',
      sql: [
        `create temp table ap as
          select row_number() over () as n, d.*, d.removed_at + (1 + 4 * random()) * interval '1 day' as appealed_at, random() < 0.3 as overturned,
            (floor(random() * ${M}))::int as m, random() as r
          from (select distinct on (content_id) id as did, content_id, policy_ids, created_at as removed_at
                from content_decisions where outcome = 'removed' order by content_id, created_at, id) d
          order by random() limit ${c.appeals}`,
        `alter table ap add column decided_at timestamptz`,
        `update ap set decided_at = appealed_at + (1 + 47 * r) * interval '1 hour'`,
        `insert into appeals (id, content_id, decision_id, statement, status, case_id, created_at, decided_at)
          select md5('ap' || n)::uuid, content_id, did, 'This does not break the rules.', case when overturned then 'overturned' else 'upheld' end,
            md5('apc' || n)::uuid, appealed_at, decided_at from ap`,
        `insert into review_cases (id, content_id, queue_id, source, status, severity, policy_ids, reason, priority, sla_deadline, appeal_id,
            final_outcome, provenance, created_at, updated_at, decided_at)
          select md5('apc' || n)::uuid, content_id, 'appeals', 'appeal', 'decided', 'high', policy_ids, 'appeal', 2, appealed_at + interval '2 days',
            md5('ap' || n)::uuid, case when overturned then 'allowed' else 'removed' end, 'appeal', appealed_at, decided_at, decided_at from ap`,
        `insert into review_tasks (id, case_id, content_id, queue, status, priority, severity, reason, lease_holder_id, leased_at, completed_at, created_at, updated_at)
          select md5('apt' || n)::uuid, md5('apc' || n)::uuid, content_id, 'appeals', 'done', 2, 'high', 'appeal', ${mod('m')},
            decided_at - interval '5 minutes', decided_at, appealed_at, decided_at from ap`,
        `insert into review_decisions (id, task_id, case_id, content_id, moderator_id, labels, outcome, action, time_spent_ms, created_at)
          select md5('apd' || n)::uuid, md5('apt' || n)::uuid, md5('apc' || n)::uuid, content_id, ${mod('m')},
            ${label("coalesce(policy_ids[1], 'spam')", 'not overturned')}, case when overturned then 'allowed' else 'removed' end,
            case when overturned then 'allow' else 'remove' end, (10000 + random() * 90000)::int, decided_at from ap`,
        `insert into content_decisions (id, content_id, outcome, source, reason, policy_ids, actor_id, overturns_decision_id, created_at)
          select md5('d3' || n)::uuid, content_id, 'allowed', 'human', 'appeal: removal overturned', '{}'::text[], ${mod('m')}, did, decided_at
          from ap where overturned`,
      ],
    },
    {
      table: 'training_labels',
      sql: [
        `insert into training_labels (id, content_id, decision_id, case_id, labels, outcome, provenance, agreement, moderator_ids, labeller_passing_gold,
            labeller_id, labelled_at, model_scores, created_at)
          select md5('tl' || p.i)::uuid, p.cid, md5('rd' || p.i || '.' || p.required)::uuid, md5('rc' || p.i)::uuid, ${label('p.policy', 'v.removed')},
            case when v.removed then 'removed' else 'allowed' end, case when p.required > 1 then 'consensus' else 'single_review' end, v.agreement,
            v.moderators, true, ${mod('v.last_m')}, p.decided_at, '[]'::jsonb, p.decided_at
          from plan p join verdicts v using (i)`,
        `insert into training_labels (id, content_id, decision_id, case_id, labels, outcome, provenance, agreement, moderator_ids, labeller_id, labelled_at,
            model_scores, created_at)
          select md5('tla' || n)::uuid, content_id, md5('apd' || n)::uuid, md5('apc' || n)::uuid, ${label("coalesce(policy_ids[1], 'spam')", 'not overturned')},
            case when overturned then 'allowed' else 'removed' end, 'appeal', 1, array[${mod('m')}], ${mod('m')}, decided_at, '[]'::jsonb, decided_at
          from ap`,
      ],
    },
    {
      table: 'content_view_samples',
      sql: [
        // What the platform had counted just before each removal, and a few samples of every tenth item.
        `insert into content_view_samples (content_id, views, velocity_per_hour, observed_at)
          select content_id, case when source = 'human' then floor(power(random(), 2) * 20000)::bigint else 0 end, random() * 100, created_at - interval '1 second'
          from content_decisions where outcome = 'removed'`,
        `insert into content_view_samples (content_id, views, velocity_per_hour, observed_at)
          select cid, floor(power(r7, 3) * 100000 * h / 24)::bigint, power(r7, 3) * 4000, at + h * interval '1 hour'
          from plan cross join (values (1), (24)) as hours(h) where r6 < 0.1`,
      ],
    },
    {
      table: 'contents (statuses)',
      sql: [
        `update contents c set status = x.outcome, updated_at = x.created_at
          from (select distinct on (content_id) content_id, outcome, created_at from content_decisions where source = 'human'
                order by content_id, created_at desc, id desc) x
          where c.id = x.content_id and c.status <> x.outcome`,
        `drop table plan, pol, votes, verdicts, gvotes, ap`,
      ],
    },
    { table: 'analyze', sql: ['analyze'] },
  ];
}
