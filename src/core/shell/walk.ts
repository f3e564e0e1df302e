// Which programs a parsed bash line runs, with which words, environment, folder and stdin — worked out without
// running anything. Variables set by the line (`A=B cmd`, `A=B; cmd`, `export`, `for x in a b`) and the
// caller's environment are expanded; `cd` moves the folder; wrappers (`env`, `sudo`, `xargs`, `timeout`,
// `sh -c`, `bash script.sh`, `eval`, `aws-vault exec p --`…) are unwrapped to the command they start; the
// commands inside `$(…)`, backquotes and `<(…)` run too. What cannot be known before the line runs (the
// output of a command substitution, an unset positional parameter, a glob) stays as written and the step is
// marked `opaque`.
import * as path from 'path';
import { shWord } from '../shellQuote';
import { type Node, parseShell, type Part, type Redir, ShellSyntaxError, type Word } from './parse';

/** What a command reads on stdin, as far as the line shows it. */
export type StdinSource =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  /** Something the guard cannot see before it runs: the output of another command, say. */
  | { readonly kind: 'opaque'; readonly what: string };

/** One program the line runs. */
export interface Step {
  /** The words after expansion; a part the guard cannot know is kept as written (`$(…)`, `$1`, `*.sql`). */
  readonly argv: readonly string[];
  /** Some word holds a part the guard cannot know. */
  readonly opaque: boolean;
  /** The environment the program starts with. */
  readonly env: NodeJS.ProcessEnv;
  /** Its working folder; undefined when a `cd` went somewhere the guard cannot know. */
  readonly cwd: string | undefined;
  /** Other folders it may run in (a `cd` that may or may not have run: `[ -d x ] && cd x`). */
  readonly altCwds?: readonly string[];
  readonly stdin?: StdinSource;
  /** The simple command as written in the line. */
  readonly raw: string;
  /** The wrappers it was started through (`sh -c`, `xargs`, `sudo`), outermost first. */
  readonly via: readonly string[];
}

export interface WalkInput {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  /** Reads a script file the line runs (`bash deploy.sh`) or feeds (`< x.sql`); bounded by the caller. */
  readonly readFile?: (file: string) => string | undefined;
}

export interface WalkResult {
  readonly steps: readonly Step[];
  /** Set when the line could not be parsed: the guard then cannot tell what it runs. */
  readonly error?: string;
  /** Things the guard could not follow (`source`, aliases, too many loop turns): said in explanations. */
  readonly notes: readonly string[];
  /** The line is too large or too complex to follow to its end (a limit, not a syntax error): it asks. */
  readonly limited?: boolean;
}

const MAX_STEPS = 2000;
const MAX_LOOP = 64;
const MAX_NESTING = 16;
/** Nodes visited in all: loops in loops, recursive functions and dead branches stay bounded. */
const MAX_WORK = 20000;
/** A variable's value longer than this is not followed (`a=$a$a` doubling). */
const MAX_VALUE = 64 * 1024;
/** A `local` that shadowed nothing: removed when the function returns. */
const LOCAL_UNSET = '\u0000unset';
/** Shells whose scripts the guard reads as bash. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash']);
/** Executable names a script file is never taken for (their own modules decide). */
const GUARDED_NAMES = new Set(['kubectl', 'oc', 'helm', 'aws', 'terraform', 'psql', 'mysql', 'mariadb', 'redis-cli',
  'mongosh', 'mongo']);
/** What a wrapper starts. */
interface Inner {
  readonly argv: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string | undefined;
  readonly via: string;
  readonly opaque: boolean;
  /** A shell's script (`sh -c`, a script file, stdin), run in a new shell with these positional parameters. */
  readonly script?: string;
  readonly positional?: string[];
  readonly stdin?: StdinSource;
}
/** Builtins whose preceding assignments stay in the shell. */
const SPECIAL_BUILTINS = new Set(['export', 'readonly', 'declare', 'typeset', 'local', 'eval', 'set', 'source', '.', ':',
  'shift', 'unset']);

interface State {
  vars: Map<string, string | undefined>;
  exported: Set<string>;
  cwd: string | undefined;
  /** After `source` or `.`: variables the line did not set may have any value. */
  sourced?: string;
  functions: Map<string, Node>;
  /** Other folders the line may be in. */
  alts: string[];
  /** `$1`, `$2`…; undefined where not known. */
  positional?: string[];
  /** `set -a`: every assignment is exported. */
  allExport: boolean;
  aliases: Map<string, string>;
  /** `exec < file`: the stdin of every later command. */
  stdin?: StdinSource;
  /** Names `unset`: not in the environment of later commands. */
  unset: Set<string>;
  /** `local` names of the functions being run, with the values to restore. */
  locals: Array<Map<string, string | undefined>>;
  /** pushd's stack. */
  dirs?: string[];
  /** Indexed arrays (`a=(x y)`); undefined where the elements are not known. */
  arrays: Map<string, string[] | undefined>;
}

/** A fresh shell's state. */
function fresh(cwd: string | undefined, positional?: string[]): State {
  return { vars: new Map(), exported: new Set(), cwd, functions: new Map(), alts: [], positional,
    allExport: false, aliases: new Map(), unset: new Set(), locals: [], arrays: new Map() };
}

interface Expanded {
  readonly fields: string[];
  readonly opaque: boolean;
}

/** Parses `line` and lists the programs it runs, in order. */
export function walkLine(line: string, input: WalkInput): WalkResult {
  const w = new Walker(input);
  try {
    w.script(line, fresh(input.cwd), [], 0);
  } catch (e) {
    // A stack or string limit of the runtime: the line is too complex to follow (it asks).
    if (!(e instanceof RangeError)) throw e;
    w.error ??= `the line is too complex to follow (${e.message})`;
    w.limited = true;
  }
  return { steps: w.steps, notes: w.notes, ...(w.error ? { error: w.error } : {}), ...(w.limited ? { limited: true } : {}) };
}

