// psql as a client: what reaches the server after psql has read the script (psqlscan.l, command.c). psql sends
// the query buffer at a `;` outside quotes, parentheses and BEGIN … END bodies, at `\g` and friends and at the
// end of the input; a backslash starts a meta-command that runs to the end of the line or to the next backslash
// (`\\` separates); `:name`, `:'name'` and `:"name"` are replaced by variables outside quotes and comments;
// `\;` and `\:` put a literal `;` or `:` in the buffer.
import type { Finding } from './classify';
import { type Judge, type Origin, resolvePath } from './judge';
import { T } from './lexer';

/** psql's state across a script and the files it includes. */
export interface PsqlState {
  /** Variables: a value, or undefined when it is set but unknown to the guard (`\gset`, `\prompt`, backquotes). */
  readonly vars: Map<string, string | undefined>;
  /** psql's working folder (`\cd` changes it); undefined when unknown. */
  cwd: string | undefined;
  depth: number;
}

/** Meta-commands that only read or change psql's own display and state. */
const READ_META = new Set([
  'a', 'C', 'conninfo', 'copyright', 'encoding', 'errverbose', 'f', 'h', 'help', 'H', 'html', 'l', 'list',
  'lo_list', 'lo_export', 'o', 'out', 'p', 'print', 'pset', 'qecho', 'echo', 'warn', 's', 'sf', 'sv', 't', 'T',
  'timing', 'w', 'write', 'x', 'z', '?', 'getenv', 'if', 'elif', 'else', 'endif', 'bind', 'dconfig',
]);
/** Meta-commands that send the query buffer to the server. */
const SEND_META = new Set(['g', 'gx', 'gset', 'gexec', 'crosstabview', 'watch']);
/** Conditional meta-commands: the only ones psql reads in an inactive branch. */
const CONDITIONALS = new Set(['if', 'elif', 'else', 'endif']);
const TRUE_WORDS = new Set(['1', 't', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off']);

/** One `\if` level: whether its branch runs, and whether an earlier branch surely ran (or may have). */
interface Branch {
  readonly parentActive: boolean;
  active: boolean;
  taken: 'no' | 'maybe' | 'yes';
}
/** Meta-commands whose argument is the rest of the line, backslashes included. */
const WHOLE_LINE = new Set(['!', 'copy', 'ef', 'ev', 'h', 'help', 'sf', 'sv', 'sf+', 'sv+']);
/** Environment variables psql runs as programs. */
const PROGRAM_ENV = new Set(['PAGER', 'PSQL_PAGER', 'EDITOR', 'PSQL_EDITOR', 'VISUAL', 'SHELL', 'PSQL_WATCH_PAGER']);
const MAX_INCLUDE_DEPTH = 16;

function isVarChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

/** One psql argument: its value (undefined when it depends on something unknown) and whether it runs a shell. */
interface Arg {
  readonly value: string | undefined;
  readonly raw: string;
  readonly shell: boolean;
  readonly unknownVar?: string;
}

/** Runs a psql script (the text psql reads from a file or stdin). */
export function runPsql(judge: Judge, text: string, origin: Origin, dir: string | undefined, state: PsqlState): void {
  new PsqlScript(judge, text, origin, dir, state).run();
}

/** A single `psql -c` value: SQL sent as is, or one meta-command when it starts with a backslash. */
export function runPsqlCommand(judge: Judge, text: string, origin: Origin, state: PsqlState): void {
  if (text.startsWith('\\')) {
    const script = new PsqlScript(judge, text, origin, state.cwd, state);
    script.meta(0, true);
    return;
  }
  judge.serverText(text, origin);
}

class PsqlScript {
  /** The query buffer: finished pieces, and the offset from which source text is still pending. */
  private parts: string[] = [];
  private segStart = 0;
  private bufStart = -1;
  private composite = false;
  private paren = 0;
  private block = 0;
  /** psql's CREATE [OR REPLACE] FUNCTION|PROCEDURE detection (first letters of the first identifiers). */
  private idents: string[] = [];
  private routine = false;
  private branches: Branch[] = [];

  private active(): boolean {
    const top = this.branches[this.branches.length - 1];
    return !top || top.active;
  }

  constructor(private readonly judge: Judge, private readonly text: string, private readonly origin: Origin,
    private readonly dir: string | undefined, private readonly state: PsqlState) {}

  run(): void {
    const judge = this.judge;
    const text = this.text;
    const lx = judge.lexer(text);
    for (;;) {
      if (judge.stopped) break;
      const k = lx.next();
      if (k === T.EOF) break;
      if (k === T.BACKSLASH) {
        const c = text.charCodeAt(lx.end);
        if (c === 59 || c === 58) {
          // `\;` and `\:`: a literal character in the buffer, not a separator or a variable.
          this.substitute(lx.start, lx.end + 1, text[lx.end]);
          lx.pos = lx.end + 1;
          continue;
        }
        lx.pos = this.meta(lx.start, false);
        continue;
      }
      if (!this.active()) {
        // An inactive \if branch: psql reads past it without sending or expanding anything.
        if (k === T.SEMI) this.clear(lx.end);
        else {
          if (this.bufStart >= 0) {
            this.parts.push(text.slice(this.segStart, lx.start));
            this.composite = true;
          }
          this.segStart = lx.end;
        }
        continue;
      }
      if (k === T.OP && lx.end - lx.start === 1 && text.charCodeAt(lx.start) === 58) {
        const next = this.variable(lx.start);
        if (next > lx.end) {
          lx.pos = next;
          continue;
        }
      }
      if (k === T.SEMI && this.paren === 0 && this.block === 0) {
        this.send(lx.start, lx.end);
        continue;
      }
      if (this.bufStart < 0) this.bufStart = lx.start;
      this.track(k, lx.start, lx.end);
    }
    if (lx.unterminated) {
      judge.note({ code: 'unparseable', what: 'an unterminated quote, identifier or comment' }, undefined, this.origin,
        Math.max(this.bufStart, 0));
    }
    judge.done(lx);
    // psql sends what is left in the buffer at the end of a non-interactive input.
    if (!judge.stopped) this.send(text.length, text.length);
  }

  /** psql's paren and BEGIN … END tracking (psqlscan.l), which decides whether a `;` ends the statement. */
  private track(k: T, start: number, end: number): void {
    if (k === T.LPAREN) this.paren++;
    else if (k === T.RPAREN) {
      if (this.paren > 0) this.paren--;
    } else if (k === T.WORD && (this.idents.length < 4 || this.routine)) {
      const w = this.text.slice(start, end).toLowerCase();
      if (this.idents.length < 4) {
        this.idents.push(['create', 'function', 'procedure', 'or', 'replace'].includes(w) ? w[0] : '');
        const id = this.idents;
        this.routine = id[0] === 'c' && (id[1] === 'f' || id[1] === 'p' || (id[1] === 'o' && id[2] === 'r' &&
          (id[3] === 'f' || id[3] === 'p')));
      }
      if (this.routine && this.paren === 0) {
        if (w === 'begin') this.block++;
        else if (w === 'case') {
          if (this.block >= 1) this.block++;
        } else if (w === 'end' && this.block > 0) this.block--;
      }
    }
  }

  /** Replaces source text `[a, b)` with `value` in the query buffer. */
  private substitute(a: number, b: number, value: string): void {
    if (this.bufStart < 0) this.bufStart = a;
    this.parts.push(this.text.slice(this.segStart, a), value);
    this.segStart = b;
    this.composite = true;
    this.judge.charge(value.length);
  }

  /** Sends the buffer (ending at source offset `end`; the separator ends at `after`). */
  private send(end: number, after: number): void {
    if (this.bufStart >= 0) {
      const composite = this.composite;
      const tail = this.text.slice(this.segStart, end);
      const body = composite ? this.parts.join('') + tail : tail;
      const origin: Origin = composite
        ? { from: this.origin.from, source: this.origin.source, line: this.lineOf(this.bufStart) }
        : { ...this.origin, base: (this.origin.base ?? 0) + this.segStart };
      this.judge.serverText(body, origin);
    }
    this.clear(after);
  }

  private clear(after: number): void {
    this.parts = [];
    this.segStart = after;
    this.bufStart = -1;
    this.composite = false;
    this.paren = 0;
    this.block = 0;
    this.idents = [];
    this.routine = false;
  }

  /** Line of a source offset; offsets asked for never go backwards much, so a cursor keeps this linear. */
  private lineOf(offset: number): number | undefined {
    if (this.origin.base === undefined) return this.origin.line;
    const src = this.origin.source;
    const to = this.origin.base + offset;
    if (to < this.cursor) {
      this.cursor = 0;
      this.cursorLine = 1;
    }
    for (let p = src.indexOf('\n', this.cursor); p >= 0 && p < to; p = src.indexOf('\n', p + 1)) {
      this.cursorLine++;
      this.cursor = p + 1;
    }
    return this.cursorLine;
  }
  private cursor = 0;
  private cursorLine = 1;

  private note(finding: Finding, statement: string, offset: number): void {
    this.judge.note(finding, statement, this.origin, offset);
  }

  /** A `:` at `at`: a variable reference when a name follows; returns the offset after it (or `at + 1`). */
  private variable(at: number): number {
    const text = this.text;
    const c = text.charCodeAt(at + 1);
    if (c === 39 || c === 34) {
      // :'name' and :"name": the value quoted as a literal or an identifier (it cannot inject SQL).
      let p = at + 2;
      while (p < text.length && isVarChar(text.charCodeAt(p))) p++;
      if (p === at + 2 || text.charCodeAt(p) !== c) return at + 1;
      const name = text.slice(at + 2, p);
      const value = this.state.vars.has(name) ? this.state.vars.get(name) ?? '…' : '…';
      const q = c === 39 ? "'" : '"';
      this.substitute(at, p + 1, q + value.split(q).join(q + q) + q);
      return p + 1;
    }
    if (c === 123 && text.charCodeAt(at + 2) === 63) {
      // :{?name} tests whether a variable is set: TRUE or FALSE.
      let p = at + 3;
      while (p < text.length && isVarChar(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 125) return at + 1;
      this.substitute(at, p + 1, 'TRUE');
      return p + 1;
    }
    let p = at + 1;
    while (p < text.length && isVarChar(text.charCodeAt(p))) p++;
    if (p === at + 1) return at + 1;
    const name = text.slice(at + 1, p);
    // `a[1:2]`: psql would look up a variable named 2; nobody sets one, so the text stays as written.
    if (/^[0-9]+$/.test(name)) return at + 1;
    const value = this.state.vars.get(name);
    if (value === undefined) {
      this.note({ code: 'unknown', what: `psql variable :${name} (its value is unknown)` }, `:${name}`, at);
      this.substitute(at, p, `:${name}`);
      return p;
    }
    if (!this.safeValue(value)) {
      this.note({ code: 'unknown', what: `psql variable :${name} (quotes or commands in its value)` }, `:${name}`, at);
    }
    this.substitute(at, p, value);
    return p;
  }

  /** Whether a substituted value lexes on its own (psql would go on lexing inside it otherwise). */
  private safeValue(value: string): boolean {
    const lx = this.judge.lexer(value);
    for (let k = lx.next(); k !== T.EOF; k = lx.next()) {
      if (k === T.BACKSLASH) return false;
      const colon = k === T.OP && value[lx.start] === ':' && lx.end - lx.start === 1;
      if (colon && isVarChar(value.charCodeAt(lx.end))) return false;
    }
    this.judge.done(lx);
    return !lx.unterminated;
  }

  /** End of the line that contains `p` (the offset of its `\n`, or the end of the text). */
  private eol(p: number): number {
    const n = this.text.indexOf('\n', p);
    return n < 0 ? this.text.length : n;
  }

  /** Reads one meta-command at `at` (a backslash); returns the offset where SQL lexing resumes. */
  meta(at: number, single: boolean): number {
    const text = this.text;
    // The buffer so far stays pending across the meta-command.
    if (this.bufStart >= 0) this.parts.push(text.slice(this.segStart, at));
    else this.parts = [];
    const eol = this.eol(at);
    let p = at + 1;
    while (p < eol && text.charCodeAt(p) > 32 && text.charCodeAt(p) !== 92) p++;
    const name = text.slice(at + 1, p);
    const bare = name.endsWith('+') && name.length > 1 ? name.slice(0, -1) : name;
    const shown = `\\${name}`;
    let end: number;
    if (!this.active() && !CONDITIONALS.has(name)) {
      // Inactive branch: the command and its arguments are read, not run.
      end = eol;
      if (!WHOLE_LINE.has(name) && !WHOLE_LINE.has(bare)) {
        let q = p;
        for (let r = this.readArg(q, eol); r; r = this.readArg(q, eol)) q = r.next;
        end = q;
      }
    } else if (WHOLE_LINE.has(name) || WHOLE_LINE.has(bare)) {
      end = eol;
      this.wholeLine(bare, text.slice(p, eol), at);
    } else {
      const args: Arg[] = [];
      let q = p;
      for (;;) {
        const r = this.readArg(q, eol);
        if (!r) break;
        args.push(r.arg);
        q = r.next;
      }
      end = q;
      for (const a of args) {
        if (a.shell) this.note({ code: 'unknown', what: `${shown} with a backquoted shell command` }, shown, at);
      }
      this.command(bare, shown, args, at, text.slice(p, end));
    }
    // `\\` ends the command and lets SQL follow on the same line.
    let sep = end;
    while (sep < eol && (text.charCodeAt(sep) === 32 || text.charCodeAt(sep) === 9)) sep++;
    if (text.charCodeAt(sep) === 92 && text.charCodeAt(sep + 1) === 92) end = sep + 2;
    if (single) return end;
    if (this.bufStart >= 0) this.composite = true;
    else this.parts = [];
    this.segStart = end;
    return end;
  }

  private wholeLine(name: string, rest: string, at: number): void {
    const shown = `\\${name}`;
    if (name === '!') this.note({ code: 'unknown', what: '\\! (a shell command)' }, shown, at);
    else if (name === 'ef' || name === 'ev') this.note({ code: 'unknown', what: `${shown} (an editor)` }, shown, at);
    else if (name === 'copy') this.copy(rest, at);
    else this.note({ code: 'readOnly', what: shown }, shown, at);
  }

  /** `\copy`: a client-side COPY; the server only reads (TO) or inserts (FROM); PROGRAM runs a local shell. */
  private copy(rest: string, at: number): void {
    const judge = this.judge;
    const lx = judge.lexer(rest);
    let depth = 0;
    let dir = '';
    let program = false;
    let queryFrom = -1;
    let queryTo = -1;
    for (let k = lx.next(); k !== T.EOF; k = lx.next()) {
      if (k === T.LPAREN) {
        if (depth === 0 && queryFrom < 0 && dir === '') queryFrom = lx.end;
        depth++;
      } else if (k === T.RPAREN) {
        depth--;
        if (depth === 0 && queryTo < 0 && queryFrom >= 0) queryTo = lx.start;
      } else if (k === T.WORD && depth === 0) {
        const w = rest.slice(lx.start, lx.end).toUpperCase();
        if (!dir && (w === 'FROM' || w === 'TO')) dir = w;
        else if (dir && w === 'PROGRAM') program = true;
      }
    }
    judge.done(lx);
    const shown = `\\copy … ${dir}`;
    if (program) {
      this.note({ code: 'unknown', what: `\\copy … ${dir} PROGRAM (a local shell command)` }, shown, at);
      return;
    }
    if (queryFrom >= 0 && queryTo > queryFrom) {
      judge.serverText(rest.slice(queryFrom, queryTo), { from: this.origin.from, source: this.origin.source,
        line: this.lineOf(at) });
    }
    if (dir === 'FROM') this.note({ code: 'harmlessWrite', what: '\\copy … FROM' }, shown, at);
    else if (dir === 'TO') this.note({ code: 'readOnly', what: '\\copy … TO' }, shown, at);
    else this.note({ code: 'unknown', what: '\\copy' }, '\\copy', at);
  }

  private command(name: string, shown: string, args: Arg[], at: number, rest: string): void {
    const state = this.state;
    const first = args[0]?.value;
    const pipe = /^\s*\|/.test(rest);
    if (CONDITIONALS.has(name)) {
      this.conditional(name, args);
      this.note({ code: 'readOnly', what: shown }, shown, at);
      return;
    }
    switch (name) {
      case 'q': case 'quit':
        this.judge.stopped = true;
        return;
      case 'c': case 'connect':
        this.note({ code: 'unknown', what: '\\connect (changes the target mid-script)' }, shown, at);
        return;
      case 'e': case 'edit':
        this.note({ code: 'unknown', what: `${shown} (an editor)` }, shown, at);
        return;
      case 'password':
        this.note({ code: 'destructive', what: '\\password (changes a password)' }, shown, at);
        return;
      case 'lo_unlink':
        this.note({ code: 'destructive', what: '\\lo_unlink (deletes a large object)' }, shown, at);
        return;
      case 'lo_import':
        this.note({ code: 'harmlessWrite', what: '\\lo_import' }, shown, at);
        return;
      case 'i': case 'include': case 'ir': case 'include_relative':
        this.include(name.startsWith('ir') || name === 'include_relative', args[0], at);
        return;
      case 'cd':
        state.cwd = first === undefined ? undefined : resolvePath(first, state.cwd);
        this.note({ code: 'readOnly', what: '\\cd' }, shown, at);
        return;
      case 'set':
        if (args.length > 0 && first !== undefined) {
          const values = args.slice(1);
          const unknown = values.some((a) => a.value === undefined);
          state.vars.set(first, unknown ? undefined : values.map((a) => a.value).join(''));
        }
        this.note({ code: 'readOnly', what: '\\set' }, args.length > 0 ? `\\set ${args[0].raw}` : '\\set', at);
        return;
      case 'unset':
        if (first !== undefined) state.vars.delete(first);
        this.note({ code: 'readOnly', what: '\\unset' }, shown, at);
        return;
      case 'prompt':
        if (args.length > 0) {
          const v = args[args.length - 1].value;
          if (v !== undefined) state.vars.set(v, undefined);
        }
        this.note({ code: 'readOnly', what: '\\prompt' }, shown, at);
        return;
      case 'setenv':
        if (first !== undefined && PROGRAM_ENV.has(first)) {
          this.note({ code: 'unknown', what: `\\setenv ${first} (a program psql runs)` }, shown, at);
        } else this.note({ code: 'readOnly', what: '\\setenv' }, shown, at);
        return;
      case 'gdesc':
        // Describes the buffer's result without running it (checked with psql 15: `DROP TABLE t \gdesc` drops
        // nothing); the buffer is then reset.
        this.clear(this.segStart);
        this.note({ code: 'readOnly', what: shown }, shown, at);
        return;
      case 'r': case 'reset':
        this.clear(this.segStart);
        this.parts = [];
        this.note({ code: 'readOnly', what: shown }, shown, at);
        return;
      default:
        break;
    }
    if ((name === 'o' || name === 'out' || name === 'w' || name === 'write' || name === 'g' || name === 'gx') && pipe) {
      this.note({ code: 'unknown', what: `${shown} | (a shell command)` }, shown, at);
    }
    if (SEND_META.has(name)) {
      if (name === 'gexec') {
        this.note({ code: 'destructive', what: '\\gexec (runs the query results as SQL)' }, shown, at);
      }
      if (name === 'gset') {
        const prefix = first ?? '';
        for (const key of [...state.vars.keys()]) if (key.startsWith(prefix)) state.vars.set(key, undefined);
      }
      this.sendPending(at);
      return;
    }
    // `\\` outside a command is psql's "invalid command \": it and the rest of its line are skipped.
    if (READ_META.has(name) || name.startsWith('d') || name === '') {
      this.note({ code: 'readOnly', what: shown }, shown, at);
      return;
    }
    this.note({ code: 'unknown', what: `psql ${shown}` }, shown, at);
  }

  /** `\if`, `\elif`, `\else`, `\endif`: a literal boolean decides; anything unknown may run either way. */
  private conditional(name: string, args: Arg[]): void {
    const known = !args.some((a) => a.value === undefined);
    const value = known ? args.map((a) => a.value).join(' ').trim().toLowerCase() : undefined;
    let truth: boolean | undefined;
    if (value !== undefined && TRUE_WORDS.has(value)) truth = true;
    else if (value !== undefined && FALSE_WORDS.has(value)) truth = false;
    const top = this.branches[this.branches.length - 1];
    if (name === 'if') {
      const parentActive = this.active();
      const b: Branch = { parentActive, active: false, taken: 'yes' };
      if (parentActive) {
        b.active = truth !== false;
        b.taken = truth === true ? 'yes' : truth === false ? 'no' : 'maybe';
      }
      this.branches.push(b);
    } else if (!top) {
      return;
    } else if (name === 'elif') {
      if (!top.parentActive || top.taken === 'yes') top.active = false;
      else {
        top.active = truth !== false;
        if (truth === true) top.taken = 'yes';
        else if (truth === undefined) top.taken = 'maybe';
      }
    } else if (name === 'else') {
      top.active = top.parentActive && top.taken !== 'yes';
      top.taken = 'yes';
    } else this.branches.pop();
  }

  /** Sends the buffer as it stands when a meta-command such as `\g` is read at `at`. */
  private sendPending(at: number): void {
    if (this.bufStart < 0) return;
    void at;
    const body = this.parts.join('');
    const line = this.lineOf(this.bufStart);
    this.judge.serverText(body, { from: this.origin.from, source: this.origin.source, line });
    this.parts = [];
    this.bufStart = -1;
    this.composite = false;
    this.paren = 0;
    this.block = 0;
    this.idents = [];
    this.routine = false;
  }

  private include(relative: boolean, arg: Arg | undefined, at: number): void {
    const judge = this.judge;
    const shown = `\\${relative ? 'ir' : 'i'} ${arg?.raw ?? ''}`.trim();
    if (!arg || arg.value === undefined) {
      this.note({ code: 'unreadable', what: `${shown} (file name unknown)` }, shown, at);
      return;
    }
    const file = resolvePath(arg.value, relative ? this.dir : this.state.cwd);
    const read = judge.options.readFile;
    if (!file || !read) {
      this.note({ code: 'unreadable', what: `${shown} (cannot be read by the guard)` }, shown, at);
      return;
    }
    if (this.state.depth >= MAX_INCLUDE_DEPTH) {
      this.note({ code: 'unknown', what: `${shown} (includes nested too deeply)` }, shown, at);
      return;
    }
    const r = read(file);
    if (!r.ok) {
      this.note({ code: 'unreadable', what: `${shown}: ${r.message}` }, shown, at);
      return;
    }
    if (!judge.charge(r.text.length)) return;
    this.state.depth++;
    const dir = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
    runPsql(judge, r.text, { from: file, source: r.text, base: 0 }, dir || '/', this.state);
    this.state.depth--;
  }

  /** One argument in psql's OT_NORMAL mode, from `p` up to the end of the line `eol`. */
  private readArg(p: number, eol: number): { arg: Arg; next: number } | undefined {
    const text = this.text;
    while (p < eol && (text[p] === ' ' || text[p] === '\t' || text[p] === '\r' || text[p] === '\f')) p++;
    if (p >= eol || text.charCodeAt(p) === 92) return undefined;
    const start = p;
    let value: string | undefined = '';
    let shell = false;
    let unknownVar: string | undefined;
    while (p < eol) {
      const c = text[p];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\\') break;
      if (c === "'") {
        p++;
        let out = '';
        while (p < eol) {
          const d = text[p];
          if (d === "'") {
            if (text[p + 1] === "'") { out += "'"; p += 2; continue; }
            p++;
            break;
          }
          if (d === '\\' && p + 1 < eol) {
            const e = text[p + 1];
            out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'b' ? '\b' : e === 'f' ? '\f' : e;
            p += 2;
            continue;
          }
          out += d;
          p++;
        }
        if (value !== undefined) value += out;
        continue;
      }
      if (c === '"') {
        const close = text.indexOf('"', p + 1);
        const to = close < 0 || close > eol ? eol : close + 1;
        if (value !== undefined) value += text.slice(p, to);
        p = to;
        continue;
      }
      if (c === '`') {
        const close = text.indexOf('`', p + 1);
        p = close < 0 || close > eol ? eol : close + 1;
        shell = true;
        value = undefined;
        continue;
      }
      if (c === ':' && isVarChar(text.charCodeAt(p + 1))) {
        let q = p + 1;
        while (q < eol && isVarChar(text.charCodeAt(q))) q++;
        const name = text.slice(p + 1, q);
        const v = this.state.vars.get(name);
        if (v === undefined) {
          unknownVar = name;
          value = undefined;
        } else if (value !== undefined) value += v;
        p = q;
        continue;
      }
      if (value !== undefined) value += c;
      p++;
    }
    return { arg: { value, raw: text.slice(start, p), shell, unknownVar }, next: p };
  }
}
