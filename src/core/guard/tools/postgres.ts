// PostgreSQL client tools (PostgreSQL 15): psql, pg_restore, dropdb, dropuser, createdb, createuser, vacuumdb,
// reindexdb, clusterdb, pgbench, and the read-only pg_dump/pg_dumpall. Grammar: GNU getopt_long as the tools
// use it (options anywhere, bundles like `-tAc SQL`, unique long prefixes like `--comm=…`). The flag lists are
// the tools' own `--help`; test/system/postgres-grammar.test.ts compares them with the installed binaries.
import * as path from 'path';
import { judgeSql, psqlSession, unsafeClientEncoding } from '../sql/index';
import { allValues, flagsFromSpec, type Grammar, hasFlag, lastValue, type ParsedArgs, parseArgs } from '../grammar';
import { type GuardTarget, type StdinInput, type ToolAnalysis, type ToolContext, type ToolModule, verdict, type Verdict,
  sessionVerdict } from '../types';
import { type EnvSources, isConnString, type PgArg, resolvePgTarget } from './libpq';
import { type ConnectCommand, findConnects } from './psqlMeta';

const CONN = 'h,host= p,port= U,username= w,no-password W,password';

/** Each tool's options, from its `--help` (PostgreSQL 15). */
export const PG_SPECS: Readonly<Record<string, string>> = {
  psql: `c,command= d,dbname= f,file= l,list v,set,variable= V,version X,no-psqlrc 1,single-transaction ?,help=?
    a,echo-all b,echo-errors e,echo-queries E,echo-hidden L,log-file= n,no-readline o,output= q,quiet s,single-step
    S,single-line A,no-align ,csv F,field-separator= H,html P,pset= R,record-separator= t,tuples-only T,table-attr=
    x,expanded z,field-separator-zero 0,record-separator-zero ${CONN}`,
  pg_restore: `d,dbname= f,file= F,format= l,list v,verbose V,version ?,help a,data-only c,clean C,create
    e,exit-on-error I,index= j,jobs= L,use-list= n,schema= N,exclude-schema= O,no-owner P,function= s,schema-only
    S,superuser= t,table= T,trigger= x,no-privileges 1,single-transaction ,disable-triggers ,enable-row-security
    ,if-exists ,no-comments ,no-data-for-failed-tables ,no-publications ,no-security-labels ,no-subscriptions
    ,no-table-access-method ,no-tablespaces ,restrict-key= ,section= ,strict-names ,use-set-session-authorization
    ${CONN} ,role=`,
  dropdb: `e,echo f,force i,interactive V,version ,if-exists ?,help ${CONN} ,maintenance-db=`,
  dropuser: `e,echo i,interactive V,version ,if-exists ?,help ${CONN}`,
  createdb: `D,tablespace= e,echo E,encoding= l,locale= ,lc-collate= ,lc-ctype= ,icu-locale= ,locale-provider=
    O,owner= S,strategy= T,template= V,version ?,help ${CONN} ,maintenance-db=`,
  createuser: `c,connection-limit= d,createdb D,no-createdb e,echo g,role= i,inherit I,no-inherit l,login L,no-login
    P,pwprompt r,createrole R,no-createrole s,superuser S,no-superuser V,version ,interactive ,replication
    ,no-replication ?,help ${CONN}`,
  vacuumdb: `a,all d,dbname= ,disable-page-skipping e,echo f,full F,freeze ,force-index-cleanup j,jobs=
    ,min-mxid-age= ,min-xid-age= ,no-index-cleanup ,no-process-toast ,no-truncate P,parallel= q,quiet ,skip-locked
    t,table= v,verbose V,version z,analyze Z,analyze-only ,analyze-in-stages ?,help ${CONN} ,maintenance-db=`,
  reindexdb: `a,all ,concurrently d,dbname= e,echo i,index= j,jobs= q,quiet s,system S,schema= t,table=
    ,tablespace= v,verbose V,version ?,help ${CONN} ,maintenance-db=`,
  clusterdb: `a,all d,dbname= e,echo q,quiet t,table= v,verbose V,version ?,help ${CONN} ,maintenance-db=`,
  pgbench: `i,initialize I,init-steps= F,fillfactor= n,no-vacuum q,quiet s,scale= ,foreign-keys ,index-tablespace=
    ,partition-method= ,partitions= ,tablespace= ,unlogged-tables b,builtin= f,file= N,skip-some-updates
    S,select-only c,client= C,connect D,define= j,jobs= l,log L,latency-limit= M,protocol= P,progress=
    r,report-per-command R,rate= t,transactions= T,time= v,vacuum-all ,aggregate-interval= ,failures-detailed
    ,log-prefix= ,max-tries= ,progress-timestamp ,random-seed= ,sampling-rate= ,show-script= ,verbose-errors
    d,debug h,host= p,port= U,username= V,version ?,help`,
  pg_dump: `f,file= F,format= j,jobs= v,verbose V,version Z,compress= ,lock-wait-timeout= ,no-sync ?,help a,data-only
    b,blobs B,no-blobs c,clean C,create e,extension= E,encoding= n,schema= N,exclude-schema= O,no-owner s,schema-only
    S,superuser= t,table= T,exclude-table= x,no-privileges ,binary-upgrade ,column-inserts ,disable-dollar-quoting
    ,disable-triggers ,enable-row-security ,exclude-table-data= ,extra-float-digits= ,if-exists
    ,include-foreign-data= ,inserts ,load-via-partition-root ,no-comments ,no-publications ,no-security-labels
    ,no-subscriptions ,no-table-access-method ,no-tablespaces ,no-toast-compression ,no-unlogged-table-data
    ,on-conflict-do-nothing ,quote-all-identifiers ,restrict-key= ,rows-per-insert= ,section=
    ,serializable-deferrable ,snapshot= ,strict-names ,use-set-session-authorization d,dbname= ${CONN} ,role=`,
  pg_dumpall: `f,file= v,verbose V,version ,lock-wait-timeout= ?,help a,data-only c,clean E,encoding= g,globals-only
    O,no-owner r,roles-only s,schema-only S,superuser= t,tablespaces-only x,no-privileges ,binary-upgrade
    ,column-inserts ,disable-dollar-quoting ,disable-triggers ,exclude-database= ,extra-float-digits= ,if-exists
    ,inserts ,load-via-partition-root ,no-comments ,no-publications ,no-role-passwords ,no-security-labels
    ,no-subscriptions ,no-sync ,no-table-access-method ,no-tablespaces ,no-toast-compression
    ,no-unlogged-table-data ,on-conflict-do-nothing ,quote-all-identifiers ,restrict-key= ,rows-per-insert=
    ,use-set-session-authorization d,dbname= ${CONN} l,database= ,role=`,
  vacuumlo: `l,limit= n,dry-run v,verbose V,version ?,help ${CONN}`,
  pg_recvlogical: `,create-slot ,drop-slot ,start E,endpos= f,file= F,fsync-interval= ,if-not-exists I,startpos=
    n,no-loop o,option= P,plugin= s,status-interval= S,slot= t,two-phase v,verbose V,version ?,help d,dbname= ${CONN}`,
  pg_receivewal: `D,directory= E,endpos= ,if-not-exists n,no-loop ,no-sync s,status-interval= S,slot= ,synchronous
    v,verbose V,version Z,compress= ?,help d,dbname= ${CONN} ,create-slot ,drop-slot`,
  pg_basebackup: `D,pgdata= F,format= r,max-rate= R,write-recovery-conf t,target= T,tablespace-mapping= ,waldir=
    X,wal-method= z,gzip Z,compress= c,checkpoint= C,create-slot l,label= n,no-clean N,no-sync P,progress S,slot=
    v,verbose V,version ,manifest-checksums= ,manifest-force-encode ,no-estimate-size ,no-manifest ,no-slot
    ,no-verify-checksums ?,help d,dbname= h,host= p,port= s,status-interval= U,username= w,no-password W,password`,
  pg_isready: `d,dbname= q,quiet V,version ?,help h,host= p,port= t,timeout= U,username=`,
};