class Walker {
  readonly steps: Step[] = [];
  readonly notes: string[] = [];
  error?: string;
  limited = false;
  private work = 0;
  constructor(private readonly input: WalkInput) {}

  private note(s: string): void {
    if (!this.notes.includes(s)) this.notes.push(s);
  }

  script(text: string, st: State, via: readonly string[], depth: number): void {
    if (depth > MAX_NESTING) {
      this.error ??= 'commands nested too deeply to follow';
      return;
    }
    let node: Node;
    try {
      node = parseShell(text);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.error ??= `${via.length ? `in ${via[via.length - 1]}: ` : ''}${e.message}`;
      return;
    }
    this.node(node, st, via, depth, undefined);
  }

  private clone(st: State): State {
    return { ...st, vars: new Map(st.vars), exported: new Set(st.exported), functions: new Map(st.functions),
      alts: [...st.alts], aliases: new Map(st.aliases), unset: new Set(st.unset), locals: [...st.locals],
      dirs: st.dirs ? [...st.dirs] : undefined, arrays: new Map(st.arrays) };
  }

  /**
   * Merges the states the shell may be in after a branch point into `st`: a variable the paths disagree on
   * becomes unknown; every folder a path ends in stays possible (`st`'s own is the main one).
   */
  private join(st: State, others: readonly State[]): void {
    const all = [st, ...others];
    const valueIn = (x: State, n: string): string | undefined =>
      x.vars.has(n) ? x.vars.get(n) : x.unset.has(n) ? '' : this.input.env[n] ?? '';
    for (const n of new Set(all.flatMap((x) => [...x.vars.keys(), ...x.unset]))) {
      const vals = all.map((x) => valueIn(x, n));
      if (vals.some((v) => v === undefined || v !== vals[0])) {
        st.vars.set(n, undefined);
        st.unset.delete(n);
      }
    }
    for (const x of others) {
      for (const [k, a] of x.arrays) {
        if (JSON.stringify(a) !== JSON.stringify(st.arrays.get(k))) st.arrays.set(k, undefined);
      }
      for (const n of x.exported) st.exported.add(n);
      for (const [k, f] of x.functions) if (!st.functions.has(k)) st.functions.set(k, f);
      for (const [k, a] of x.aliases) if (!st.aliases.has(k)) st.aliases.set(k, a);
      st.allExport ||= x.allExport;
      for (const c of [x.cwd, ...x.alts]) if (c !== undefined && c !== st.cwd && !st.alts.includes(c)) st.alts.push(c);
      if (JSON.stringify(x.positional) !== JSON.stringify(st.positional)) st.positional = undefined;
      if (x.stdin !== st.stdin) st.stdin = undefined;
    }
    if (st.cwd === undefined) {
      const known = all.map((x) => x.cwd).find((c) => c !== undefined);
      if (known !== undefined) st.cwd = known;
    }
  }

  /** Sets a shell variable (a value too long to follow is unknown). */
  private assign(st: State, name: string, value: string | undefined): void {
    const v = value !== undefined && value.length > MAX_VALUE ? undefined : value;
    st.vars.set(name, v);
    st.unset.delete(name);
    if (st.allExport) st.exported.add(name);
  }

  private node(n: Node, st: State, via: readonly string[], depth: number, stdin: StdinSource | undefined): void {
    if (this.steps.length >= MAX_STEPS || ++this.work > MAX_WORK) {
      this.error ??= this.steps.length >= MAX_STEPS ? `more than ${MAX_STEPS} commands` : 'too many commands to follow';
      this.limited = true;
      return;
    }
    switch (n.t) {
      case 'list': {
        // `a && b || c`: each command runs only if the chain got that far; after the chain, the state is the one
        // after any of its commands.
        const stops: State[] = [];
        n.items.forEach((item, k) => {
          // A background job runs in a subshell: its `cd` and assignments do not reach what follows.
          const sub = item.op === '&' ? this.clone(st) : st;
          this.node(item.node, sub, via, depth, stdin);
          if ((item.op === '&&' || item.op === '||') && k < n.items.length - 1) stops.push(this.clone(st));
        });
        if (stops.length) this.join(st, stops);
        return;
      }
      case 'pipe': {
        let feed = stdin;
        for (const c of n.cmds) {
          // Every part of a pipeline runs in a subshell.
          const sub = n.cmds.length > 1 ? this.clone(st) : st;
          const before = this.steps.length;
          this.node(c, sub, via, depth, feed);
          feed = this.output(c, this.steps.slice(before));
        }
        return;
      }
      case 'subshell':
        this.node(n.body, this.clone(st), via, depth, this.redirStdin(n.redirs, st, via, depth) ?? stdin);
        return;
      case 'group':
        this.node(n.body, st, via, depth, this.redirStdin(n.redirs, st, via, depth) ?? stdin);
        return;
      case 'compound': {
        for (const w of n.words) this.expand(w, st, via, depth);
        const feed = this.redirStdin(n.redirs, st, via, depth) ?? stdin;
        // The first part of if/while/until always runs; then one branch (or none, or the loop's body): each
        // is walked from the same state, and the state after is any of theirs.
        const first = n.kind === 'case' ? 0 : 1;
        for (let i = 0; i < Math.min(first, n.parts.length); i++) this.node(n.parts[i], st, via, depth, feed);
        const after = n.parts.slice(first).map((p) => {
          const b = this.clone(st);
          this.node(p, b, via, depth, feed);
          return b;
        });
        if (after.length) this.join(st, after);
        return;
      }
      case 'for': {
        const feed = this.redirStdin(n.redirs, st, via, depth) ?? stdin;
        let values: Array<string | undefined> = [undefined];
        if (n.items) {
          const all: string[] = [];
          let opaque = false;
          for (const w of n.items) {
            const e = this.expand(w, st, via, depth);
            all.push(...e.fields);
            opaque ||= e.opaque;
          }
          if (!opaque) values = all.slice(0, MAX_LOOP);
          if (all.length > MAX_LOOP) this.note(`only the first ${MAX_LOOP} turns of a for loop were followed`);
        }
        if (values.length === 0) return;
        // Known words: each turn runs (a `break` aside); unknown ones: the body may run or not.
        const known = values[0] !== undefined;
        const before = known ? undefined : this.clone(st);
        for (const v of values) {
          st.vars.set(n.name, v);
          this.node(n.body, st, via, depth, feed);
        }
        if (before) this.join(st, [before]);
        return;
      }
      case 'function':
        st.functions.set(n.name, n.body);
        return;
      case 'simple':
        this.simple(n, st, via, depth, stdin);
        return;
    }
  }

