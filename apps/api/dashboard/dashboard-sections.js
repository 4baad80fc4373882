// The four sections of the dashboard, each drawn from one API answer. Every
// chart has its numbers beside it as a table (in a <details>), for screen
// readers and for anyone who wants the exact figures.
import { barChart, formatNumber, formatPercent, lineChart, PALETTE, sparkline, stackedBarChart } from './charts.js';

const CAUSES = [
  ['human_error', 'Human error'],
  ['hash_variant', 'Hash variant'],
  ['no_model', 'No model'],
  ['near_threshold', 'Near threshold'],
  ['blind_spot', 'Blind spot'],
];

/** A DOM element: h('p', { class: 'x' }, 'text', child). Text goes in as text, never as HTML. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

const empty = (name, message = 'No data for this period.') => h('p', { class: 'empty', 'data-empty': name }, message);

/** A chart in a figure, with its caption and the numbers as a table. */
function figure(caption, chart, columns, rows) {
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, caption),
    chart,
    rows.length ? h('details', {}, h('summary', {}, 'The numbers'), table(columns, rows)) : null,
  );
}

function table(columns, rows) {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell ?? '—'))))),
  );
}

function bigNumber(key, label, value, text, detail) {
  return h(
    'div',
    { class: 'figure', 'data-figure': key, 'data-value': value ?? '' },
    h('span', { class: 'figure-value' }, text),
    h('span', { class: 'figure-label' }, label),
    detail ? h('span', { class: 'figure-detail' }, detail) : null,
  );
}

