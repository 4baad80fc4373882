/**
 * The CPU each test file costs, written as it ends to LOUPE_JEST_CPU_FILE
 * (tab-separated: file, ms of CPU of the Jest worker process with all its
 * threads, ms of its child processes that ended meanwhile, ms of wall time):
 * `LOUPE_JEST_CPU_FILE=/tmp/cpu.tsv npm run jest -- --setupFilesAfterEnv ./test/utils/diagnostics/cpu-per-file.setup.js`.
 *
 * Jest reports each file's wall time, which on two cores shared by three
 * workers says more about what ran beside a file than about the file. From
 * the first module of the file to its last hook; a thread a previous file
 * left running is charged to this one. Children are read from /proc (Linux).
 */
const { appendFileSync, readFileSync } = require('node:fs');

const file = process.env.LOUPE_JEST_CPU_FILE;
if (!file) throw new Error('cpu-per-file.setup: set LOUPE_JEST_CPU_FILE to the file for the figures');

/** Children's CPU (cutime + cstime) in ms, from /proc/self/stat (fields 16 and 17, in clock ticks of 10 ms). */
function childrenMs() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const cpu = process.cpuUsage();
const children = childrenMs();
const started = Date.now();

afterAll(() => {
  const used = process.cpuUsage(cpu);
  const test = path => path.replace(`${process.cwd()}/`, '');
  appendFileSync(file, `${test(expect.getState().testPath)}\t${Math.round((used.user + used.system) / 1000)}\t${childrenMs() - children}\t${Date.now() - started}\n`);
});