  /** What the command `c` writes on stdout, for the next part of a pipeline. */
  private output(c: Node, ran: readonly Step[]): StdinSource {
    const last = ran[ran.length - 1];
    if (c.t === 'simple' && last && ran.length === 1 && !last.opaque) {
      const [cmd, ...args] = last.argv;
      const name = path.basename(cmd ?? '');
      if (name === 'echo' && !args.some((a) => a.startsWith('-'))) return { kind: 'text', text: `${args.join(' ')}\n` };
      if (name === 'cat' && args.length === 1 && !args[0].startsWith('-') && last.cwd !== undefined) {
        return { kind: 'file', path: path.resolve(last.cwd, args[0]) };
      }
      if (name === 'cat' && args.length === 0 && last.stdin) return last.stdin;
    }
    return { kind: 'opaque', what: `the output of \`${c.t === 'simple' ? c.raw : 'a compound command'}\`` };
  }

  private redirStdin(redirs: readonly Redir[], st: State, via: readonly string[], depth: number):
    StdinSource | undefined {
    let stdin: StdinSource | undefined;
    for (const r of redirs) {
      const fd = r.fd ?? (r.op.startsWith('<') ? 0 : 1);
      if (r.op === '<<' || r.op === '<<-') {
        const body = r.body ? this.expand(r.body, st, via, depth, true) : { fields: [''], opaque: false };
        if (fd === 0) {
          stdin = body.opaque ? { kind: 'opaque', what: 'a here-document with command substitutions' }
            : { kind: 'text', text: body.fields.join('') };
        }
        continue;
      }
      const target = this.expand(r.target, st, via, depth, true);
      if (fd !== 0) continue;
      if (r.op === '<<<') {
        stdin = target.opaque ? { kind: 'opaque', what: `the here-string ${r.target.raw}` }
          : { kind: 'text', text: `${target.fields.join('')}\n` };
      } else if (r.op === '<' || r.op === '<>') {
        const file = target.fields.join('');
        stdin = target.opaque || st.cwd === undefined ? { kind: 'opaque', what: `the file ${r.target.raw}` }
          : { kind: 'file', path: path.resolve(st.cwd, file) };
      } else if (r.op === '<&') {
        stdin = { kind: 'opaque', what: `file descriptor ${r.target.raw}` };
      }
    }
    return stdin;
  }

