// Terraform, read the way terraform reads itself (1.11): one `-chdir=DIR` before the subcommand, the subcommand
// found by hashicorp/cli (nested: `state rm`), `TF_CLI_ARGS` and `TF_CLI_ARGS_<cmd>` inserted after it (or in
// front of everything when there is no subcommand), `-v`/`-version` anywhere and `-h`/`-help` before `--`
// short-circuiting, then Go's flag package per subcommand (stops at the first positional). The workspace
// comes from TF_WORKSPACE or `<TF_DATA_DIR or .terraform>/environment` under the -chdir folder.
// `test/system/terraform-grammar.test.ts` probes the installed binary for every flag below.
import * as path from 'path';
import { terraformBackend, terraformWorkspace } from '../../terraform';
import type { Problem } from '../../types';
import { goBool, parseArgs, type FlagDef, type Grammar, type ParsedArgs } from '../grammar';
import { verdict } from '../types';
import type { GuardTarget, ToolAnalysis, ToolContext, ToolModule, Verdict, VerdictCode } from '../types';

// ---------------------------------------------------------------------------------------------------------
// Grammar data (probed from terraform 1.11.4: `-flag` alone → "flag needs an argument" for value flags)
// ---------------------------------------------------------------------------------------------------------

/** Every command path terraform 1.11 knows (hidden ones included: `env …`, `push`). */
export const TF_COMMANDS: readonly string[] = [
  'apply', 'console', 'destroy', 'env', 'env delete', 'env list', 'env new', 'env select', 'fmt', 'force-unlock',
  'get', 'graph', 'import', 'init', 'login', 'logout', 'metadata', 'metadata functions', 'modules', 'output', 'plan',
  'providers', 'providers lock', 'providers mirror', 'providers schema', 'push', 'refresh', 'show', 'state',
  'state list', 'state mv', 'state pull', 'state push', 'state replace-provider', 'state rm', 'state show', 'taint',
  'test', 'untaint', 'validate', 'version', 'workspace', 'workspace delete', 'workspace list', 'workspace new',
  'workspace select', 'workspace show',
];
const COMMAND_SET = new Set(TF_COMMANDS);

/** The operation flags plan, apply, destroy and refresh share. */
const OPERATION = 'backup= lock-timeout= parallelism= replace= state= state-out= target= var= var-file= '
  + 'destroy input json lock refresh refresh-only';

/** Value-taking (`=`) and boolean flags per command, as the binary accepts them. */
const FLAGS: Readonly<Record<string, string>> = {
  init: 'backend-config= from-module= lock-timeout= lockfile= plugin-dir= target= test-directory= var= var-file= '
    + 'backend force-copy get ignore-remote-version input json lock migrate-state reconfigure upgrade',
  validate: 'test-directory= json no-tests',
  plan: `${OPERATION} generate-config-out= out= detailed-exitcode`,
  apply: `${OPERATION} auto-approve`,
  destroy: `${OPERATION} auto-approve`,
  refresh: OPERATION,
  console: 'state= target= var= var-file= input plan',
  fmt: 'check diff list recursive write',
  'force-unlock': 'force',
  get: 'test-directory= update',
  graph: 'module-depth= plan= type= draw-cycles verbose',
  import: 'backup= config= lock-timeout= parallelism= state= state-out= target= var= var-file= ignore-remote-version '
    + 'input lock',
  login: 'target= var= var-file= input',
  logout: '',
  'metadata functions': 'json',
  modules: 'json',
  output: 'state= json raw',
  providers: 'test-directory=',
  'providers lock': 'fs-mirror= net-mirror= platform= enable-plugin-cache',
  'providers mirror': 'platform= lock-file',
  'providers schema': 'json',
  show: 'json',
  'state list': 'id= state=',
  'state mv': 'backup= backup-out= lock-timeout= state= state-out= dry-run ignore-remote-version lock',
  'state pull': '',
  'state push': 'lock-timeout= force ignore-remote-version lock',
  'state replace-provider': 'backup= lock-timeout= state= auto-approve ignore-remote-version lock',
  'state rm': 'backup= lock-timeout= state= dry-run ignore-remote-version lock',
  'state show': 'state=',
  taint: 'backup= lock-timeout= state= state-out= allow-missing ignore-remote-version lock',
  untaint: 'backup= lock-timeout= state= state-out= allow-missing ignore-remote-version lock',
  test: 'cloud-run= filter= junit-xml= test-directory= var= var-file= json verbose',
  version: 'json',
  'workspace delete': 'lock-timeout= force lock',
  'workspace list': '',
  'workspace new': 'lock-timeout= state= lock',
  'workspace select': 'or-create',
  'workspace show': 'target= var= var-file= input',
  'env delete': 'lock-timeout= force lock',
  'env list': '',
  'env new': 'lock-timeout= state= lock',
  'env select': 'or-create',
};