/** Debian's pg_wrapper (`/usr/bin/psql` and friends) takes `--cluster VERSION/NAME` before the real tool. */
const WRAPPER = flagsFromSpec(',cluster=').map((f) => ({ ...f, exactOnly: true }));

/** The getopt grammars, one per tool. */
export const PG_GRAMMARS: Readonly<Record<string, Grammar>> = Object.fromEntries(
  Object.entries(PG_SPECS).map(([tool, spec]) =>
    [tool, { style: 'getopt', abbreviations: true, flags: [...flagsFromSpec(spec), ...WRAPPER] }]),
);

/**
 * What Debian's pg_wrapper (`/usr/bin/psql` and the other clients) does before the real tool starts: a
 * `--cluster VERSION/host:port` argument, `PGCLUSTER`, or a line of `~/.postgresqlrc` /
 * `/etc/postgresql-common/user_clusters` sets PGHOST, PGPORT and PGDATABASE. Applied everywhere: elsewhere
 * psql refuses `--cluster` and ignores the rest, so reading them can only add a target, never hide one.
 */
function pgWrapper(argv: readonly string[], ctx: ToolContext): { env: NodeJS.ProcessEnv; sources: EnvSources } {
  const env = ctx.env;
  let explicitHost = env.PGHOST !== undefined;
  let explicitPort = env.PGPORT;
  let cluster: { spec: string; source: string; line?: number } | undefined;
  if (env.PGCLUSTER !== undefined && !explicitHost) {
    cluster = { spec: env.PGCLUSTER.split('/').slice(1).join('/'), source: 'env:PGCLUSTER' };
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--cluster' && i + 1 < argv.length) {
      cluster = { spec: argv[i + 1].split('/').slice(1).join('/'), source: '--cluster (Debian pg_wrapper)' };
      break;
    }
    const m = /^--cluster=(\d+\.?\d)\/(.+)/.exec(a);
    if (m) {
      cluster = { spec: m[2], source: '--cluster (Debian pg_wrapper)' };
      break;
    }
    if (/^--host\b/.test(a) || /^-\w*h\w*$/.test(a)) {
      cluster = undefined;
      explicitHost = true;
    }
    const pm = /^--port\b(?:=(\d+))?/.exec(a) ?? /^-\w*p(\d+)?$/.exec(a);
    if (pm) explicitPort = pm[1] ?? argv[i + 1];
  }
  let db: string | undefined;
  if (!cluster && !explicitHost && !explicitPort) {
    // The first usable line of ~/.postgresqlrc (`VERSION CLUSTER DATABASE`), else of user_clusters (`USER GROUP …`).
    const maps: Array<[string, number]> = [
      [path.join(env.HOME || ctx.home, '.postgresqlrc'), 0], ['/etc/postgresql-common/user_clusters', 2],
    ];
    outer: for (const [file, skip] of maps) {
      const r = ctx.files.readText(file, 256 * 1024);
      if (!r.ok) continue;
      const lines = r.text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const f = lines[i].replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
        if (f.length < skip + 3) continue;
        if (skip && !((f[0] === '*' || f[0] === env.USER) && f[1] === '*')) continue;
        cluster = { spec: f[skip + 1], source: file, line: i + 1 };
        db = f[skip + 2] === '*' ? undefined : f[skip + 2];
        break outer;
      }
    }
  }
  const out: NodeJS.ProcessEnv = { ...env };
  const sources: Record<string, { source: string; line?: number }> = {};
  const net = cluster && /^(\S+):(\d*)$/.exec(cluster.spec);
  if (cluster && net) {
    // A network cluster names its host: pg_wrapper sets PGHOST (over the environment's) and PGPORT if unset.
    out.PGHOST = net[1];
    sources.PGHOST = { source: cluster.source, line: cluster.line };
    if (!out.PGPORT) {
      out.PGPORT = net[2] || '5432';
      sources.PGPORT = { source: cluster.source, line: cluster.line };
    }
  }
  if (db && !out.PGDATABASE) {
    out.PGDATABASE = db;
    sources.PGDATABASE = { source: cluster!.source, line: cluster!.line };
  }
  return { env: out, sources };
}