  /** The value of a variable, or undefined when it cannot be known. */
  private lookup(name: string, st: State): { value: string | undefined; known: boolean } {
    if (name.startsWith('~')) {
      const user = name.slice(1);
      if (user === '') return { value: st.vars.get('HOME') ?? this.input.env.HOME ?? this.input.home, known: true };
      return { value: undefined, known: false };
    }
    if (/^[0-9]$|^[#@*]$/.test(name) && name !== '0') {
      const ps = st.positional;
      if (!ps) return { value: undefined, known: false };
      if (name === '#') return { value: String(ps.length), known: true };
      if (name === '@' || name === '*') return { value: ps.join(' '), known: true };
      return { value: ps[Number(name) - 1] ?? '', known: true };
    }
    if (st.vars.has(name)) {
      const v = st.vars.get(name);
      return { value: v, known: v !== undefined };
    }
    if (st.unset.has(name)) return { value: '', known: true };
    if (st.sourced) return { value: undefined, known: false };
    if (name === 'BASH') return { value: '/bin/bash', known: true };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { value: undefined, known: false };
    if (name === 'RANDOM' || name === 'SRANDOM' || name === 'LINENO' || name === 'SECONDS' || name === 'BASHPID'
      || name === 'EPOCHSECONDS' || name === 'EPOCHREALTIME' || name === 'REPLY') {
      return { value: undefined, known: false };
    }
    if (name === 'PWD') return { value: st.cwd, known: st.cwd !== undefined };
    // Unset in the caller's environment: it expands to nothing, as in the shell.
    return { value: this.input.env[name] ?? '', known: true };
  }

  /**
   * Expands a word to its fields. Command substitutions inside it are walked (they run). `joined`: a context
   * without field splitting (assignments, redirections, here-documents).
   */
  expand(w: Word, st: State, via: readonly string[], depth: number, joined = false): Expanded {
    const fields: string[] = [];
    let cur = '';
    let has = false;
    let opaque = false;
    let braces: { at: number; prefix: string; alts: string[] } | undefined;
    const push = (s: string, split: boolean): void => {
      if (!split || joined) {
        cur += s;
        has ||= s !== '' || !split;
        return;
      }
      // Field splitting on IFS: its whitespace characters collapse (the shell's rule for the default too).
      const ifs = this.lookup('IFS', st);
      if (st.vars.has('IFS') && !ifs.known) opaque = true;
      const seps = st.vars.has('IFS') && ifs.known ? ifs.value ?? '' : ' \t\n';
      if (seps === '') {
        cur += s;
        has ||= s !== '';
        return;
      }
      const pieces = s.split(new RegExp(`[${seps.replace(/[\\\]^-]/g, '\\$&')}]+`));
      pieces.forEach((p, i) => {
        if (i > 0 && (has || cur)) {
          fields.push(cur);
          cur = '';
          has = false;
        }
        if (p) {
          cur += p;
          has = true;
        }
      });
    };
    /** `"$@"`, `"${a[@]}"`: one field per value, the first and last joined to the text around them. */
    const spread = (values: readonly string[]): void => {
      values.forEach((v, i) => {
        if (i > 0) {
          fields.push(cur);
          cur = '';
        }
        cur += v;
        has = true;
      });
    };
    for (const p of w.parts) {
      switch (p.t) {
        case 'lit':
          cur += p.s;
          has = true;
          break;
        case 'glob': {
          // `{a,b}` of plain words expands to one field each (bash does it first); a glob that matches
          // nothing stays as written, one that matches the guard cannot list here.
          const alts = /^\{([^{}]*)\}$/.exec(p.s)?.[1].split(',');
          if (alts && alts.length > 1 && braces === undefined && !p.s.includes('\\')) {
            braces = { at: fields.length, prefix: cur, alts };
            cur = '';
          } else {
            cur += p.s;
            opaque = true;
          }
          has = true;
          break;
        }
        case 'param': {
          if ((p.name === '@' || p.name === '*') && !p.op && st.positional) {
            // "$@": one field per positional parameter; unquoted, each is split again.
            if (p.quoted && p.name === '@') spread(st.positional);
            else push(st.positional.join(' '), !p.quoted);
            break;
          }
          const ix = p.op === 'other' ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\[(@|\*|\d+)\]\}$/.exec(p.raw) : null;
          const arr = ix ? st.arrays.get(ix[1]) : undefined;
          if (ix && arr) {
            if (ix[2] === '@' && p.quoted) spread(arr);
            else push(/\d/.test(ix[2]) ? arr[Number(ix[2])] ?? '' : arr.join(' '), !p.quoted);
            break;
          }
          const r = this.param(p, st, via, depth);
          if (!r.known) {
            opaque = true;
            cur += p.raw;
            has = true;
          } else push(r.value ?? '', !p.quoted);
          break;
        }
        case 'cmdsub': {
          const before = this.steps.length;
          this.node(p.body, this.clone(st), [...via], depth + 1, undefined);
          const out = this.staticOutput(this.steps.slice(before));
          if (out !== undefined) {
            push(out.replace(/\n+$/, ''), !p.quoted);
            break;
          }
          opaque = true;
          cur += p.raw;
          has = true;
          break;
        }
        case 'procsub':
          this.node(p.body, this.clone(st), [...via], depth + 1, undefined);
          opaque = true;
          cur += p.raw;
          has = true;
          break;
        case 'arith':
          opaque = true;
          cur += p.raw;
          has = true;
          break;
      }
    }
    if (has || (joined && fields.length === 0)) fields.push(cur);
    if (braces) {
      // Only a brace list in the word's last field, with no splitting after it, is expanded; else it is opaque.
      if (braces.at !== fields.length - 1 || joined) return { fields: [w.raw], opaque: true };
      const suffix = fields.pop()!;
      for (const a of braces.alts) fields.push(`${braces.prefix}${a}${suffix}`);
    }
    return { fields, opaque };
  }

  /** What a command substitution prints when the guard can tell: `echo words`, `cat file`, `printf text`. */
  private staticOutput(ran: readonly Step[]): string | undefined {
    if (ran.length !== 1 || ran[0].opaque) return undefined;
    const [cmd, ...args] = ran[0].argv;
    if (cmd === 'echo' && !args.some((a) => a.startsWith('-'))) return `${args.join(' ')}\n`;
    if (cmd === 'printf' && args.length === 1 && !/[%\\]/.test(args[0])) return args[0];
    if (cmd === 'cat' && args.length === 1 && !args[0].startsWith('-') && ran[0].cwd !== undefined) {
      return this.input.readFile?.(path.resolve(ran[0].cwd, args[0]));
    }
    return undefined;
  }

  private param(p: Extract<Part, { t: 'param' }>, st: State, via: readonly string[], depth: number):
    { value: string | undefined; known: boolean } {
    if (p.op === 'other') return { value: undefined, known: false };
    const v = this.lookup(p.name, st);
    if (!p.op) return v;
    if (!v.known) return v;
    const colon = p.op.startsWith(':');
    const unsetOrNull = colon ? !v.value : !st.vars.has(p.name) && this.input.env[p.name] === undefined;
    const arg = (): { value: string | undefined; known: boolean } => {
      const e = p.arg ? this.expand(p.arg, st, via, depth, true) : { fields: [''], opaque: false };
      return { value: e.fields.join(''), known: !e.opaque };
    };
    switch (p.op.replace(':', '')) {
      case '-':
        return unsetOrNull ? arg() : v;
      case '=': {
        if (!unsetOrNull) return v;
        const a = arg();
        st.vars.set(p.name, a.known ? a.value : undefined);
        return a;
      }
      case '+':
        return unsetOrNull ? { value: '', known: true } : arg();
      default:
        return v;
    }
  }