/** Commands whose view flags include `-compact-warnings` (every command takes `-no-color`). */
const COMPACT = new Set(['init', 'validate', 'plan', 'apply', 'destroy', 'refresh', 'console', 'import', 'login',
  'modules', 'output', 'show', 'test', 'workspace show']);

/** The Go flag grammar of one command, as the binary accepts it. */
export function terraformGrammar(command: string): Grammar | undefined {
  const spec = FLAGS[command];
  if (spec === undefined) return undefined;
  const words = [...spec.split(/\s+/).filter(Boolean), 'no-color'];
  if (COMPACT.has(command)) words.push('compact-warnings');
  const flags: FlagDef[] = words.map((w) => {
    const name = w.replace(/=$/, '');
    return { name, long: [name], arg: w.endsWith('=') ? 'required' : 'none' };
  });
  return { style: 'goflag', flags, stopAtPositional: true };
}

// ---------------------------------------------------------------------------------------------------------
// TF_CLI_ARGS: mattn/go-shellwords 1.0.12 (no environment or backtick expansion)
// ---------------------------------------------------------------------------------------------------------

/** Splits a TF_CLI_ARGS value as go-shellwords does; `undefined` when terraform would refuse it. */
export function shellwords(line: string): string[] | undefined {
  const args: string[] = [];
  let buf = '';
  let got = false;
  let escaped = false;
  let dq = false;
  let sq = false;
  let bq = false;
  let dollar = false;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const r = chars[i];
    if (escaped) {
      escaped = false;
      buf += bq || dollar ? `\\${r}` : r;
      got = true;
      continue;
    }
    if (r === '\\') {
      if (sq) buf += r;
      else escaped = true;
      continue;
    }
    if (r === ' ' || r === '\t' || r === '\r' || r === '\n') {
      if (sq || dq || bq || dollar) buf += r;
      else if (got) {
        args.push(buf);
        buf = '';
        got = false;
      }
      continue;
    }
    if (r === '`' && !sq && !dq && !dollar) bq = !bq;
    else if (r === ')' && !sq && !dq && !bq) {
      if (!dollar) return undefined;
      dollar = false;
    } else if (r === '(' && !sq && !dq && !bq) {
      if (!dollar && buf.endsWith('$') && !buf.endsWith('\\$')) dollar = true;
      else return undefined;
    } else if (r === '"' && !sq && !dollar && !bq) {
      if (dq) got = true;
      dq = !dq;
      continue;
    } else if (r === "'" && !dq && !dollar && !bq) {
      if (sq) got = true;
      sq = !sq;
      continue;
    } else if (';&|<>'.includes(r) && !(sq || dq || bq || dollar)) {
      // A shell operator ends the line; `2>` drops the file-descriptor number before it.
      if (r === '>' && buf.length > 0 && /^[0-9]+$/.test(buf)) got = false;
      break;
    }
    got = true;
    buf += r;
  }
  if (escaped || sq || dq || bq || dollar) return undefined;
  if (got) args.push(buf);
  return args;
}

