// Which programs a parsed bash line runs, with which words, environment, folder and stdin — worked out without
// running anything. Variables set by the line (`A=B cmd`, `A=B; cmd`, `export`, `for x in a b`) and the
// caller's environment are expanded; `cd` moves the folder; wrappers (`env`, `sudo`, `xargs`, `timeout`,
// `sh -c`, `bash script.sh`, `eval`, `aws-vault exec p --`…) are unwrapped to the command they start; the
// commands inside `$(…)`, backquotes and `<(…)` run too. What cannot be known before the line runs (the
// output of a command substitution, an unset positional parameter, a glob) stays as written and the step is
// marked `opaque`.
import * as path from 'path';
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
}

const MAX_STEPS = 2000;
const MAX_LOOP = 64;
const MAX_NESTING = 16;

interface State {
  vars: Map<string, string | undefined>;
  exported: Set<string>;
  cwd: string | undefined;
  /** After `source` or `.`: variables the line did not set may have any value. */
  sourced?: string;
  functions: Map<string, Node>;
}

interface Expanded {
  readonly fields: string[];
  readonly opaque: boolean;
}

/** Parses `line` and lists the programs it runs, in order. */
export function walkLine(line: string, input: WalkInput): WalkResult {
  const w = new Walker(input);
  const state: State = { vars: new Map(), exported: new Set(), cwd: input.cwd, functions: new Map() };
  w.script(line, state, [], 0);
  return { steps: w.steps, notes: w.notes, ...(w.error ? { error: w.error } : {}) };
}