  private simple(n: Extract<Node, { t: 'simple' }>, st: State, via: readonly string[], depth: number,
    stdin: StdinSource | undefined): void {
    // Assignments before a command set its environment only; alone, they set shell variables.
    const temp = new Map<string, string | undefined>();
    for (const a of n.assigns) {
      if (a.array) {
        // `a=(x y)`: known words make a known array (`[k]=v` entries and `a[1]=x` do not).
        let values: string[] | undefined;
        if (a.elements && !a.append && !a.elements.some((w) => /^\[/.test(w.raw))) {
          values = [];
          for (const w of a.elements) {
            const e = this.expand(w, st, via, depth);
            if (e.opaque) {
              values = undefined;
              break;
            }
            values.push(...e.fields);
          }
        }
        if (n.words.length === 0) st.arrays.set(a.name, values);
        temp.set(a.name, values?.[0]);
        continue;
      }
      const e = this.expand(a.value, st, via, depth, true);
      const prev = a.append ? (temp.get(a.name) ?? this.lookup(a.name, st).value ?? '') : '';
      const value = e.opaque ? undefined : prev + e.fields.join('');
      temp.set(a.name, value !== undefined && value.length > MAX_VALUE ? undefined : value);
    }
    const argv: string[] = [];
    let opaque = false;
    for (const w of n.words) {
      const e = this.expand(w, st, via, depth);
      argv.push(...e.fields);
      opaque ||= e.opaque;
    }
    const feed = this.redirStdin(n.redirs, st, via, depth) ?? stdin ?? st.stdin;
    // Alone, or before a special builtin (`A=b export A`), assignments stay in the shell.
    if (argv.length === 0 || SPECIAL_BUILTINS.has(argv[0])) {
      for (const [k, v] of temp) this.assign(st, k, v);
      if (argv.length === 0) {
        // `exec < file` with no command: every later command reads that file.
        return;
      }
    }
    const env = this.envOf(st, temp);
    this.run(argv, opaque, env, st.cwd, feed, n.raw, st, via, depth);
  }

  /** The environment a child process gets: the caller's, the exported variables, then the command's own. */
  private envOf(st: State, temp: ReadonlyMap<string, string | undefined>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.input.env };
    for (const name of st.exported) {
      if (!st.vars.has(name)) continue;
      const v = st.vars.get(name);
      // Exported with a value the guard cannot know: the tool sees a name it cannot resolve.
      env[name] = v !== undefined ? v : `$${name}`;
    }
    for (const name of st.unset) env[name] = undefined;
    // A variable the caller exported stays exported when the line assigns it.
    for (const [name, v] of st.vars) {
      if (this.input.env[name] !== undefined) env[name] = v !== undefined ? v : `$${name}`;
    }
    for (const [k, v] of temp) {
      if (v !== undefined) env[k] = v;
      else env[k] = `$${k}`;
    }
    if (st.cwd) env.PWD = st.cwd;
    return env;
  }