/** The PostgreSQL resolution context of one command: the wrapper's environment over the command's own. */
interface PgCtx {
  readonly ctx: ToolContext;
  readonly env: NodeJS.ProcessEnv;
  readonly sources: EnvSources;
}

/** Where the tool connects: its flags, then its dbname argument (a connection string there overrides them). */
function target(pc: PgCtx, p: ParsedArgs, dbArg: string | undefined, dbSource: string): GuardTarget {
  const args: PgArg[] = [
    { key: 'host', value: lastValue(p, 'host'), source: '-h flag' },
    { key: 'port', value: lastValue(p, 'port'), source: '-p flag' },
    { key: 'user', value: lastValue(p, 'username'), source: '-U flag' },
    { key: 'dbname', value: dbArg, source: dbSource, expand: true },
  ];
  return resolvePgTarget(args, pc.env, pc.ctx.home, pc.ctx.files, pc.ctx.cwd, pc.sources);
}

/** Names psql reads as its own stdin when given to `-f`. */
const STDIN_FILES = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** Reads a file a script names, relative to the command's folder; only regular files (never a pipe). */
function reader(ctx: ToolContext) {
  return (file: string) => {
    const r = ctx.files.readText(path.resolve(ctx.cwd, file), 64 * 1024 * 1024);
    return r.ok ? { ok: true as const, text: r.text } : { ok: false as const, message: `${file} ${r.message}` };
  };
}

