import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
/** Repository root (compiled to out/test/system). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Request seen by the fake API server. */
export interface SeenRequest { method: string; url: string }

/**
 * A Kubernetes API server on 127.0.0.1 that answers kubectl's discovery and pod/configmap calls and records
 * every request — enough for kubectl to really send (or not send) a DELETE.
 */
export async function startKubeApi(): Promise<{ url: string; requests: SeenRequest[]; close(): Promise<void>; hang: Set<string> }> {
  const requests: SeenRequest[] = [];
  const hang = new Set<string>();
  const deleted = new Set<string>();
  const json = (res: http.ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (p === '/api/v1') {
      return json(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'] },
        { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'] },
      ] });
    }
    // kubectl waits for a deleted object to be gone: the list (with a name field selector) is then empty.
    const list = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|configmaps)$/.exec(p);
    if (list) {
      const name = /metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      const items = name && !deleted.has(name) ? [{ metadata: { name, namespace: list[1] } }] : [];
      if (url.searchParams.get('watch')) { res.writeHead(200, { 'content-type': 'application/json' }); return; }
      return json(res, 200, { kind: list[2] === 'pods' ? 'PodList' : 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|configmaps)\/([^/]+)$/.exec(p);
    if (m) {
      const name = decodeURIComponent(m[3]);
      if (hang.has(name)) return; // never answers: for Ctrl-C tests
      if (req.method === 'DELETE') deleted.add(name);
      if (req.method === 'DELETE') return json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name, kind: m[2] } });
      if (name.startsWith('missing') || deleted.has(name)) return json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${m[2]} "${name}" not found` });
      return json(res, 200, { kind: m[2] === 'pods' ? 'Pod' : 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: m[1] } });
    }
    json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hang,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A kubeconfig with the given contexts all pointing at `server`; current context first. */
export function kubeconfigFor(server: string, current: string, others: string[] = []): string {
  const names = [current, ...others];
  return [
    'apiVersion: v1', 'kind: Config', `current-context: ${current}`, 'contexts:',
    ...names.flatMap((n) => [`- name: ${n}`, '  context:', `    cluster: ${n}`, '    user: u']),
    'clusters:', ...names.flatMap((n) => [`- name: ${n}`, '  cluster:', `    server: ${server}`]),
    'users:', '- name: u', '  user:', '    token: t0k3n', '',
  ].join('\n');
}

/** Installs the shims (the built dist/cli.js on this Node) into a fresh folder; returns PATH with it first. */
export function installShims(): { dir: string; PATH: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-shims-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js'), 'shims', 'install', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`shims install failed: ${r.stderr}`);
  return { dir, PATH: `${dir}${path.delimiter}${process.env.PATH}` };
}

/** Where a binary lives (PATH, then Debian's PostgreSQL folder). */
export function which(bin: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  for (const d of [...dirs, ...listPgBins()]) {
    const p = path.join(d, bin);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function listPgBins(): string[] {
  try {
    return fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

/** A real PostgreSQL server on 127.0.0.1 in a temporary folder (run as the `postgres` user when we are root). */
export async function startPostgres(): Promise<{ port: number; psql: string; stop(): Promise<void> }> {
  const initdb = which('initdb');
  const postgres = which('postgres');
  const psql = which('psql');
  if (!initdb || !postgres || !psql) throw new Error('PostgreSQL server binaries not found (Debian package postgresql)');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-db-'));
  const data = path.join(base, 'data');
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string[]): string[] => (asRoot ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd);
  if (asRoot) spawnSync('chown', ['-R', 'postgres', base]);
  fs.chmodSync(base, 0o777);
  const initArgs = wrap([initdb, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const init = spawnSync(initArgs[0], initArgs.slice(1), { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const args = wrap([postgres, '-D', data, '-p', String(port), '-k', base, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const proc: ChildProcess = spawn(args[0], args.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const r = spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atc', 'select 1'], { encoding: 'utf8' });
    if (r.status === 0) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    port,
    psql,
    stop: async () => {
      // Signal the postmaster itself (runuser does not pass signals on): SIGQUIT is an immediate shutdown.
      const exited = new Promise((r) => proc.once('exit', r));
      try {
        const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGQUIT');
      } catch {
        proc.kill('SIGKILL');
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Runs a command through a shell with the given environment; resolves with exit status and output. */
export function sh(cmd: string, env: NodeJS.ProcessEnv, opts: { cwd?: string; input?: string } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('/bin/sh', ['-c', cmd], { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.stdin.end(opts.input ?? '');
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** One tmux session running a shell script; keys are typed into it and its screen read back. */
export class Terminal {
  private static n = 0;
  readonly name = `pg-guard-${process.pid}-${Terminal.n++}`;
  constructor(script: string, dir: string) {
    const file = path.join(dir, `${this.name}.sh`);
    fs.writeFileSync(file, `${script}\necho "[exited $?]"\nsleep 600\n`, { mode: 0o755 });
    const r = spawnSync('tmux', ['new-session', '-d', '-s', this.name, '-x', '220', '-y', '50', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  }
  type(line: string): void {
    // As hex bytes: tmux reads a trailing `;` of an argument as its own command separator.
    const hex = [...Buffer.from(`${line}\r`)].map((b) => b.toString(16).padStart(2, '0'));
    spawnSync('tmux', ['send-keys', '-t', this.name, '-H', ...hex]);
  }
  screen(): string {
    return spawnSync('tmux', ['capture-pane', '-p', '-J', '-S', '-300', '-t', this.name], { encoding: 'utf8' }).stdout;
  }
  /** Waits until the screen matches `re`, or fails with the screen. */
  async waitFor(re: RegExp, what: string, ms = 15000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const s = this.screen();
      if (re.test(s)) return s;
      if (Date.now() > end) throw new Error(`${what}: not on the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  close(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