// ---------------------------------------------------------------------------------------------------------
// The command line as terraform's main() and hashicorp/cli see it
// ---------------------------------------------------------------------------------------------------------

const HELP = new Set(['-h', '-help', '--help']);
const VERSION = new Set(['-v', '-version', '--version']);
const AUTOCOMPLETE = new Set(['-install-autocomplete', '--install-autocomplete', '-uninstall-autocomplete',
  '--uninstall-autocomplete']);

/** hashicorp/cli's processArgs: the subcommand, its arguments, and what comes before it. */
interface CliArgs {
  readonly command: string;
  /** Index in `args` of the first argument after the subcommand's words. */
  readonly argsFrom: number;
  readonly help: boolean;
  readonly version: boolean;
  readonly autocomplete: string[];
  readonly topFlags: string[];
}

/** The command paths, longest first: radix LongestPrefix over a few dozen keys. */
const BY_LENGTH = [...TF_COMMANDS].sort((x, y) => y.length - x.length);

/**
 * hashicorp/cli's nested-command search at `args[i]`: the words up to a flag, an empty word or one with a space
 * are joined; the longest command that is a *string* prefix of that line is taken if `<command>( |$)` matches
 * anywhere in it (an unanchored regexp: `state listx foo state list` runs `state list`, `destroyx destroy` runs
 * `destroy` with a plan file named "destroy"). One join, one search:
 * linear in the words (joining every prefix was quadratic: 250 s for 150,000 words).
 */
function nestedCommand(args: readonly string[], i: number): string | undefined {
  let j = i;
  while (j < args.length && args[j] !== '' && !args[j].startsWith('-') && !args[j].includes(' ')) j++;
  const line = args.slice(i, j).join(' ');
  const k = BY_LENGTH.find((c) => line.startsWith(c));
  if (!k) return undefined;
  return line.endsWith(k) || line.includes(`${k} `) ? k : undefined;
}

function processArgs(args: readonly string[]): CliArgs {
  let command = '';
  let argsFrom = args.length;
  let help = false;
  let version = false;
  const autocomplete: string[] = [];
  const topFlags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (HELP.has(a)) {
      help = true;
      continue;
    }
    if (AUTOCOMPLETE.has(a)) {
      autocomplete.push(a.replace(/^-+/, ''));
      continue;
    }
    if (command === '') {
      if (VERSION.has(a)) {
        version = true;
        continue;
      }
      if (a !== '' && a.startsWith('-')) topFlags.push(a);
    }
    if (command === '' && a !== '' && !a.startsWith('-')) {
      command = a;
      if (a.includes(' ')) return { command: '', argsFrom: args.length, help, version, autocomplete, topFlags };
      const nested = nestedCommand(args, i);
      if (nested) {
        command = nested;
        i += nested.split(' ').length - 1;
      }
      argsFrom = i + 1;
    }
  }
  return { command, argsFrom, help, version, autocomplete, topFlags };
}

/** `TF_CLI_ARGS…`: inserted right after the first occurrence of the subcommand's last word, or in front. */
function mergeEnvArgs(env: NodeJS.ProcessEnv, name: string, command: string, args: string[]): string[] | string {
  const value = env[name];
  if (!value) return args;
  const extra = shellwords(value);
  if (!extra) return `${name} cannot be parsed: terraform refuses to run`;
  const search = command.includes(' ') ? command.slice(command.lastIndexOf(' ') + 1) : command;
  const idx = args.indexOf(search) + 1;
  return [...args.slice(0, idx), ...extra, ...args.slice(idx)];
}

/** terraform's main(): -chdir, TF_CLI_ARGS, the -version short-cut, then hashicorp/cli. */
interface TfLine {
  readonly chdir?: string;
  /** Set when terraform stops before running any command (bad -chdir, unparseable TF_CLI_ARGS). */
  readonly error?: string;
  readonly args: string[];
  readonly cli: CliArgs;
  /** Argument i of `args` comes from argv index `origin[i]` (-1: from TF_CLI_ARGS). */
  readonly origin: number[];
  readonly versionShortcut: boolean;
}

