import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ot-mqtt/broker';

const BIN = '/usr/lib/postgresql/15/bin';

/** Why a throwaway cluster cannot run here, or undefined if it can. */
export function clusterUnavailable(): string | undefined {
  if (!existsSync(join(BIN, 'initdb')))
    return `${BIN}/initdb not found (apt-get install -y postgresql-15)`;
  if (process.getuid?.() !== 0) return 'needs root to run initdb and pg_ctl as the postgres user';
  return undefined;
}

/**
 * A PostgreSQL 15 cluster of its own (initdb + pg_ctl as the postgres user, on a free port), so a
 * test can stop and start the database without touching the machine's PostgreSQL.
 */
export async function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'historian-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = (mode = 'fast') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
