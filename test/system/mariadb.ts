// A real MariaDB server for system tests: a fresh data folder in a temporary directory, TCP on 127.0.0.1 at a
// random port plus a Unix socket, no option file read (--no-defaults), stopped and removed by stop(). Works as
// root (mariadbd needs --user=root then) and as an ordinary user. Debian packages: mariadb-server, mariadb-client.
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The first of `names` found in PATH or the usual sbin folders. */
export function findBinary(...names: string[]): string | undefined {
  const extra = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extra];
  for (const n of names) {
    for (const d of dirs) {
      const p = path.join(d || '.', n);
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

/** Why a MariaDB server cannot be started here, or undefined when the binaries are installed. */
export function mariadbMissing(): string | undefined {
  const missing = [['mariadbd', 'mysqld'], ['mariadb-install-db', 'mysql_install_db'], ['mariadb', 'mysql']]
    .filter((names) => !findBinary(...names)).map((n) => n[0]);
  if (!missing.length) return undefined;
  return `MariaDB binaries not installed (${missing.join(', ')}; Debian: mariadb-server mariadb-client)`;
}

/** A running server: TCP port on 127.0.0.1, socket path, the client binary; stop() shuts it down and cleans up. */
export interface Mariadb {
  readonly port: number;
  readonly socket: string;
  readonly client: string;
  stop(): Promise<void>;
}

function exited(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/**
 * Starts a MariaDB server in a temporary folder. `root` connects without a password over the socket and over TCP
 * from 127.0.0.1. Throws with the server's log when it does not come up within 30 s.
 */
export async function startMariadb(): Promise<Mariadb> {
  const why = mariadbMissing();
  if (why) throw new Error(why);
  const mariadbd = findBinary('mariadbd', 'mysqld')!;
  const installDb = findBinary('mariadb-install-db', 'mysql_install_db')!;
  const client = findBinary('mariadb', 'mysql')!;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mariadb-'));
  const data = path.join(base, 'data');
  const socket = path.join(base, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? ['--user=root'] : [];
  const install = spawnSync(installDb, ['--no-defaults', `--datadir=${data}`, ...user,
    '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', '--innodb-log-file-size=8M'],
  { encoding: 'utf8', timeout: 120000 });
  if (install.status !== 0) {
    fs.rmSync(base, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  const env = { ...process.env, HOME: base };
  const sql = (q: string): ReturnType<typeof spawnSync> =>
    spawnSync(client, ['--no-defaults', '-S', socket, '-uroot', '-sNe', q], { encoding: 'utf8', env, timeout: 10000 });
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const log = path.join(base, `error-${attempt}.log`);
    const proc = spawn(mariadbd, ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`,
      '--bind-address=127.0.0.1', '--skip-name-resolve', `--pid-file=${path.join(base, 'mysqld.pid')}`,
      `--log-error=${log}`, `--tmpdir=${base}`, '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=8M',
      '--skip-log-bin', ...user],
    { stdio: 'ignore', env });
    const deadline = Date.now() + 30000;
    let up = false;
    while (Date.now() < deadline && proc.exitCode === null) {
      if (sql('select 1').status === 0) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (up) {
      // root@localhost exists; TCP clients come from 127.0.0.1 (names are not resolved).
      const grant = sql("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; "
        + "GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      if (grant.status !== 0) lastError = String(grant.stderr);
      return {
        port, socket, client,
        stop: async () => {
          proc.kill('SIGTERM');
          if (!(await exited(proc, 15000))) {
            proc.kill('SIGKILL');
            await exited(proc, 5000);
          }
          fs.rmSync(base, { recursive: true, force: true });
        },
      };
    }
    proc.kill('SIGKILL');
    await exited(proc, 5000);
    try {
      lastError = fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      lastError = 'no server log';
    }
  }
  fs.rmSync(base, { recursive: true, force: true });
  throw new Error(`MariaDB did not start: ${lastError}`);
}