/** The arguments terraform runs with after -chdir and TF_CLI_ARGS (what `TF_LOG=INFO` prints), and its subcommand. */
export function readTerraformLine(argv: readonly string[], env: NodeJS.ProcessEnv):
  { args: string[]; command: string; chdir?: string; error?: string } {
  const line = readLine(argv, env);
  const args = line.versionShortcut ? ['version', ...line.args] : line.args;
  return { args, command: line.cli.command, chdir: line.chdir, error: line.error };
}

function readLine(argv: readonly string[], env: NodeJS.ProcessEnv): TfLine {
  let args = [...argv];
  let origin = argv.map((_a, i) => i);
  // extractChdirOption: only before the first non-flag word; `-chdir=` exactly; the last one is taken (and
  // only it is removed: a second -chdir then fails as a flag before the subcommand).
  let chdir: string | undefined;
  let pos = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) break;
    if (a === '-chdir' || a === '-chdir=') {
      const error = 'invalid -chdir option (terraform stops)';
      return { error, args, origin, cli: processArgs([]), versionShortcut: false };
    }
    if (a.startsWith('-chdir=')) {
      pos = i;
      chdir = a.slice('-chdir='.length);
    }
  }
  if (pos >= 0) {
    args = args.filter((_a, i) => i !== pos);
    origin = origin.filter((_o, i) => i !== pos);
  }
  const first = processArgs(args).command;
  const suffix = first.replace(/[- ]/g, '_');
  for (const name of ['TF_CLI_ARGS', `TF_CLI_ARGS_${suffix}`]) {
    const merged = mergeEnvArgs(env, name, first, args);
    if (typeof merged === 'string') {
      return { chdir, error: merged, args, origin, cli: processArgs([]), versionShortcut: false };
    }
    if (merged.length !== args.length) {
      const idx = args.indexOf(first.slice(first.lastIndexOf(' ') + 1)) + 1;
      origin = [...origin.slice(0, idx), ...Array<number>(merged.length - args.length).fill(-1), ...origin.slice(idx)];
      args = merged;
    }
  }
  const versionShortcut = args.some((a) => VERSION.has(a));
  return { chdir, args, origin, cli: processArgs(args), versionShortcut };
}

// ---------------------------------------------------------------------------------------------------------
// Verdicts
// ---------------------------------------------------------------------------------------------------------

const READ_COMMANDS = new Set(['plan', 'show', 'output', 'validate', 'providers', 'providers schema', 'graph',
  'console', 'state list', 'state show', 'state pull', 'workspace list', 'workspace show', 'env list', 'modules',
  'metadata functions']);
const LOCAL_COMMANDS = new Set(['fmt', 'get', 'login', 'logout', 'providers lock', 'providers mirror',
  'workspace select', 'env select']);
const HARMLESS_COMMANDS = new Set(['workspace new', 'env new']);
/** Parents that only print their subcommands' list. */
const HELP_COMMANDS = new Set(['state', 'workspace', 'metadata', 'env']);
const DESTRUCTIVE_COMMANDS = new Set(['destroy', 'state rm', 'state push', 'workspace delete', 'env delete']);
const MUTATING_COMMANDS = new Set(['apply', 'refresh', 'import', 'taint', 'untaint', 'state mv',
  'state replace-provider', 'force-unlock', 'test']);

const RANK: Record<VerdictCode, number> = {
  destructive: 12, mutating: 11, unknown: 10, unparseable: 9, unreadable: 8, tooLarge: 7, interactive: 6,
  harmlessWrite: 3, readOnly: 2, localOnly: 1, noEffect: 0,
};