export function formatDuration(seconds) {
  if (typeof seconds !== 'number') return 'n/a';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

const formatTime = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');

export function renderMisses(body, report) {
  const { totals, series } = report;
  if (totals.violations === 0 && report.items.length === 0) return void body.replaceChildren(empty('misses'));
  const days = series.map((d) => d.date);
  const parts = [
    h(
      'div',
      { class: 'figures' },
      bigNumber('missRate', 'miss rate', totals.missRate, formatPercent(totals.missRate), `${totals.missed} of ${totals.violations} violations let through first`),
      bigNumber('caught', 'caught proactively', totals.caught, String(totals.caught)),
      bigNumber('viewsBeforeRemoval', 'views of missed items before removal', totals.viewsBeforeRemoval, String(totals.viewsBeforeRemoval)),
      bigNumber('medianSecondsToRemoval', 'median time to removal of a miss', totals.medianSecondsToRemoval, formatDuration(totals.medianSecondsToRemoval)),
    ),
    figure(
      'Miss rate per day: missed ÷ violations confirmed that day',
      lineChart({ name: 'miss-rate', label: `Miss rate per day, ${report.period}`, categories: days, series: [{ key: 'missRate', label: 'Miss rate', values: series.map((d) => d.missRate) }], yMax: 1, format: formatPercent }),
      ['Day', 'Violations', 'Missed', 'Miss rate'],
      series.filter((d) => d.violations > 0).map((d) => [d.date, d.violations, d.missed, formatPercent(d.missRate)]),
    ),
    figure(
      'Violations and misses per day',
      lineChart({
        name: 'miss-volume',
        label: `Violations and misses per day, ${report.period}`,
        categories: days,
        series: [
          { key: 'violations', label: 'Violations', values: series.map((d) => d.violations) },
          { key: 'missed', label: 'Missed', values: series.map((d) => d.missed), color: PALETTE[5] },
        ],
      }),
      [],
      [],
    ),
    figure(
      'Causes of the misses per day',
      stackedBarChart({ name: 'miss-causes', label: `Causes of missed violations per day, ${report.period}`, categories: days, series: CAUSES.map(([key, label]) => ({ key, label, values: series.map((d) => d.causes[key]) })) }),
      ['Cause', 'Misses'],
      CAUSES.map(([key, label]) => [label, report.causes[key]]),
    ),
  ];
  const slices = report.rates.filter((r) => r.dimension !== 'all' && r.violations > 0).slice(0, 24);
  if (slices.length) {
    parts.push(
      figure(
        'Miss rate per slice',
        barChart({ name: 'miss-rate-by-slice', label: 'Miss rate per policy, region, language, kind, model version and score band', rows: slices.map((r) => ({ label: `${r.dimension}: ${r.value}`, value: r.missRate, note: `${r.missed} of ${r.violations}` })), min: 0, max: 1, format: formatPercent }),
        ['Slice', 'Violations', 'Missed', 'Miss rate'],
        slices.map((r) => [`${r.dimension}: ${r.value}`, r.violations, r.missed, formatPercent(r.missRate)]),
      ),
    );
  }
  parts.push(h('h3', {}, 'What lower review thresholds would have done'), whatIf(report.whatIf));
  body.replaceChildren(...parts);
}

function whatIf(policies) {
  if (!policies.length) return h('p', { class: 'muted' }, 'No misses to weigh a threshold against.');
  return h(
    'ul',
    { class: 'what-if' },
    policies.map((p) => {
      const r = p.recommendation;
      const text = r
        ? `${p.policyId}: a review threshold of ${r.reviewThreshold} (now ${p.currentReviewThreshold}) would have caught ${r.missesCaught} of ${p.scoredMisses} scored misses, for about ${formatNumber(r.extraReviewsPerDay)} more reviews a day. ${r.reason}`
        : `${p.policyId}: no lower review threshold (now ${p.currentReviewThreshold}) would have caught any of its ${p.misses} misses${p.scoredMisses < p.misses ? ' (the others had no score a threshold could reach)' : ''}.`;
      return h('li', { 'data-policy': p.policyId }, text);
    }),
  );
}

export async function renderTrends(body, alerts, context) {
  if (!alerts.length) return void body.replaceChildren(empty('trends', 'No open trend alerts.'));
  const previews = [];
  const list = h(
    'ul',
    { class: 'alerts' },
    alerts.map((alert) => {
      const hours = Array.isArray(alert.evidence?.hours) ? alert.evidence.hours : [];
      const examples = Array.isArray(alert.evidence?.examples) ? alert.evidence.examples.slice(0, 4) : [];
      const thumbs = h('div', { class: 'thumbs' });
      for (const example of examples) {
        const img = h('img', { alt: `Blurred example item ${example.contentId}`, width: 72, height: 72, 'data-content-id': example.contentId });
        thumbs.append(img);
        previews.push(
          context
            .preview(example.previewUrl)
            .then((url) => {
              img.src = url;
              return img.decode();
            })
            .catch(() => img.replaceWith(h('span', { class: 'muted thumb-missing' }, 'preview unavailable'))),
        );
      }
      const button = h('button', { type: 'button', class: 'ack' }, 'Acknowledge');
      button.addEventListener('click', () => {
        button.disabled = true;
        context.acknowledge(alert.id).catch(() => (button.disabled = false));
      });
      return h(
        'li',
        { class: 'alert', 'data-alert-id': alert.id },
        h('h3', {}, h('span', { class: 'kind' }, alert.kind.replace('_', ' ')), ' ', alert.subject),
        h(
          'dl',
          {},
          ...[
            ['Policy', alert.policyId ?? '—'],
            ['Lift', formatNumber(alert.lift)],
            ['Items', String(alert.count)],
            ['Expected', formatNumber(alert.baseline)],
            ['First seen', formatTime(alert.firstSeenAt)],
            ['Last seen', formatTime(alert.lastSeenAt)],
          ].flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
        ),
        hours.length
          ? sparkline({ name: 'trend-hours', label: `Items per hour for ${alert.subject}, flagged hours highlighted: ${hours.map((x) => x.count).join(', ')}` , hours })
          : h('p', { class: 'muted' }, 'No hourly series for this kind of alert.'),
        examples.length ? thumbs : null,
        button,
      );
    }),
  );
  body.replaceChildren(list);
  // The section is drawn once its previews have loaded (or failed): the page's ready state waits for them.
  await Promise.all(previews);
}

export function renderAccuracy(body, report) {
  if (!report.moderators.length && !report.pairs.length && !report.queues.length) return void body.replaceChildren(empty('accuracy'));
  const names = new Map(report.moderators.map((m) => [m.moderatorId, m.name ?? m.moderatorId.slice(0, 8)]));
  const nameOf = (id) => names.get(id) ?? id.slice(0, 8);
  const who = (m) => `${nameOf(m.moderatorId)} · ${m.policyId}`;
  const parts = [];

  const gold = report.moderators.filter((m) => m.gold);
  parts.push(
    gold.length
      ? figure(
          'Accuracy on gold items, with 95% Wilson intervals',
          barChart({ name: 'gold-accuracy', label: 'Gold accuracy per moderator and policy, with 95% Wilson intervals', rows: gold.map((m) => ({ label: who(m), value: m.gold.accuracy, lower: m.gold.interval.lower, upper: m.gold.interval.upper, note: `${m.gold.correct} of ${m.gold.reviews} gold reviews` })), min: 0, max: 1, format: formatPercent }),
          ['Moderator · policy', 'Gold reviews', 'Correct', 'Accuracy', '95% interval'],
          gold.map((m) => [who(m), m.gold.reviews, m.gold.correct, formatPercent(m.gold.accuracy), `${formatPercent(m.gold.interval.lower)}–${formatPercent(m.gold.interval.upper)}`]),
        )
      : h('p', { class: 'muted', 'data-empty': 'gold-accuracy' }, 'No gold reviews in this period.'),
  );

  const observed = report.moderators.filter((m) => m.observed);
  if (observed.length) {
    parts.push(
      figure(
        'Accuracy against the best answer there is (gold, the label that stands, or the estimate), with 95% Wilson intervals',
        barChart({ name: 'observed-accuracy', label: 'Observed accuracy per moderator and policy, with 95% Wilson intervals', rows: observed.map((m) => ({ label: who(m), value: m.observed.accuracy, lower: m.observed.interval.lower, upper: m.observed.interval.upper, note: `${m.observed.correct} of ${m.observed.decisions} decisions`, color: PALETTE[2] })), min: 0, max: 1, format: formatPercent }),
        ['Moderator · policy', 'Decisions', 'Correct', 'Accuracy', 'Dawid–Skene sensitivity', 'Dawid–Skene specificity'],
        observed.map((m) => [who(m), m.observed.decisions, m.observed.correct, formatPercent(m.observed.accuracy), formatPercent(m.estimated?.sensitivity), formatPercent(m.estimated?.specificity)]),
      ),
    );
  }

  const pairLabel = (p) => `${nameOf(p.moderatorA)} × ${nameOf(p.moderatorB)} · ${p.policyId}`;
  parts.push(
    report.pairs.length
      ? figure(
          "Cohen's kappa per pair of moderators (−1 to 1; 0 is chance agreement)",
          barChart({ name: 'pair-kappa', label: "Cohen's kappa per pair of moderators and policy", rows: report.pairs.map((p) => ({ label: pairLabel(p), value: p.kappa, note: `${p.sharedItems} shared items`, color: PALETTE[3] })), min: -1, max: 1 }),
          ['Pair · policy', 'Shared items', 'Observed agreement', 'Kappa', 'Note'],
          report.pairs.map((p) => [pairLabel(p), p.sharedItems, formatPercent(p.observedAgreement), formatNumber(p.kappa), p.note ?? '']),
        )
      : h('p', { class: 'muted', 'data-empty': 'pair-kappa' }, 'No two moderators reviewed the same items in this period.'),
  );

  if (report.queues.length) {
    const queueLabel = (q) => `${q.queueId} · ${q.policyId}`;
    parts.push(
      figure(
        "Fleiss' kappa per queue",
        barChart({ name: 'queue-kappa', label: "Fleiss' kappa per queue and policy", rows: report.queues.map((q) => ({ label: queueLabel(q), value: q.kappa, note: `${q.items} items, ${q.ratings} ratings`, color: PALETTE[1] })), min: -1, max: 1 }),
        ['Queue · policy', 'Items', 'Ratings', 'Observed agreement', 'Kappa'],
        report.queues.map((q) => [queueLabel(q), q.items, q.ratings, formatPercent(q.observedAgreement), formatNumber(q.kappa)]),
      ),
    );
  }

  const weakest = report.weakest.slice(0, 10);
  if (weakest.length) {
    const cellLabel = (c) => `${c.team} · ${c.policyId}${c.nuance ? ` · ${c.nuance}` : ''}`;
    parts.push(
      figure(
        'Weakest cells (team, policy, nuance): where training helps most',
        barChart({ name: 'weakest-cells', label: 'Accuracy of the weakest team, policy and nuance cells, with 95% Wilson intervals', rows: weakest.map((c) => ({ label: cellLabel(c), value: c.accuracy, lower: c.interval.lower, upper: c.interval.upper, note: `${c.correct} of ${c.decisions}`, color: PALETTE[5] })), min: 0, max: 1, format: formatPercent }),
        ['Cell', 'Decisions', 'Correct', 'Accuracy', 'Moderators'],
        weakest.map((c) => [cellLabel(c), c.decisions, c.correct, formatPercent(c.accuracy), c.moderators]),
      ),
    );
  }
  body.replaceChildren(...parts);
}

const SHARES = [
  ['removedBeforeAnyViewShare', 'removedBeforeAnyView', 'removed before any view'],
  ['removedWithin24hShare', 'removedWithin24h', 'removed within 24 h of upload'],
  ['proactiveShare', 'proactive', 'proactive (before any user report)'],
  ['automatedShare', 'automated', 'automated (a bank or a model)'],
];

export function renderTransparency(body, report) {
  const total = report.rows.find((r) => r.policyId === '*' && r.country === '*');
  if (!total || (total.removed === 0 && total.appeals === 0 && total.reinstatements === 0)) return void body.replaceChildren(empty('transparency'));
  const policies = report.rows.filter((r) => r.policyId !== '*' && r.country === '*');
  const countries = report.rows.filter((r) => r.policyId === '*' && r.country !== '*');
  const parts = [
    h('div', { class: 'figures headline' }, SHARES.map(([share, count, label]) => bigNumber(share, label, total[share], formatPercent(total[share]), `${total[count]} of ${total.removed}`))),
    h(
      'div',
      { class: 'figures' },
      bigNumber('removed', 'items removed', total.removed, String(total.removed)),
      bigNumber('appeals', 'appeals', total.appeals, String(total.appeals)),
      bigNumber('reinstatements', 'reinstatements', total.reinstatements, String(total.reinstatements)),
      bigNumber('medianSecondsToAction', 'median time to action', total.medianSecondsToAction, formatDuration(total.medianSecondsToAction)),
    ),
  ];
  if (policies.length) {
    parts.push(
      figure(
        'Items removed per policy (an item removed under two policies counts in each)',
        barChart({ name: 'removals-by-policy', label: `Items removed per policy, ${report.period}`, rows: policies.map((r) => ({ label: r.policyId, value: r.removed, note: `${formatPercent(r.automatedShare)} automated` })) }),
        ['Policy', 'Removed', 'Proactive', 'Before any view', 'Within 24 h', 'Automated', 'Appeals', 'Reinstated', 'Median time to action'],
        policies.map((r) => [r.policyId, r.removed, formatPercent(r.proactiveShare), formatPercent(r.removedBeforeAnyViewShare), formatPercent(r.removedWithin24hShare), formatPercent(r.automatedShare), r.appeals, r.reinstatements, formatDuration(r.medianSecondsToAction)]),
      ),
    );
  }
  if (countries.length) {
    parts.push(
      figure(
        'Items removed per country',
        barChart({ name: 'removals-by-country', label: `Items removed per country, ${report.period}`, rows: countries.map((r) => ({ label: r.country, value: r.removed, color: PALETTE[2] })) }),
        ['Country', 'Removed', 'Appeals', 'Reinstated'],
        countries.map((r) => [r.country, r.removed, r.appeals, r.reinstatements]),
      ),
    );
  }
  body.replaceChildren(...parts);
}