  /** Runs one argv: builtins that change the state, wrappers unwrapped, everything else recorded as a step. */
  private run(argv: string[], opaque: boolean, env: NodeJS.ProcessEnv, cwd: string | undefined,
    stdin: StdinSource | undefined, raw: string, st: State, via: readonly string[], depth: number): void {
    const [cmd, ...args] = argv;
    const name = path.basename(cmd);
    const step = (a: string[], o = opaque, e = env, c = cwd, i = stdin, v = via): void => {
      this.steps.push({ argv: a, opaque: o, env: e, cwd: c, ...(st.alts.length ? { altCwds: [...st.alts] } : {}),
        ...(i ? { stdin: i } : {}), raw, via: v });
    };
    // An alias the line defined (agents' shells may expand them) stands for its words.
    const alias = st.aliases.get(cmd);
    if (alias !== undefined && !via.includes(`alias ${cmd}`)) {
      this.script(`${alias} ${args.map(shWord).join(' ')}`, st, [...via, `alias ${cmd}`], depth + 1);
      return;
    }
    // A function the line defined runs its body, with the call's words as $1, $2…; its `local`s end with it.
    const fn = st.functions.get(cmd);
    if (fn && depth < MAX_NESTING) {
      const saved = st.positional;
      st.positional = opaque ? undefined : args;
      st.locals.push(new Map());
      try {
        this.node(fn, st, [...via, cmd], depth + 1, stdin);
      } finally {
        st.positional = saved;
        for (const [k, v] of st.locals.pop()!) {
          if (v === LOCAL_UNSET) st.vars.delete(k);
          else st.vars.set(k, v);
        }
      }
      return;
    }
    switch (cmd) {
      case 'cd':
      case 'pushd': {
        const dir = args.filter((a) => a !== '-L' && a !== '-P' && a !== '-e' && a !== '--')[0];
        const before = st.cwd;
        if (cmd === 'pushd' && before !== undefined) (st.dirs ??= []).push(before);
        let next: string | undefined;
        if (opaque || dir === '-' || (dir !== undefined && dir.startsWith('+'))) next = undefined;
        else if (dir === undefined) next = env.HOME ?? this.input.home;
        else if (before !== undefined || path.isAbsolute(dir)) next = path.resolve(before ?? '/', dir);
        if (dir !== undefined && !opaque) {
          st.alts = st.alts.map((a) => path.resolve(a, dir));
        } else if (opaque && before !== undefined && !st.alts.includes(before)) {
          st.alts.push(before);
        }
        st.cwd = next;
        return;
      }
      case 'popd': {
        const back = st.dirs?.pop();
        st.cwd = back;
        return;
      }
      case 'export':
      case 'declare':
      case 'typeset':
      case 'local':
      case 'readonly': {
        const exporting = cmd === 'export' || args.some((a) => /^-[a-zA-Z]*x/.test(a));
        const frame = cmd === 'local' || ((cmd === 'declare' || cmd === 'typeset') && st.locals.length > 0)
          ? st.locals[st.locals.length - 1] : undefined;
        for (const a of args) {
          if (a.startsWith('-')) continue;
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)?([\s\S]*)$/.exec(a);
          if (!m) continue;
          if (frame && !frame.has(m[1])) frame.set(m[1], st.vars.has(m[1]) ? st.vars.get(m[1]) : LOCAL_UNSET);
          if (m[2]) {
            this.assign(st, m[1], opaque ? undefined
              : (m[2] === '+=' ? (this.lookup(m[1], st).value ?? '') : '') + m[3]);
          } else if (!st.vars.has(m[1]) && this.input.env[m[1]] !== undefined) st.vars.set(m[1], this.input.env[m[1]]);
          if (exporting) st.exported.add(m[1]);
        }
        return;
      }
      case 'unset':
        for (const a of args) {
          if (a.startsWith('-')) continue;
          st.vars.delete(a);
          st.unset.add(a);
        }
        return;
      case 'set': {
        // `set -a`: export every assignment; `set -- a b`: the positional parameters.
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (a === '--') {
            st.positional = opaque ? undefined : args.slice(i + 1);
            break;
          }
          if (/^-[a-zA-Z]*a/.test(a)) st.allExport = true;
          else if (/^\+[a-zA-Z]*a/.test(a)) st.allExport = false;
          else if (!a.startsWith('-') && !a.startsWith('+')) {
            st.positional = opaque ? undefined : args.slice(i);
            break;
          }
        }
        return;
      }
      case 'shift': {
        const n = Number(args[0] ?? '1');
        st.positional = st.positional && Number.isInteger(n) ? st.positional.slice(n) : undefined;
        return;
      }
      case 'printf':
        if (args[0] === '-v' && args[1]) {
          const [, , fmt, ...rest] = args;
          const value = fmt !== undefined && !/[%\\]/.test(fmt) ? fmt
            : fmt === '%s' && rest.length === 1 ? rest[0] : undefined;
          this.assign(st, args[1], opaque ? undefined : value);
          return;
        }
        break;
      case 'read':
      case 'mapfile':
      case 'readarray':
      case 'getopts':
        for (const a of args) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) st.vars.set(a, undefined);
        if (cmd === 'read' && !args.some((a) => /^[A-Za-z_]/.test(a))) st.vars.set('REPLY', undefined);
        return;
      case 'source':
      case '.': {
        // A script the guard can read runs in this shell, with its own words as $1…
        const text = args[0] !== undefined && !opaque && cwd !== undefined
          ? this.input.readFile?.(path.resolve(cwd, args[0])) : undefined;
        if (text !== undefined) {
          const saved = st.positional;
          if (args.length > 1) st.positional = args.slice(1);
          this.script(text, st, [...via, `${cmd} ${args[0]}`], depth + 1);
          st.positional = saved;
          return;
        }
        st.sourced = args[0] ?? cmd;
        this.note(`\`${cmd} ${args[0] ?? ''}\` may set any variable: the words after it that use variables are not known`);
        step(argv);
        return;
      }
      case 'alias':
        for (const a of args) {
          const m = /^([^=\s]+)=([\s\S]*)$/.exec(a);
          if (m) st.aliases.set(m[1], m[2]);
        }
        return;
      case 'trap':
        // The trap's command runs later (on EXIT, a signal…): judged as if it ran.
        if (args[0] !== undefined && !args[0].startsWith('-') && args.length > 1) {
          const before = this.clone(st);
          this.script(args[0], st, [...via, 'trap'], depth + 1);
          this.join(st, [before]);
        }
        return;
      case 'eval':
        if (opaque) {
          step(argv);
          return;
        }
        this.script(args.join(' '), st, [...via, 'eval'], depth + 1);
        return;
      case 'exec':
      case 'command':
      case 'builtin':
      case 'nohup':
      case 'time':
      case 'chronic':
      case 'setsid':
      case 'unshare':
      case 'coproc': {
        let i = 0;
        while (i < args.length && args[i].startsWith('-') && args[i] !== '--') {
          if ((cmd === 'exec' && args[i] === '-a') || (cmd === 'time' && (args[i] === '-o' || args[i] === '-f'))) i++;
          // `command -v x` and `command -V x` only print where x is.
          if (cmd === 'command' && /^-[pP]*[vV]/.test(args[i])) return;
          i++;
        }
        if (args[i] === '--') i++;
        if (i < args.length) this.run(args.slice(i), opaque, env, cwd, stdin, raw, st, [...via, cmd], depth);
        // `exec < file` alone: every later command reads that file.
        else if (cmd === 'exec' && stdin) st.stdin = stdin;
        return;
      }
      default:
        break;
    }
    const inner = this.unwrap(name, args, env, cwd, opaque, stdin);
    if (inner) {
      if (inner.script !== undefined) {
        // `sh -c '…'`, `bash script.sh`: a new shell, which sees only the exported environment.
        const child = fresh(inner.cwd, inner.positional);
        const w = new Walker({ ...this.input, env: inner.env, cwd: inner.cwd ?? this.input.cwd });
        w.work = this.work;
        w.script(inner.script, child, [...via, inner.via], depth + 1);
        this.work = w.work;
        for (const s of w.steps) {
          const alts = [...(s.altCwds ?? []), ...st.alts];
          this.steps.push({ ...s, stdin: s.stdin ?? inner.stdin ?? stdin, ...(alts.length ? { altCwds: alts } : {}) });
        }
        for (const n of w.notes) this.note(n);
        if (w.error) this.error ??= w.error;
        if (w.limited) this.limited = true;
        return;
      }
      if (inner.argv.length === 0) return;
      this.run(inner.argv, opaque || inner.opaque, inner.env, inner.cwd, inner.stdin === undefined ? stdin
        : inner.stdin, raw, st, [...via, inner.via], depth + 1);
      return;
    }
    // A script run by its path (`./deploy.sh`): read and followed when it is a shell script the guard can read.
    if (cmd.includes('/') && !opaque && cwd !== undefined && !GUARDED_NAMES.has(name)) {
      const text = this.input.readFile?.(path.resolve(cwd, cmd));
      const shebang = text === undefined ? undefined : /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
      const interpreter = shebang ? path.basename(shebang[1] === '/usr/bin/env' ? shebang[2] ?? '' : shebang[1]) : 'sh';
      if (text !== undefined && SHELLS.has(interpreter) && !text.includes('\u0000')) {
        this.run([interpreter, path.resolve(cwd, cmd), ...args], false, env, cwd, stdin, raw, st, via, depth);
        return;
      }
    }
    step(argv);
  }

  /** A wrapper's inner command, a shell's script, or undefined when `name` starts no other command. */
  private unwrap(name: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string | undefined,
    opaque: boolean, stdin: StdinSource | undefined): Inner | undefined {
    const plain = (i: number, e = env, c = cwd, o = false): Inner =>
      ({ argv: args.slice(i), env: e, cwd: c, via: name, opaque: o });
    /** Skips options (those in `withValue` take the next word, or are glued: `-n5`) up to the first word. */
    const skip = (from: number, withValue: ReadonlySet<string>): number => {
      let i = from;
      while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
        if (args[i] === '--') return i + 1;
        if (withValue.has(args[i])) i++;
        i++;
      }
      return i;
    };
    switch (name) {
      case 'env': {
        const e: NodeJS.ProcessEnv = { ...env };
        let c = cwd;
        let i = 0;
        const chdir = (d: string): void => {
          c = c === undefined ? undefined : path.resolve(c, d);
        };
        for (; i < args.length; i++) {
          const a = args[i];
          if (a === '-i' || a === '--ignore-environment' || a === '-') {
            for (const k of Object.keys(e)) e[k] = undefined;
          } else if (a === '-u' || a === '--unset') e[args[++i]] = undefined;
          else if (a.startsWith('--unset=')) e[a.slice(8)] = undefined;
          else if (a.startsWith('-u') && a.length > 2) e[a.slice(2)] = undefined;
          else if (a === '-C' || a === '--chdir') chdir(args[++i] ?? '');
          else if (a.startsWith('--chdir=')) chdir(a.slice(8));
          else if (a.startsWith('-C') && a.length > 2) chdir(a.slice(2));
          else if (a === '-S' || a === '--split-string' || a.startsWith('--split-string=')
            || (a.startsWith('-S') && a.length > 2)) {
            const text = a === '-S' || a === '--split-string' ? args[++i] ?? ''
              : a.startsWith('-S') ? a.slice(2) : a.slice('--split-string='.length);
            return { ...plain(i + 1, e, c), argv: [...text.split(/\s+/).filter(Boolean), ...args.slice(i + 1)] };
          } else if (a === '--') {
            i++;
            break;
          } else if (a.startsWith('-')) continue;
          else {
            const m = /^([^=]+)=([\s\S]*)$/.exec(a);
            if (!m) break;
            e[m[1]] = m[2];
          }
        }
        return plain(i, e, c);
      }
      case 'sudo':
      case 'doas': {
        let i = skip(0, new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-c', '--user',
          '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user',
          '--command-timeout', '--login-class']));
        const e: NodeJS.ProcessEnv = { ...env };
        while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i])) {
          const eq = args[i].indexOf('=');
          e[args[i].slice(0, eq)] = args[i].slice(eq + 1);
          i++;
        }
        return plain(i, e);
      }
      case 'nice':
      case 'ionice':
      case 'stdbuf':
      case 'timeout':
      case 'taskset':
      case 'strace':
      case 'chroot':
      case 'watch': {
        const withValue: Record<string, string[]> = {
          nice: ['-n', '--adjustment'], ionice: ['-c', '-n', '-t', '--class', '--classdata'],
          stdbuf: ['-i', '-o', '-e', '--input', '--output', '--error'],
          timeout: ['-s', '-k', '--signal', '--kill-after'],
          taskset: [], strace: ['-o', '-e', '-s', '-p', '-u', '-a', '-b', '-E', '-I', '-O', '-P', '-S', '-X'],
          chroot: ['--userspec', '--groups'],
          watch: ['-n', '--interval', '-d', '--differences', '-q', '--equexit', '-s', '--shotgun'],
        };
        let i = skip(0, new Set(withValue[name]));
        if (name === 'timeout' || name === 'chroot') i++; // the duration; the new root
        if (name === 'taskset' && !args.slice(0, i).some((a) => a === '-p' || a === '--pid')) i++; // the mask or list
        if (name === 'taskset' && args.slice(0, i).some((a) => a === '-p' || a === '--pid')) return undefined;
        // watch runs its words through `sh -c`.
        if (name === 'watch') return { ...plain(i), script: args.slice(i).join(' '), via: 'watch' };
        return plain(i);
      }
      case 'flock': {
        // flock [options] FILE|DIR COMMAND… | flock [options] FILE -c 'COMMAND' | flock [options] FD
        const i = skip(0, new Set(['-w', '--timeout', '-E', '--conflict-exit-code']));
        const rest = args.slice(i + 1);
        if (rest[0] === '-c' || rest[0] === '--command') return { ...plain(i), script: rest[1] ?? '', via: 'flock -c' };
        return rest.length ? { ...plain(i + 1) } : undefined;
      }
      case 'script': {
        // script [options] [file]: -c COMMAND runs it through the user's shell.
        const at = args.findIndex((a) => a === '-c' || a === '--command' || /^-[a-zA-Z]*c$/.test(a));
        if (at >= 0) return { ...plain(0), script: args[at + 1] ?? '', via: 'script -c' };
        const glued = args.find((a) => a.startsWith('--command='));
        return glued ? { ...plain(0), script: glued.slice(10), via: 'script -c' } : undefined;
      }
      case 'su':
      case 'runuser': {
        // su [options] [user] -c COMMAND; runuser -u USER -- COMMAND…
        const at = args.findIndex((a) => a === '-c' || a === '--command' || /^-[a-zA-Z]*c$/.test(a));
        if (at >= 0) return { ...plain(0), script: args[at + 1] ?? '', via: `${name} -c` };
        const dd = args.indexOf('--');
        return name === 'runuser' && dd >= 0 ? plain(dd + 1) : undefined;
      }
      case 'find': {
        // find … -exec COMMAND {} ; / + (also -execdir, -ok, -okdir): the command runs once per file found.
        const at = args.findIndex((a) => a === '-exec' || a === '-execdir' || a === '-ok' || a === '-okdir');
        if (at < 0) return undefined;
        let end = at + 1;
        while (end < args.length && args[end] !== ';' && args[end] !== '+') end++;
        const words = args.slice(at + 1, end).map((w) => w.split('{}').join('{file}'));
        return { argv: words, env, cwd, via: `find ${args[at]}`, opaque: true };
      }
      case 'xargs':
      case 'parallel': {
        const withValue = new Set(['-a', '-d', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '-P', '-s', '--arg-file',
          '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars',
          '--process-slot-var', '-j', '--jobs']);
        let i = 0;
        let replace: string | undefined;
        while (i < args.length && args[i].startsWith('-')) {
          const a = args[i];
          if (a === '--') {
            i++;
            break;
          }
          if (a === '-I' || a === '--replace') replace = args[i + 1];
          else if (a.startsWith('-I') && a.length > 2) replace = a.slice(2);
          else if (a === '-i' || a.startsWith('--replace=')) replace = a.includes('=') ? a.slice(10) : '{}';
          if (withValue.has(a) && !(a === '-i')) i++;
          i++;
        }
        let words = args.slice(i);
        const sep = words.findIndex((w) => w === ':::' || w === '::::');
        if (name === 'parallel' && sep >= 0) words = words.slice(0, sep);
        if (words.length === 0) return undefined;
        if (name === 'parallel' && replace === undefined && words.some((w) => w.includes('{}'))) replace = '{}';
        // The words xargs reads from stdin are appended (or put in place of the replace string): not known here.
        const fed = replace !== undefined ? words.map((w) => w.split(replace).join('{stdin}'))
          : [...words, '{words from stdin}'];
        return { argv: fed, env, cwd, via: name, opaque: true, stdin: { kind: 'opaque', what: name } };
      }
      case 'aws-vault': {
        if (args[0] !== 'exec') return undefined;
        let i = 1;
        const withValue = new Set(['-d', '--duration', '-t', '--mfa-token', '--region', '--server', '-s', '-j',
          '--prompt', '--backend', '--ec2-server', '--ecs-server', '--lazy', '--stdout']);
        let profile: string | undefined;
        for (; i < args.length; i++) {
          if (args[i] === '--') {
            i++;
            break;
          }
          if (args[i].startsWith('-')) {
            if (withValue.has(args[i]) && !args[i].includes('=')) i++;
            continue;
          }
          if (profile === undefined) profile = args[i];
          else break;
        }
        const e: NodeJS.ProcessEnv = { ...env };
        // aws-vault exports the profile's credentials; the guard names the target by the profile.
        if (profile) {
          e.AWS_PROFILE = profile;
          e.AWS_VAULT = profile;
        }
        return plain(i, e);
      }
      case 'busybox':
        if (args[0] === 'sh' || args[0] === 'ash') return this.unwrap('sh', args.slice(1), env, cwd, opaque, stdin);
        return args.length > 0 ? plain(0) : undefined;
      default:
        return SHELLS.has(name) ? this.shell(name, args, env, cwd, opaque, stdin) : undefined;
    }
  }

  /** A shell started by the line: `-c STRING`, a script file, or commands on its stdin. */
  private shell(name: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string | undefined,
    opaque: boolean, stdin: StdinSource | undefined): Inner | undefined {
    let i = 0;
    let c = false;
    let s = false;
    // Options that take a value: `-o pipefail`, `-O extglob`, also inside a bundle (`-euo pipefail`).
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--' || a === '-') {
        i++;
        break;
      }
      if (a === '--rcfile' || a === '--init-file') {
        i++;
        continue;
      }
      if (/^[-+][a-zA-Z]+$/.test(a)) {
        if (a.startsWith('-') && a.includes('c')) c = true;
        if (a.startsWith('-') && a.includes('s')) s = true;
        if (/[oO]/.test(a)) i++;
        continue;
      }
      if (a.startsWith('--')) continue;
      break;
    }
    const base = { argv: [] as string[], env, cwd, opaque: false };
    if (c) {
      // sh -c 'STRING' [$0 [$1…]]
      return { ...base, via: `${name} -c`, script: args[i] ?? '', positional: args.slice(i + 2) };
    }
    if (i >= args.length || s) {
      // Commands on stdin: known text, a file, or what the guard cannot see.
      const text = stdin?.kind === 'text' ? stdin.text
        : stdin?.kind === 'file' ? this.input.readFile?.(stdin.path) : undefined;
      if (text === undefined) return undefined;
      return { ...base, via: `${name} (stdin)`, script: text, positional: args.slice(i),
        stdin: { kind: 'opaque', what: `the rest of ${name}'s stdin` } };
    }
    const file = args[i];
    const script = cwd === undefined || opaque ? undefined : this.input.readFile?.(path.resolve(cwd, file));
    if (script === undefined) return undefined;
    return { ...base, via: `${name} ${file}`, script, positional: args.slice(i + 1) };
  }
}