function lastBool(p: ParsedArgs, name: string): boolean | 'invalid' | undefined {
  for (let k = p.flags.length - 1; k >= 0; k--) {
    if (p.flags[k].name === name) return goBool(p.flags[k].value) ?? 'invalid';
  }
  return undefined;
}

/** Judges one reading of the subcommand's arguments. */
function judgeArgs(command: string, args: readonly string[]): Verdict {
  const what = `terraform ${command}`;
  if (HELP_COMMANDS.has(command)) return verdict('noEffect', `${what} (lists its subcommands)`);
  if (command === 'version') return verdict('noEffect', what);
  const g = terraformGrammar(command);
  if (!g) return verdict('unknown', what);
  const p = parseArgs(args, g);
  if (p.errors.length || p.unknown.length) {
    return verdict('unparseable', `${what}: ${p.errors[0] ?? `unknown flag ${p.unknown[0].raw}`}`);
  }
  for (const f of p.flags) {
    if (g.flags.find((d) => d.name === f.name)?.arg === 'none' && goBool(f.value) === undefined) {
      return verdict('unparseable', `${what}: -${f.name}=${f.value} is not a boolean`);
    }
  }
  const positionals = p.positionals.map((x) => x.value);
  if (READ_COMMANDS.has(command)) return verdict('readOnly', what);
  if (LOCAL_COMMANDS.has(command)) return verdict('localOnly', what);
  if (HARMLESS_COMMANDS.has(command)) return verdict('harmlessWrite', what);
  if (command === 'init') {
    const migrate = lastBool(p, 'migrate-state') === true ? '-migrate-state'
      : lastBool(p, 'force-copy') === true ? '-force-copy' : undefined;
    if (migrate) return verdict('mutating', `${what} ${migrate} (copies state into another backend)`);
    return verdict('localOnly', what);
  }
  if (command === 'state rm' || command === 'state mv') {
    if (lastBool(p, 'dry-run') === true) return verdict('noEffect', `${what} -dry-run`);
  }
  if (command === 'apply') {
    if (lastBool(p, 'destroy') === true) return verdict('destructive', `${what} -destroy`);
    if (positionals.length) return verdict('mutating', `${what} ${positionals[0]} (a saved plan)`);
    if (lastBool(p, 'refresh-only') === true) return verdict('mutating', `${what} -refresh-only`);
  }
  if (DESTRUCTIVE_COMMANDS.has(command)) return verdict('destructive', what);
  if (MUTATING_COMMANDS.has(command)) return verdict('mutating', what);
  return verdict('unknown', what);
}

// ---------------------------------------------------------------------------------------------------------
// Target: workspace, folder, backend
// ---------------------------------------------------------------------------------------------------------

/** Repository roots already looked up during one decision, by folder (`null`: none above it). */
type RootCache = Map<string, string | null>;