/** The startup files psql runs before anything else (unless -X): system-wide, then the user's (PSQLRC). */
function psqlrcFiles(pc: PgCtx): string[] {
  const env = pc.env;
  const candidates = [path.join(env.PGSYSCONFDIR || '/etc/postgresql-common', 'psqlrc'),
    env.PSQLRC ? path.resolve(pc.ctx.cwd, env.PSQLRC) : path.join(env.HOME || pc.ctx.home, '.psqlrc')];
  const out: string[] = [];
  for (const base of candidates) {
    out.push(base);
    // psql also reads `psqlrc-15` or `psqlrc-15.4` instead when they exist: take any versioned one into account.
    const l = pc.ctx.files.listDir?.(path.dirname(base));
    const versioned = `${path.basename(base)}-`;
    if (l?.ok) for (const n of l.names) if (n.startsWith(versioned)) out.push(path.join(path.dirname(base), n));
  }
  return out;
}

/** The connection a `\connect` makes: positional arguments reuse the previous connection's values. */
function connectTarget(pc: PgCtx, prev: GuardTarget, cmd: ConnectCommand, where: string): GuardTarget {
  const source = `\\connect at line ${cmd.line} of ${where}`;
  let args = [...cmd.args];
  let reuse: boolean | undefined;
  if (args[0]?.startsWith('-reuse-previous=')) {
    reuse = /^(on|true|yes|1)$/i.test(args[0].slice(16));
    args = args.slice(1);
  }
  const conninfo = args[0] !== undefined && isConnString(args[0]);
  const keep = (v: string | undefined): v is string => v !== undefined && v !== '-';
  const prevDetails = prev.details;
  const reusePrev = reuse ?? !conninfo;
  const list: PgArg[] = [
    { key: 'host', value: reusePrev ? prevDetails.host : undefined, source: `${source} (previous connection)` },
    { key: 'port', value: reusePrev ? prevDetails.port : undefined, source: `${source} (previous connection)` },
    { key: 'user', value: reusePrev ? prevDetails.user : undefined, source: `${source} (previous connection)` },
    { key: 'dbname', value: reusePrev ? prevDetails.dbname : undefined, source: `${source} (previous connection)` },
  ];
  if (conninfo) list.push({ key: 'dbname', value: args[0], source, expand: true });
  else {
    const [db, user, host, port] = args;
    if (keep(db)) list.push({ key: 'dbname', value: db, source });
    if (keep(user)) list.push({ key: 'user', value: user, source });
    if (keep(host)) list.push({ key: 'host', value: host, source });
    if (keep(port)) list.push({ key: 'port', value: port, source });
  }
  const t = resolvePgTarget(list, pc.env, pc.ctx.home, pc.ctx.files, pc.ctx.cwd, pc.sources);
  return cmd.dynamic ? { ...t, unresolved: `${cmd.dynamic} (line ${cmd.line} of ${where})` } : t;
}

