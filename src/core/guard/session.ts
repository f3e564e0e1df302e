// Interactive sessions against production (a database client started with no command, no script and a terminal
// on stdin): they run read-only until the user asks for a writable one, which is confirmed like any destructive
// command and then runs with autocommit off, so a mistake can still be rolled back.
// - psql: the server-side setting default_transaction_read_only=on through PGOPTIONS (libpq sends it at every
//   connection, `\connect` included); writable: `AUTOCOMMIT off`.
// - mysql/mariadb: `SET SESSION TRANSACTION READ ONLY` as the init command (run again on every reconnect) and
//   `--safe-updates`; writable: `SET autocommit=0` and `--safe-updates`.
// - mongosh and redis-cli have no read-only switch: opening the session asks.
// Every session gets a prompt that says PRODUCTION in red, with the target.
import type { GuardDecision } from './decide';
import type { Verdict } from './types';

/** The variable that asks for a writable session (then confirmed as usual). */
export const WRITABLE_ENV = 'PRODGUARD_WRITABLE';

export interface SessionPlan {
  /** `readOnly`: runs now, read-only; `writable`/`confirm`: runs after the usual confirmation. */
  readonly kind: 'readOnly' | 'writable' | 'confirm';
  /** The arguments to run the real client with. */
  readonly args: readonly string[];
  /** Environment variables to set for it. */
  readonly env: Readonly<Record<string, string>>;
  /** What the confirmation names (for `writable` and `confirm`). */
  readonly verdict: Verdict;
  /** Lines for stderr before the session starts. */
  readonly banner: readonly string[];
}

const RED = '\u001b[1;31m';
const RESET = '\u001b[0m';
const PSQL = new Set(['psql']);
const MYSQL = new Set(['mysql', 'mariadb']);
const ASK_ONLY = new Set(['mongosh', 'mongo', 'redis-cli']);

/** The plan for an interactive session, or undefined when `d` is not one against production (or unresolved). */
export function sessionPlan(d: GuardDecision, args: readonly string[], env: NodeJS.ProcessEnv, target: string,
  command: string): SessionPlan | undefined {
  if (d.verdict?.code !== 'interactive') return undefined;
  const writable = (env[WRITABLE_ENV] ?? '') !== '' && env[WRITABLE_ENV] !== '0';
  const label = d.environment === 'production' ? 'PRODUCTION' : 'UNRESOLVED TARGET';
  const head = `prod-guard: ${label}: ${target}`;
  const again = `${WRITABLE_ENV}=1 ${command}`;
  /** A session that cannot be made read-only: opening it asks. */
  const ask = (what: string): SessionPlan => ({
    kind: 'confirm', args: [...args], env: {}, verdict: { code: 'mutating', what }, banner: [head],
  });
  // psql whose connection sets `options` (conninfo, URL, service): PGOPTIONS would be ignored, so it asks.
  if (PSQL.has(d.tool) && d.targets.some((t) => t.details.options)) {
    return ask('an interactive psql session whose connection sets its own options (Prod Guard cannot make it '
      + 'read-only)');
  }
  if (PSQL.has(d.tool)) {
    const mark = writable ? label : `${label} read-only`;
    const prompt = (tail: string): string => `%[${RED}%]${mark}%[${RESET}%] %n@%M:%>/%/${tail}`;
    const vars = ['-v', `PROMPT1=${prompt('%R%x%# ')}`, '-v', `PROMPT2=${prompt('%R%x%# ')}`];
    if (writable) {
      return {
        kind: 'writable', args: [...vars, '-v', 'AUTOCOMMIT=off', ...args], env: {},
        verdict: { code: 'mutating', what: 'a writable interactive psql session (AUTOCOMMIT off)' },
        banner: [head, 'prod-guard: writable session, AUTOCOMMIT off: nothing stays until you COMMIT '
          + '(ROLLBACK undoes).'],
      };
    }
    const pgoptions = `${env.PGOPTIONS ? `${env.PGOPTIONS} ` : ''}-c default_transaction_read_only=on`;
    return {
      kind: 'readOnly', args: [...vars, ...args], env: { PGOPTIONS: pgoptions },
      verdict: { code: 'readOnly', what: 'a read-only interactive psql session' },
      banner: [head, 'prod-guard: this session is read-only (default_transaction_read_only=on): writes fail with '
        + 'the server\'s own error.', `prod-guard: for a writable session (asks first, then AUTOCOMMIT off): ${again}`],
    };
  }
  if (MYSQL.has(d.tool)) {
    const mark = writable ? label : `${label} read-only`;
    // The client keeps only the last --init-command: the user's own one runs first, then ours.
    const theirs = userInitCommand(args);
    // A newline first: the user's command may end in a `-- comment`.
    const init = (sql: string): string => `--init-command=${theirs ? `${theirs.replace(/[;\s]+$/, '')}\n;` : ''}${sql}`;
    // Our options go before a `--` (after it the client takes words as positional arguments).
    const dd = args.indexOf('--');
    const place = (ours: string[]): string[] => (dd < 0 ? [...args, ...ours] : [...args.slice(0, dd), ...ours,
      ...args.slice(dd)]);
    // The client prints the prompt's escape character literally: no colour here, the word says it.
    const prompt = `--prompt=${mark} \\u@\\h [\\d]> `;
    if (writable) {
      return {
        kind: 'writable', args: place([init('SET autocommit=0'), '--safe-updates', prompt]), env: {},
        verdict: { code: 'mutating', what: `a writable interactive ${d.tool} session (autocommit off, safe updates)` },
        banner: [head, 'prod-guard: writable session, autocommit off and --safe-updates: changes stay only after '
          + 'COMMIT, except DDL (CREATE, DROP, ALTER…), which MySQL commits at once.'],
      };
    }
    return {
      kind: 'readOnly', args: place([init('SET SESSION TRANSACTION READ ONLY'), '--safe-updates', prompt]),
      env: {},
      verdict: { code: 'readOnly', what: `a read-only interactive ${d.tool} session` },
      banner: [head, 'prod-guard: this session is read-only (SET SESSION TRANSACTION READ ONLY, --safe-updates): '
        + 'writes fail with the server\'s own error.', `prod-guard: for a writable session (asks first, then `
        + `autocommit off): ${again}`],
    };
  }
  if (ASK_ONLY.has(d.tool)) return ask(`an interactive ${d.tool} session (${d.tool} has no read-only mode)`);
  return undefined;
}

/** The last `--init-command` (or `--init_command`) the user gave on the command line. */
function userInitCommand(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--init[-_]command(?:=([\s\S]*))?$/.exec(args[i]);
    if (m) found = m[1] ?? args[++i];
  }
  return found;
}