/** The nearest folder at or above `dir` that holds `.git` (a folder or a worktree's file), if any. */
function repoRoot(dir: string, ctx: ToolContext, cache: RootCache = new Map()): string | undefined {
  const seen: string[] = [];
  let d = dir;
  let found: string | null = null;
  for (let depth = 0; depth < 32; depth++) {
    const known = cache.get(d);
    if (known !== undefined) {
      found = known;
      break;
    }
    seen.push(d);
    const r = ctx.files.readText(path.join(d, '.git'), 4096);
    if (r.ok || !r.missing) {
      found = d;
      break;
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  // Every folder walked through has the same root: thousands of `-var-file=` paths cost one look-up each.
  for (const x of seen) cache.set(x, found);
  return found ?? undefined;
}

/** The folder below the nearest repository root (`envs/prod/network`), so a repository's own name is not read. */
function relativeFolder(dir: string, ctx: ToolContext, cache?: RootCache): string | undefined {
  const root = repoRoot(dir, ctx, cache);
  if (root !== undefined) return root === dir ? undefined : path.relative(root, dir);
  const home = ctx.env.HOME || ctx.home;
  return home && dir.startsWith(home + path.sep) ? path.relative(home, dir) : undefined;
}

function workspaceTarget(line: TfLine, args: readonly string[], ctx: ToolContext, problems: Problem[]): GuardTarget[] {
  const dir = path.resolve(ctx.cwd, line.chdir ?? '.');
  const ws = terraformWorkspace(dir, ctx.env, ctx.files, problems);
  const { workspace, source, line: lineNo, unresolved, dataDir } = ws;
  const backend = terraformBackend(dataDir, ctx.files, problems);
  const rel = relativeFolder(dir, ctx);
  const base = path.basename(dir);
  const ids = [workspace, base, ...(rel && rel !== base ? [rel] : []), ...backend.ids, ...args];
  const details: Record<string, string> = { workspace, directory: dir };
  if (backend.type) details.backend = backend.type;
  const identifiers = [...new Set(ids)];
  return [{ kind: 'terraform', name: workspace, identifiers, details, source, line: lineNo, unresolved }];
}

/** Flags whose value is a file or folder that names an environment (state, variables, backend, configuration). */
const PATH_FLAGS = new Set(['var-file', 'state', 'state-out', 'backend-config', 'config']);

/**
 * Identifiers of a path terraform reads or writes (relative to its working folder): the path below the nearest
 * repository root (or the home folder; absolute elsewhere), each of its folder names and its file name, so
 * `-state=../prod/terraform.tfstate` run from `envs/dev` names `envs/prod/terraform.tfstate` and `prod`.
 */
function pathIdentifiers(value: string, dir: string, ctx: ToolContext, cache: RootCache): string[] {
  const abs = path.resolve(dir, value);
  const parent = path.dirname(abs);
  const below = relativeFolder(parent, ctx, cache);
  const folder = below ?? (repoRoot(parent, ctx, cache) === parent ? '' : parent);
  const rel = folder ? path.join(folder, path.basename(abs)) : path.basename(abs);
  const names = folder.split(path.sep).filter(Boolean);
  return [...new Set([rel, ...names, path.basename(abs)])];
}

/**
 * Values that name where a command reads or writes state or variables (`-var-file=prod.tfvars`, `-state=…`, a
 * saved plan, `-backend-config=bucket=prod-state`), and the workspace a `workspace delete` removes.
 */
function argIdentifiers(command: string, args: readonly string[], dir: string, ctx: ToolContext):
  { ids: string[]; deleted?: string } {
  const g = terraformGrammar(command);
  if (!g) return { ids: [] };
  const p = parseArgs(args, g);
  const ids: string[] = [];
  const cache: RootCache = new Map();
  for (const f of p.flags) {
    if (!f.value || !PATH_FLAGS.has(f.name)) continue;
    const eq = f.value.indexOf('=');
    if (f.name === 'backend-config' && eq > 0) {
      // `key=value` settings: the value names the backend (`bucket=prod-state`, the S3 state path `key=…`); a
      // secret one (`access_key=…`) is masked, never an identifier.
      const key = f.value.slice(0, eq);
      const secret = SECRET_NAME.test(key) && key.toLowerCase() !== 'key';
      // A URL's user info (`conn_str=postgres://u:pw@host/db`) is no identifier either.
      const value = f.value.slice(eq + 1).replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
      if (!secret && value) ids.push(value);
      continue;
    }
    ids.push(...pathIdentifiers(f.value, dir, ctx, cache));
  }
  const pos = p.positionals.map((x) => x.value);
  if (command === 'apply' && pos[0]) ids.push(...pathIdentifiers(pos[0], dir, ctx, cache));
  const deleted = command === 'workspace delete' || command === 'env delete' ? pos[0] : undefined;
  return { ids, deleted };
}

// ---------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------

const SECRET_NAME = /pass|secret|token|key|credential|auth/i;

function tfSecrets(line: TfLine): number[] {
  const out = new Set<number>();
  const a = line.args;
  for (let k = 0; k < a.length; k++) {
    const m = /^--?(var|backend-config)(=(.*))?$/s.exec(a[k]);
    if (!m) continue;
    const valueAt = m[2] !== undefined ? k : k + 1;
    const value = m[2] !== undefined ? m[3] : a[k + 1];
    if (value === undefined) continue;
    const name = value.split('=')[0];
    if (value.includes('=') && SECRET_NAME.test(name) && line.origin[valueAt] >= 0) out.add(line.origin[valueAt]);
    if (m[2] === undefined) k++;
  }
  return [...out].sort((x, y) => x - y);
}

// ---------------------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------------------

function analyzeTerraform(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const problems: Problem[] = [];
  const line = readLine(argv, ctx.env);
  const cli = line.cli;
  const command = cli.command;
  const subArgs = line.args.slice(cli.argsFrom);
  const extra = argIdentifiers(command, subArgs, path.resolve(ctx.cwd, line.chdir ?? '.'), ctx);
  const targets = workspaceTarget(line, extra.ids, ctx, problems);
  if (extra.deleted) {
    // `workspace delete NAME` removes NAME's state, whichever workspace is selected.
    const t = targets[0];
    targets.push({
      kind: 'terraform', name: extra.deleted, identifiers: [extra.deleted, ...t.identifiers.slice(1)],
      details: { ...t.details, workspace: extra.deleted }, source: `terraform ${command} ${extra.deleted}`,
    });
  }
  return {
    verb: command || (line.versionShortcut ? 'version' : ''),
    targets,
    problems,
    ...(line.chdir ? { workDir: path.resolve(ctx.cwd, line.chdir) } : {}),
    readsStdin: false,
    secretArgs: tfSecrets(line),
    judge(): Verdict {
      if (line.error) return verdict('unparseable', line.error);
      if (line.versionShortcut) return verdict('noEffect', 'terraform -version');
      if (cli.autocomplete.length) {
        return cli.autocomplete.length > 1 ? verdict('unparseable', 'terraform: both autocomplete flags')
          : verdict('localOnly', `terraform -${cli.autocomplete[0]} (edits the shell's startup file)`);
      }
      if (cli.help) return verdict('noEffect', `terraform ${command} -help`.replace('  ', ' '));
      if (cli.topFlags.length) {
        return verdict('unparseable', `terraform: ${cli.topFlags[0]} before the subcommand (terraform stops)`);
      }
      if (!command) return verdict('noEffect', 'terraform (prints its usage)');
      if (!COMMAND_SET.has(command)) return verdict('unknown', `terraform ${command} (not a terraform command)`);
      // Commands drop -no-color (and the view flags -compact-warnings) anywhere before their flag parsing;
      // whether a given command does is not visible from outside, so both readings are judged.
      const stripped = subArgs.filter((a) => a !== '-no-color' && a !== '-compact-warnings');
      const a = judgeArgs(command, subArgs);
      const b = stripped.length === subArgs.length ? a : judgeArgs(command, stripped);
      return RANK[b.code] > RANK[a.code] ? b : a;
    },
  };
}

/** terraform (1.x): workspace, folder and backend as the target; plan/show/… read, apply/destroy/state … ask. */
export const terraformModule: ToolModule = {
  tools: ['terraform'],
  analyze(tool, argv, ctx) {
    void tool;
    return analyzeTerraform(argv, ctx);
  },
  // A subcommand given first is the subcommand (TF_CLI_ARGS only adds arguments after it), and these never ask
  // whatever follows. Anything before it (-chdir=…) goes to the full guard.
  fastPath: {
    terraform: {
      valueFlags: [],
      booleanFlags: [],
      readOnlyVerbs: ['plan', 'show', 'output', 'validate', 'version', 'graph', 'providers', 'console', 'fmt', 'get',
        'modules', 'metadata', 'login', 'logout'],
    },
  },
};