class Walker {
  readonly steps: Step[] = [];
  readonly notes: string[] = [];
  error?: string;
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
    return { vars: new Map(st.vars), exported: new Set(st.exported), cwd: st.cwd, sourced: st.sourced,
      functions: new Map(st.functions) };
  }

  private node(n: Node, st: State, via: readonly string[], depth: number, stdin: StdinSource | undefined): void {
    if (this.steps.length >= MAX_STEPS) {
      this.error ??= `more than ${MAX_STEPS} commands`;
      return;
    }
    switch (n.t) {
      case 'list':
        for (const item of n.items) {
          // A background job runs in a subshell: its `cd` and assignments do not reach what follows.
          this.node(item.node, item.op === '&' ? this.clone(st) : st, via, depth, stdin);
        }
        return;
      case 'pipe': {
        let feed = stdin;
        for (const c of n.cmds) {
          // Every part of a pipeline runs in a subshell.
          const sub = n.cmds.length > 1 ? this.clone(st) : st;
          const before = this.steps.length;
          this.node(c, sub, via, depth, feed);
          feed = this.output(c, sub, this.steps.slice(before));
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
        for (const p of n.parts) this.node(p, st, via, depth, feed);
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
        for (const v of values) {
          st.vars.set(n.name, v);
          this.node(n.body, st, via, depth, feed);
        }
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
  private output(c: Node, st: State, ran: readonly Step[]): StdinSource {
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
    void st;
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
    if (st.vars.has(name)) {
      const v = st.vars.get(name);
      return { value: v, known: v !== undefined };
    }
    if (st.sourced) return { value: undefined, known: false };
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
      const pieces = s.split(/[ \t\n]+/);
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
          const r = this.param(p, st, via, depth);
          if (!r.known) {
            opaque = true;
            cur += p.raw;
            has = true;
          } else push(r.value ?? '', !p.quoted);
          break;
        }
        case 'cmdsub':
          this.node(p.body, this.clone(st), [...via], depth + 1, undefined);
          opaque = true;
          cur += p.raw;
          has = true;
          break;
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
        temp.set(a.name, undefined);
        continue;
      }
      const e = this.expand(a.value, st, via, depth, true);
      const prev = a.append ? (temp.get(a.name) ?? this.lookup(a.name, st).value ?? '') : '';
      temp.set(a.name, e.opaque ? undefined : prev + e.fields.join(''));
    }
    const argv: string[] = [];
    let opaque = false;
    for (const w of n.words) {
      const e = this.expand(w, st, via, depth);
      argv.push(...e.fields);
      opaque ||= e.opaque;
    }
    const feed = this.redirStdin(n.redirs, st, via, depth) ?? stdin;
    if (argv.length === 0) {
      for (const [k, v] of temp) st.vars.set(k, v);
      return;
    }
    const env = this.envOf(st, temp);
    this.run(argv, opaque, env, st.cwd, feed, n.raw, st, via, depth);
  }

  /** The environment a child process gets: the caller's, the exported variables, then the command's own. */
  private envOf(st: State, temp: ReadonlyMap<string, string | undefined>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.input.env };
    for (const name of st.exported) {
      const v = st.vars.get(name);
      if (v !== undefined) env[name] = v;
      else env[name] = undefined;
    }
    // A variable the caller exported stays exported when the line assigns it.
    for (const [name, v] of st.vars) {
      if (this.input.env[name] !== undefined && v !== undefined) env[name] = v;
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
      this.steps.push({ argv: a, opaque: o, env: e, cwd: c, ...(i ? { stdin: i } : {}), raw, via: v });
    };
    // A function the line defined runs its body.
    const fn = st.functions.get(cmd);
    if (fn && depth < MAX_NESTING) {
      // Positional parameters are the call's words, for the time of the call.
      const saved = new Map([...st.vars].filter(([k]) => /^[0-9@*#]$/.test(k)));
      for (let i = 1; i <= 9; i++) st.vars.set(String(i), opaque && i <= args.length ? undefined : args[i - 1] ?? '');
      st.vars.set('#', opaque ? undefined : String(args.length));
      st.vars.set('@', opaque ? undefined : args.join(' '));
      st.vars.set('*', opaque ? undefined : args.join(' '));
      this.node(fn, st, [...via, cmd], depth + 1, stdin);
      for (const k of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '#', '@', '*']) {
        if (saved.has(k)) st.vars.set(k, saved.get(k));
        else st.vars.delete(k);
      }
      return;
    }
    switch (cmd) {
      case 'cd':
      case 'pushd': {
        const dir = args.filter((a) => a !== '-L' && a !== '-P' && a !== '-e' && a !== '--')[0];
        if (opaque || dir === '-' || (dir !== undefined && dir.startsWith('+'))) st.cwd = undefined;
        else if (dir === undefined) st.cwd = env.HOME ?? this.input.home;
        else if (st.cwd !== undefined || path.isAbsolute(dir)) st.cwd = path.resolve(st.cwd ?? '/', dir);
        return;
      }
      case 'popd':
        st.cwd = undefined;
        return;
      case 'export':
      case 'declare':
      case 'typeset':
      case 'local':
      case 'readonly': {
        const exporting = cmd === 'export' || args.some((a) => /^-[a-zA-Z]*x/.test(a));
        for (const a of args) {
          if (a.startsWith('-')) continue;
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?=)?([\s\S]*)$/.exec(a);
          if (!m) continue;
          if (m[2]) st.vars.set(m[1], opaque ? undefined : (m[2] === '+=' ? (this.lookup(m[1], st).value ?? '') : '') + m[3]);
          else if (!st.vars.has(m[1]) && this.input.env[m[1]] !== undefined) st.vars.set(m[1], this.input.env[m[1]]);
          if (exporting) st.exported.add(m[1]);
        }
        return;
      }
      case 'unset':
        for (const a of args) {
          if (a.startsWith('-')) continue;
          st.vars.set(a, '');
          st.exported.add(a);
        }
        return;
      case 'read':
      case 'mapfile':
      case 'readarray':
      case 'getopts':
        for (const a of args) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) st.vars.set(a, undefined);
        if (cmd === 'read' && !args.some((a) => /^[A-Za-z_]/.test(a))) st.vars.set('REPLY', undefined);
        return;
      case 'source':
      case '.':
        st.sourced = args[0] ?? cmd;
        this.note(`\`${cmd} ${args[0] ?? ''}\` may set any variable: the words after it that use variables are not known`);
        step(argv);
        return;
      case 'alias':
        this.note('aliases are not followed');
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
      case 'chronic': {
        let i = 0;
        while (i < args.length && args[i].startsWith('-') && args[i] !== '--') {
          if ((cmd === 'exec' && args[i] === '-a') || (cmd === 'time' && (args[i] === '-o' || args[i] === '-f'))) i++;
          // `command -v x` and `command -V x` only print where x is.
          if (cmd === 'command' && /^-[pP]*[vV]/.test(args[i])) return;
          i++;
        }
        if (args[i] === '--') i++;
        if (i < args.length) this.run(args.slice(i), opaque, env, cwd, stdin, raw, st, [...via, cmd], depth);
        return;
      }
      default:
        break;
    }
    const inner = this.unwrap(name, args, env, cwd, opaque);
    if (inner) {
      if (inner.script !== undefined) {
        // `sh -c '…'`: a new shell, which sees only the exported environment.
        const child: State = { vars: new Map(), exported: new Set(), cwd: inner.cwd, functions: new Map() };
        const w = new Walker({ ...this.input, env: inner.env, cwd: inner.cwd ?? this.input.cwd });
        w.script(inner.script, child, [...via, inner.via], depth + 1);
        for (const s of w.steps) this.steps.push({ ...s, stdin: s.stdin ?? stdin, raw: s.raw, via: s.via });
        for (const n of w.notes) this.note(n);
        if (w.error) this.error ??= w.error;
        return;
      }
      if (inner.argv.length === 0) return;
      this.run(inner.argv, opaque || inner.opaque, inner.env, inner.cwd, inner.stdin === undefined ? stdin
        : inner.stdin, raw, st, [...via, inner.via], depth + 1);
      return;
    }
    step(argv);
  }

  /** A wrapper's inner command, a shell's script, or undefined when `name` starts no other command. */
  private unwrap(name: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string | undefined,
    opaque: boolean): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string | undefined; via: string;
      opaque: boolean; script?: string; stdin?: StdinSource } | undefined {
    const plain = (i: number, e = env, c = cwd, o = false) =>
      ({ argv: args.slice(i), env: e, cwd: c, via: name, opaque: o });
    switch (name) {
      case 'env': {
        const e: NodeJS.ProcessEnv = { ...env };
        let c = cwd;
        let i = 0;
        for (; i < args.length; i++) {
          const a = args[i];
          if (a === '-i' || a === '--ignore-environment' || a === '-') {
            for (const k of Object.keys(e)) e[k] = undefined;
          } else if (a === '-u' || a === '--unset') e[args[++i]] = undefined;
          else if (a.startsWith('--unset=')) e[a.slice(8)] = undefined;
          else if (a === '-C' || a === '--chdir') c = c === undefined ? undefined : path.resolve(c, args[++i] ?? '');
          else if (a === '-S' || a === '--split-string') {
            return { ...plain(i + 2, e, c), argv: [...(args[i + 1] ?? '').split(/\s+/).filter(Boolean),
              ...args.slice(i + 2)] };
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
        const withValue = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-c', '--user',
          '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user',
          '--command-timeout', '--login-class']);
        let i = 0;
        while (i < args.length && args[i].startsWith('-')) {
          if (args[i] === '--') {
            i++;
            break;
          }
          if (withValue.has(args[i])) i++;
          i++;
        }
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
      case 'watch': {
        const withValue: Record<string, string[]> = {
          nice: ['-n', '--adjustment'], ionice: ['-c', '-n', '-t', '--class', '--classdata'],
          stdbuf: ['-i', '-o', '-e', '--input', '--output', '--error'],
          timeout: ['-s', '-k', '--signal', '--kill-after'],
          watch: ['-n', '--interval', '-d', '--differences', '-q', '--equexit', '-s', '--shotgun'],
        };
        let i = 0;
        while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
          if (args[i] === '--') {
            i++;
            break;
          }
          if (withValue[name].includes(args[i])) i++;
          i++;
        }
        if (name === 'timeout') i++; // the duration
        // watch runs its words through `sh -c`.
        if (name === 'watch') return { ...plain(i), script: args.slice(i).join(' '), via: 'watch' };
        return plain(i);
      }
      case 'xargs': {
        const withValue = new Set(['-a', '-d', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '-P', '-s', '--arg-file',
          '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars',
          '--process-slot-var']);
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
        const words = args.slice(i);
        if (words.length === 0) return undefined;
        // The words xargs reads from stdin are appended (or put in place of the replace string): not known here.
        const fed = replace !== undefined ? words.map((w) => w.split(replace).join('{stdin}'))
          : [...words, '{words from stdin}'];
        return { argv: fed, env, cwd, via: 'xargs', opaque: true, stdin: { kind: 'opaque', what: 'xargs' } };
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
      case 'sh':
      case 'bash':
      case 'dash':
      case 'zsh':
      case 'ksh':
      case 'mksh':
      case 'busybox': {
        if (name === 'busybox') return args[0] === 'sh' || args[0] === 'ash' ? this.unwrap('sh', args.slice(1), env, cwd,
          opaque) : args.length > 0 ? plain(0) : undefined;
        let i = 0;
        let c = false;
        const withValue = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
        for (; i < args.length; i++) {
          const a = args[i];
          if (a === '--' || a === '-') {
            i++;
            break;
          }
          if (withValue.has(a)) {
            i++;
            continue;
          }
          if (/^-[a-zA-Z]+$/.test(a)) {
            if (a.includes('c')) c = true;
            continue;
          }
          if (a.startsWith('--') || a.startsWith('+')) continue;
          break;
        }
        if (c) return { argv: [], env, cwd, via: `${name} -c`, opaque: false, script: args[i] ?? '' };
        if (i >= args.length) return undefined; // an interactive shell, or a script on stdin
        const file = args[i];
        const text = cwd === undefined || opaque ? undefined : this.input.readFile?.(path.resolve(cwd, file));
        if (text === undefined) return undefined;
        return { argv: [], env, cwd, via: `${name} ${file}`, opaque: false, script: text };
      }
      default:
        return undefined;
    }
  }
}