/** Every target a chain of scripts reaches through `\connect`, each starting from the one before. */
function connectTargets(pc: PgCtx, start: GuardTarget, scripts: ReadonlyArray<{ text: string; where: string }>,
  variables: Readonly<Record<string, string>>): GuardTarget[] {
  const out: GuardTarget[] = [];
  let current = start;
  for (const s of scripts) {
    for (const cmd of findConnects(s.text, variables, s.where === '-c')) {
      current = connectTarget(pc, current, cmd, s.where);
      out.push(current);
    }
  }
  return out;
}

/**
 * The client encoding psql starts with: PGCLIENTENCODING, or a `client_encoding` set in the connection string (or
 * its `options`) or PGOPTIONS. The first one the SQL judge refuses wins (it makes everything unparseable).
 */
function clientEncoding(env: NodeJS.ProcessEnv, dbArg: string | undefined): string | undefined {
  const found: string[] = [];
  for (const text of [dbArg, env.PGOPTIONS]) {
    if (!text) continue;
    for (const m of text.matchAll(/client[_-]encoding(?:\s*=\s*|%3d)['"]?([^\s'"&]+)/gi)) {
      let v = m[1];
      try {
        v = decodeURIComponent(v);
      } catch {
        // kept as written
      }
      found.push(v);
    }
  }
  if (env.PGCLIENTENCODING) found.push(env.PGCLIENTENCODING);
  return found.find((e) => unsafeClientEncoding('postgres', e)) ?? found[found.length - 1];
}

/** psql: startup files, then `-c` and `-f` in the order given, else stdin (a script, or a terminal). */
function analyzePsql(p: ParsedArgs, pc: PgCtx): Omit<ToolAnalysis, 'secretArgs'> {
  const ctx = pc.ctx;
  const pos = p.positionals.map((x) => x.value);
  const dbFlag = lastValue(p, 'dbname');
  const dbArg = dbFlag ?? pos[0];
  const tgt = target(pc, p, dbArg, dbFlag !== undefined ? '-d flag' : 'dbname argument');
  const positionalUser = dbFlag !== undefined ? pos[0] : pos[1];
  const t0 = positionalUser && !lastValue(p, 'username')
    ? { ...tgt, details: { ...tgt.details, user: positionalUser } } : tgt;
  const sources = p.flags.filter((f) => f.name === 'command' || f.name === 'file');
  const variables: Record<string, string> = {};
  for (const v of allValues(p, 'set')) {
    const eq = v.indexOf('=');
    if (eq > 0) variables[v.slice(0, eq)] = v.slice(eq + 1);
  }
  const read = reader(ctx);
  // Startup files and scripts are read now, for the targets their `\connect`s reach; stdin in stdinTargets.
  type Src = { text?: string; where: string; error?: string; stdin?: boolean; file?: string; name?: string };
  const rc = hasFlag(p, 'no-psqlrc') ? [] : psqlrcFiles(pc).flatMap((f): Src[] => {
    // PSQLRC=/dev/null is the usual way to switch the startup file off: it reads as empty.
    if (f === '/dev/null') return [];
    const r = ctx.files.readText(f, 1024 * 1024);
    if (r.ok) return [{ text: r.text, where: f, file: f }];
    return r.missing ? [] : [{ text: '', where: f, error: `psql startup file ${f} ${r.message}` }];
  });
  const scripts: Src[] = sources.map((f): Src => {
    if (f.name === 'command') return { text: f.value ?? '', where: '-c' };
    if (STDIN_FILES.has(f.value ?? '')) return { where: 'stdin', stdin: true };
    const r = read(f.value ?? '');
    const file = path.resolve(ctx.cwd, f.value ?? '');
    const where = `-f ${f.value}`;
    const name = f.value;
    return r.ok ? { text: r.text, where, file, name } : { where, error: `SQL file ${r.message}`, name };
  });
  const readsStdin = sources.length === 0 || scripts.some((x) => x.stdin);
  const known = [...rc, ...scripts].filter((x): x is Src & { text: string } => x.text !== undefined);
  const targets = [t0, ...connectTargets(pc, t0, known, variables)];
  const problems = rc.filter((x) => x.error).map((x) => ({ source: x.where, message: x.error! }));
  const judge = (stdin: StdinInput): Verdict => {
    if (hasFlag(p, 'help') || hasFlag(p, 'version')) return verdict('noEffect', 'psql --help/--version');
    if (p.errors.length || p.unknown.length) {
      return verdict('unparseable', `psql would reject these options: ${rejected(p)}`);
    }
    // One psql session through every input in the order psql reads them: variables set by a startup file or a
    // `-c '\set …'` are seen by the next input; `\cd` moves where a later relative `-f` is opened.
    const session = psqlSession(variables, ctx.cwd);
    const opts = { dialect: 'postgres' as const, client: 'psql' as const, readFile: read, cwd: ctx.cwd, session,
      clientEncoding: clientEncoding(pc.env, dbArg) };
    const fromStdin = (): Verdict => {
      if (stdin.tooLarge) return verdict('tooLarge', 'SQL on stdin larger than the guard reads');
      if (stdin.text === undefined) return verdict('interactive', 'an interactive psql session');
      return judgeSql(stdin.text, { ...opts, from: 'stdin' });
    };
    const judgeOne = (x: Src): Verdict => {
      if (x.stdin) return fromStdin();
      // A relative -f after a `\cd` is opened in psql's new folder.
      if (x.name !== undefined && !path.isAbsolute(x.name) && session.cwd !== ctx.cwd) {
        if (session.cwd === undefined) return verdict('unreadable', `-f ${x.name} after \cd to a folder not known`);
        const r = read(path.resolve(session.cwd, x.name));
        x = r.ok ? { ...x, text: r.text, file: path.resolve(session.cwd, x.name), error: undefined }
          : { ...x, error: `SQL file ${r.message}` };
      }
      if (x.error) return verdict('unreadable', x.error);
      // A -c value is one command (all SQL or one backslash command, no variables); files are scripts, and `\ir`
      // inside them is relative to their folder.
      if (x.where === '-c') return judgeSql(x.text ?? '', { ...opts, from: '-c', psqlCommand: true });
      return judgeSql(x.text ?? '', { ...opts, from: x.where, ...(x.file ? { file: x.file } : {}) });
    };
    // Startup files first: judged in order, they set the session the rest starts from.
    const verdicts = rc.map(judgeOne);
    if (sources.length > 0) verdicts.push(...scripts.map(judgeOne));
    else verdicts.push(hasFlag(p, 'list') ? verdict('readOnly', 'psql --list') : fromStdin());
    return sessionVerdict(verdicts, verdict('readOnly', 'psql'));
  };
  const stdinTargets = (stdin: StdinInput): GuardTarget[] => {
    if (stdin.text === undefined) return [];
    const last = targets[targets.length - 1];
    return connectTargets(pc, last, [{ text: stdin.text, where: 'stdin' }], variables);
  };
  const verb = sources.length ? sources.map((f) => (f.name === 'command' ? '-c' : '-f')).join(' ') : '';
  return { verb, targets, problems, judge, readsStdin, stdinTargets };
}

/** The options a tool would refuse, for the message. */
function rejected(p: ParsedArgs): string {
  return [...p.errors, ...p.unknown.map((u) => u.raw)].join(', ');
}

/** pgbench scripts: `-S`, `-N`, `-b NAME[@W]` (a unique prefix of a built-in name), `-f FILE[@W]`. */
function pgbenchScripts(p: ParsedArgs): string[] {
  const builtins = ['tpcb-like', 'simple-update', 'select-only'];
  const out: string[] = [];
  for (const f of p.flags) {
    if (f.name === 'select-only') out.push('select-only');
    else if (f.name === 'skip-some-updates') out.push('simple-update');
    else if (f.name === 'file') out.push('file');
    else if (f.name === 'builtin') {
      const name = (f.value ?? '').split('@')[0];
      const m = builtins.filter((b) => b.startsWith(name));
      out.push(m.length === 1 ? m[0] : 'unknown');
    }
  }
  return out.length ? out : ['tpcb-like'];
}

/** What each non-psql tool does to its target. */
function toolVerdict(tool: string, p: ParsedArgs, pos: readonly string[]): Verdict {
  if (hasFlag(p, 'help') || hasFlag(p, 'version') || (tool === 'pgbench' && hasFlag(p, 'show-script'))) {
    return verdict('noEffect', `${tool} --help/--version`);
  }
  if (p.errors.length || p.unknown.length) {
    return verdict('unparseable', `${tool} would reject these options: ${rejected(p)}`);
  }
  switch (tool) {
    case 'pg_dump':
    case 'pg_dumpall':
    case 'pg_isready':
      return verdict('readOnly', `${tool} (reads the database)`);
    case 'pg_restore':
      if (hasFlag(p, 'list') || lastValue(p, 'dbname') === undefined) {
        return verdict('noEffect', 'pg_restore without -d (prints a script)');
      }
      return hasFlag(p, 'clean')
        ? verdict('destructive', 'pg_restore --clean (drops the objects it restores)')
        : verdict('mutating', 'pg_restore into a database');
    case 'dropdb':
      return verdict('destructive', `dropdb ${pos[0] ?? ''}`.trim());
    case 'dropuser':
      return verdict('destructive', `dropuser ${pos[0] ?? ''}`.trim());
    case 'createdb':
    case 'createuser':
      return verdict('mutating', `${tool} ${pos[0] ?? ''}`.trim());
    // Maintenance rewrites and locks, but loses nothing: judged like the SQL it sends (VACUUM FULL, REINDEX, CLUSTER).
    case 'vacuumdb':
      return verdict('harmlessWrite', `vacuumdb (VACUUM${hasFlag(p, 'full') ? ' FULL' : ''}/ANALYZE)`);
    case 'reindexdb':
      return verdict('harmlessWrite', 'reindexdb (REINDEX)');
    case 'clusterdb':
      return verdict('harmlessWrite', 'clusterdb (CLUSTER)');
    case 'vacuumlo':
      return hasFlag(p, 'dry-run')
        ? verdict('readOnly', 'vacuumlo --dry-run')
        : verdict('destructive', 'vacuumlo (deletes large objects nothing references)');
    case 'pg_recvlogical':
    case 'pg_receivewal':
      if (hasFlag(p, 'drop-slot')) return verdict('destructive', `${tool} --drop-slot`);
      if (hasFlag(p, 'create-slot')) return verdict('mutating', `${tool} --create-slot`);
      return tool === 'pg_recvlogical' && hasFlag(p, 'start')
        ? verdict('mutating', 'pg_recvlogical --start (consumes the slot\'s changes)')
        : verdict('readOnly', `${tool} (streams changes)`);
    case 'pg_basebackup':
      return hasFlag(p, 'create-slot')
        ? verdict('mutating', 'pg_basebackup --create-slot') : verdict('readOnly', 'pg_basebackup');
    case 'pgbench': {
      if (hasFlag(p, 'initialize')) {
        return verdict('destructive', 'pgbench -i (drops and recreates the pgbench_* tables)');
      }
      const scripts = pgbenchScripts(p);
      if (scripts.every((x) => x === 'select-only')) return verdict('readOnly', 'pgbench --select-only');
      const writing = scripts.filter((x) => x !== 'select-only').join(', ');
      return verdict('mutating', `pgbench (runs ${writing} transactions)`);
    }
    default:
      return verdict('unknown', tool);
  }
}

/** Tools whose database (or connection string) comes only from `-d`. */
const DBNAME_FLAG_ONLY = new Set([
  'pg_restore', 'pg_dumpall', 'pg_recvlogical', 'pg_receivewal', 'pg_basebackup', 'pg_isready',
]);

/** Tools that connect to a maintenance database (`postgres`) unless told otherwise, never to PGDATABASE. */
const MAINTENANCE = new Set(['dropdb', 'createdb', 'dropuser', 'createuser']);

function analyze(tool: string, argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  // glibc's getopt stops at the first positional when POSIXLY_CORRECT is set at all, even empty.
  const p = parseArgs(argv, PG_GRAMMARS[tool], { stopAtPositional: ctx.env.POSIXLY_CORRECT !== undefined });
  const { env, sources } = pgWrapper(argv, ctx);
  const pc: PgCtx = { ctx, env, sources };
  const secretArgs = p.secrets;
  if (tool === 'psql') return { ...analyzePsql(p, pc), secretArgs };
  const pos = p.positionals.map((x) => x.value);
  let tgt: GuardTarget;
  if (MAINTENANCE.has(tool)) {
    // The database named is the one dropped/created; the connection goes to the maintenance database.
    const t = target(pc, p, lastValue(p, 'maintenance-db') ?? 'postgres', '--maintenance-db');
    const name = pos[0];
    const host = t.name.split('/')[0];
    if (tool === 'dropdb' || tool === 'createdb') {
      tgt = name ? { ...t, name: `${host}/${name}`, identifiers: [...t.identifiers, name] } : t;
    }
    else tgt = name ? { ...t, identifiers: [...t.identifiers, name], details: { ...t.details, role: name } } : t;
  } else if (tool === 'pg_dump' || tool === 'pgbench' || tool === 'vacuumlo') {
    tgt = target(pc, p, pos[0] ?? lastValue(p, 'dbname'), pos[0] !== undefined ? 'dbname argument' : '-d flag');
  } else if (DBNAME_FLAG_ONLY.has(tool)) {
    tgt = target(pc, p, lastValue(p, 'dbname'), '-d flag');
  } else {
    tgt = target(pc, p, lastValue(p, 'dbname') ?? pos[0] ?? lastValue(p, 'maintenance-db'), 'dbname argument');
  }
  // vacuumlo cleans every database it is given.
  const more = tool === 'vacuumlo' ? pos.slice(1).map((db) => target(pc, p, db, 'dbname argument')) : [];
  return {
    verb: tool, targets: [tgt, ...more], problems: [], readsStdin: false, secretArgs,
    judge: () => toolVerdict(tool, p, pos),
  };
}

/** PostgreSQL client tools. */
export const postgresModule: ToolModule = {
  tools: Object.keys(PG_SPECS),
  analyze,
};
