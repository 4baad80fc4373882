/*
 * Where a CPU profile's time went: self time by function and by package,
 * optionally only within a time window (CLOCK_MONOTONIC µs, as the ingest
 * bench prints in `window.monotonicUs`).
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile>... [--window <startUs>,<endUs>] [--top 25] [--merge]
 *
 * --merge sums every file into one summary: a whole test run profiled with
 * `node --cpu-prof --cpu-prof-dir=<dir> node_modules/jest/bin/jest.js`
 * writes a profile per process and thread. Piscina's `atomicsWaitLoop` is an
 * idle thread waiting for work, not work.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const at = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const window = at('--window')?.split(',').map(Number);
const top = Number(at('--top') ?? 25);
const merge = argv.includes('--merge');
const files = argv.filter((a, i) => !a.startsWith('--') && !['--window', '--top'].includes(argv[i - 1]));

/** A package or area of the code, from a frame's URL. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 6).split('/').slice(0, 3).join('/');
  return url;
}

interface Summary {
  total: number;
  /** Samples of a thread waiting: V8's (idle), and with --merge piscina's atomicsWaitLoop. */
  idle: number;
  byFunction: Map<string, number>;
  byArea: Map<string, number>;
}

const add = (m: Map<string, number>, key: string, us: number) => m.set(key, (m.get(key) ?? 0) + us);

/** Adds one profile's self times (within the window, if any) to `into`. */
function summarise(file: string, into: Summary): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (window && (t < window[0] || t > window[1])) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    into.total += dt;
  }
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || (merge && functionName === 'atomicsWaitLoop')) {
      into.idle += us;
      continue;
    }
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    add(into.byFunction, key, us);
    add(into.byArea, area(url, functionName), us);
  }
}

function print(title: string, { total, idle, byFunction, byArea }: Summary): void {
  console.log(`\n## ${title}\n${(total / 1e6).toFixed(2)} s sampled${window ? ' in the window' : ''}, ${((total - idle) / 1e6).toFixed(2)} s busy`);
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((us / Math.max(1, total - idle)) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  console.log(`\nby area (share of busy time):\n${list(byArea)}`);
  console.log(`\nby function (self):\n${list(byFunction)}`);
}

const empty = (): Summary => ({ total: 0, idle: 0, byFunction: new Map(), byArea: new Map() });
if (merge) {
  const all = empty();
  for (const file of files) summarise(file, all);
  print(`${files.length} profiles, merged`, all);
} else {
  for (const file of files) {
    const one = empty();
    summarise(file, one);
    print(file, one);
  }
}
