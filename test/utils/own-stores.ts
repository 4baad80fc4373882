import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';
import { waitFor } from './wait-for';

/**
 * Stores of a test's own, for fault tests: they can be stopped and started
 * while Loupe runs. The shared PostgreSQL and Redis are never touched.
 */

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

/** Sends one inline command and resolves with the first reply line, or '' on any failure. */
function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (reply: string) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1_000, () => done(''));
    socket.on('error', () => done(''));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (data) => done(data.toString().split('\r\n')[0]));
  });
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server: without persistence, every job it held is gone. */
  stop(): Promise<void>;
  /** Starts an empty server on the same port. */
  start(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

/** A redis-server without persistence on a free port, as a child process. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    child = server;
    const exited = new Promise<never>((_, reject) => server.on('exit', (code) => reject(new Error(`redis-server exited with ${code}`))));
    exited.catch(() => undefined);
    await Promise.race([waitFor(() => redisCommand(port, 'PING'), (reply) => reply === '+PONG', `redis on ${port}`, 20_000), exited]);
  };
  const stop = async () => {
    const server = child;
    child = null;
    // A process killed by a signal has a signalCode and a null exitCode; waiting for its 'exit' again would never end.
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.on('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start, close: stop };
}

export interface OwnPostgres {
  /** The `postgres` database of the cluster, as superuser `postgres`. */
  url: string;
  port: number;
  /** Stops the server at once (pg_ctl -m immediate): clients see the database as gone. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root: initdb and postgres refuse to run as root. */
async function pg(binary: string, args: string[]): Promise<void> {
  const file = path.join(PG_BIN, binary);
  if (isRoot) await run('runuser', ['-u', 'postgres', '--', file, ...args]);
  else await run(file, args);
}

/** A PostgreSQL cluster of its own (initdb into a temp dir) on a free port, with trust authentication. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loupe-pg-'));
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const start = () => pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = () => pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    close: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
