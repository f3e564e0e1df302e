// psql as a client: what reaches the server after psql has read the script (psqlscan.l, command.c). psql sends
// the query buffer at a `;` outside quotes, parentheses and BEGIN … END bodies, at `\g` and friends and at the
// end of the input; a backslash starts a meta-command that runs to the end of the line or to the next backslash
// (`\\` separates); `:name`, `:'name'` and `:"name"` are replaced by variables outside quotes and comments;
// `\;` and `\:` put a literal `;` or `:` in the buffer.
//
// After `COPY … FROM STDIN` (or `\copy … from stdin`) psql reads the following lines, up to a line `\.`, as the
// data, never as commands; if the COPY fails (no such table…) it reads them as commands. Both are judged: the main
// reading skips the data; for each data block a lenient reading (only what it finds to write or to run counts)
// reads it as commands from there on, until it is back in step with the main reading (both between statements at
// the same place with the same state).
//
// `\if` with a condition the guard cannot decide runs each branch for the judge, each from the state before the
// block; at `\endif` a variable the branches leave with different values is unknown. `\q` ends the file it is
// in (an including file goes on), and only when it surely runs.
import type { Finding } from './classify';
import { unsafePgEncoding } from './classify';
import { type Judge, type Origin, resolvePath } from './judge';
import { T } from './lexer';

/** psql's state across a script and the files it includes. */
export interface PsqlState {
  /** Variables: a value, or undefined when it is set but unknown to the guard (`\gset`, `\prompt`, backquotes). */
  readonly vars: Map<string, string | undefined>;
  /** psql's working folder (`\cd` changes it); undefined when unknown. */
  cwd: string | undefined;
  depth: number;
  /** The open `\if` blocks of the scripts being read, innermost last: what their branches set. */
  readonly frames: VarFrame[];
  /** Counts changes of variables, folder and `\if` state (a COPY data reading is in step only while unchanged). */
  changes: number;
}

/** A variable's (or the folder's) state: set or not, and its value (undefined: unknown to the guard). */
interface Slot {
  readonly has: boolean;
  readonly value: string | undefined;
}

/** One open `\if` block: the values before it of what its branches set, and each branch's final values. */
interface VarFrame {
  readonly orig: Map<string, Slot>;
  branch: Map<string, Slot>;
  readonly outcomes: Array<Map<string, Slot>>;
}

/** The folder's key in the journal (no variable name holds a slash). */
const CWD = '/cwd';
const UNKNOWN: Slot = { has: true, value: undefined };

function getSlot(state: PsqlState, key: string): Slot {
  if (key === CWD) return { has: true, value: state.cwd };
  return state.vars.has(key) ? { has: true, value: state.vars.get(key) } : { has: false, value: undefined };
}

function applySlot(state: PsqlState, key: string, slot: Slot): void {
  if (key === CWD) state.cwd = slot.value;
  else if (slot.has) state.vars.set(key, slot.value);
  else state.vars.delete(key);
}

/** Sets a variable (or the folder), recording its previous value in the innermost open `\if` block. */
function setVar(state: PsqlState, key: string, slot: Slot): void {
  const top = state.frames[state.frames.length - 1];
  if (top) {
    if (!top.orig.has(key)) top.orig.set(key, getSlot(state, key));
    top.branch.set(key, slot);
  }
  state.changes++;
  applySlot(state, key, slot);
}

function sameSlot(a: Slot, b: Slot): boolean {
  return a.has === b.has && a.value === b.value;
}

/** A fresh psql state: the given variables, folder and nothing open. */
export function psqlState(vars: ReadonlyMap<string, string | undefined>, cwd: string | undefined): PsqlState {
  return { vars: new Map(vars), cwd, depth: 0, frames: [], changes: 0 };
}

/**
 * What two readings of the same input leave: a variable (or the folder) they leave with different values is unknown.
 */
export function mergeStates(into: PsqlState, other: PsqlState): void {
  for (const [k, v] of other.vars) {
    if (!into.vars.has(k) || into.vars.get(k) !== v) into.vars.set(k, undefined);
  }
  for (const k of into.vars.keys()) if (!other.vars.has(k)) into.vars.set(k, undefined);
  if (into.cwd !== other.cwd) into.cwd = undefined;
}

/** Meta-commands that only read or change psql's own display and state. */
const READ_META = new Set([
  'a', 'C', 'conninfo', 'copyright', 'errverbose', 'f', 'h', 'help', 'H', 'html', 'l', 'list',
  'lo_list', 'lo_export', 'o', 'out', 'p', 'print', 'pset', 'qecho', 'echo', 'warn', 's', 'sf', 'sv', 't', 'T',
  'timing', 'w', 'write', 'x', 'z', '?', 'if', 'elif', 'else', 'endif', 'bind', 'dconfig',
]);
/**
 * Variables psql sets from what happens at run time: the guard cannot know them (`SELECT 1/0; \if :ERROR …`).
 * In SQL their values cannot inject anything (numbers, booleans, SQLSTATE codes), so they keep a placeholder
 * there; in a meta-command's arguments (`\if`, `\set`) they are unknown.
 */
const RUNTIME_VARS = new Set([
  'ERROR', 'SQLSTATE', 'LAST_ERROR_SQLSTATE', 'ROW_COUNT', 'LASTOID', 'SHELL_ERROR', 'SHELL_EXIT_CODE',
]);
/** Meta-commands that send the query buffer to the server. */
const SEND_META = new Set(['g', 'gx', 'gset', 'gexec', 'crosstabview', 'watch']);
/** Conditional meta-commands: the only ones psql reads in an inactive branch. */
const CONDITIONALS = new Set(['if', 'elif', 'else', 'endif']);
const TRUE_WORDS = new Set(['1', 't', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off']);

/** One `\if` level: whether its branch runs (surely or maybe), and whether an earlier branch surely ran. */
interface Branch {
  readonly parentActive: boolean;
  /** The block is reached for sure (every enclosing branch surely runs). */
  readonly parentSure: boolean;
  active: boolean;
  /** The current branch surely runs. */
  sure: boolean;
  taken: 'no' | 'maybe' | 'yes';
}
/** Meta-commands whose argument is the rest of the line, backslashes included. */
const WHOLE_LINE = new Set(['!', 'copy', 'ef', 'ev', 'h', 'help', 'sf', 'sv', 'sf+', 'sv+']);
/** Environment variables psql runs as programs. */
const PROGRAM_ENV = new Set(['PAGER', 'PSQL_PAGER', 'EDITOR', 'PSQL_EDITOR', 'VISUAL', 'SHELL', 'PSQL_WATCH_PAGER']);
const MAX_INCLUDE_DEPTH = 16;
/** A data block's lenient reading stops here at the latest (COPY blocks beyond it: unknown). */
const MAX_COPY_BLOCKS = 10000;

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

/**
 * The end of COPY data that starts at `start`: just after the line `\.` that ends it (handleCopyIn: exactly `\.`
 * and a newline, optionally CR LF), or the end of the text.
 */
function dataEnd(text: string, start: number): number {
  for (let p = text.indexOf('\\.', start); p >= 0; p = text.indexOf('\\.', p + 1)) {
    if (p !== start && text.charCodeAt(p - 1) !== 10) continue;
    const c = text.charCodeAt(p + 2);
    if (c === 10) return p + 3;
    if (c === 13 && text.charCodeAt(p + 3) === 10) return p + 4;
  }
  return text.length;
}

/** Where the main reading of a script was between statements, and how many state changes it had made by then. */
interface Boundaries {
  readonly at: number[];
  readonly changes: number[];
}

/** A lenient reading of a COPY data block as commands (the COPY failed): where to stop, where it started. */
interface FailPass {
  readonly main: Boundaries;
  /** The main reading's state changes when the data started. */
  readonly changes: number;
  /** This reading's own state changes at its start. */
  readonly ownChanges: number;
  readonly dataEnd: number;
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
  /** Offsets where the buffer was sent (the main reading), for COPY data readings to get back in step. */
  private readonly boundaries: Boundaries = { at: [], changes: [] };
  /** COPY data blocks skipped: [start, end) of the data, the branches open then, the state changes then. */
  private readonly blocks: Array<{ start: number; end: number; line?: number; branches: Branch[]; state: PsqlState }> =
    [];
  /** Where the reading stopped (a COPY data reading's length is charged to the budget). */
  private endAt = 0;
  /** Set when this is a COPY data reading: it stops once back in step with the main reading. */
  private fail: FailPass | undefined;
  /** Where the lexer resumes after a send that started COPY data (the end of the data), or -1. */
  private resume = -1;
  /** The line-end cache: the offset of the `\n` (or text end) of the line that starts at or before `eolFrom`. */
  private eolFrom = -1;
  private eolAt = -1;
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

  /** Whether the current place surely runs (no enclosing branch depends on what the guard cannot know). */
  private sure(): boolean {
    const top = this.branches[this.branches.length - 1];
    return !top || (top.active && top.sure);
  }

  /** Whether this reading has stopped (too large, `\q`, back in step with the main reading). */
  private over(): boolean {
    return this.judge.stopped || this.judge.quit;
  }

  constructor(private readonly judge: Judge, private readonly text: string, private readonly origin: Origin,
    private readonly dir: string | undefined, private readonly state: PsqlState) {}

  run(from = 0): void {
    const judge = this.judge;
    const text = this.text;
    const lx = judge.lexer(text, from);
    this.segStart = from;
    for (;;) {
      if (this.over()) break;
      if (this.resume >= 0) {
        lx.pos = this.resume;
        this.resume = -1;
      }
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
    if (lx.unterminated && !this.over()) {
      judge.note({ code: 'unparseable', what: 'an unterminated quote, identifier or comment' }, undefined, this.origin,
        Math.max(this.bufStart, 0));
    }
    judge.done(lx);
    this.endAt = lx.pos;
    // psql sends what is left in the buffer at the end of a non-interactive input.
    if (!this.over() && this.active()) this.send(text.length, text.length);
    // `\q` ends this file only; blocks left open are closed as psql does at the end of a file.
    judge.quit = false;
    while (this.branches.length > 0) this.endBlock();
    if (!this.fail) this.failPasses();
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
    let copyIn = false;
    if (this.bufStart >= 0) {
      const composite = this.composite;
      const tail = this.text.slice(this.segStart, end);
      const body = composite ? this.parts.join('') + tail : tail;
      const origin: Origin = composite
        ? { from: this.origin.from, source: this.origin.source, line: this.lineOf(this.bufStart) }
        : { ...this.origin, base: (this.origin.base ?? 0) + this.segStart };
      this.judge.serverText(body, origin);
      copyIn = this.judge.copyIn;
    }
    this.clear(after);
    this.sent(after, copyIn);
  }

  /** After a send that ended at `after`: note the boundary, and skip the COPY data that follows, if any. */
  private sent(after: number, copyIn: boolean): void {
    if (after >= this.text.length) return;
    if (this.fail) {
      if (this.inStep(after)) {
        this.judge.stopped = true;
        return;
      }
      if (copyIn) {
        this.note({ code: 'unknown', what: 'COPY … FROM STDIN read from the data of another COPY' }, 'COPY', after);
        this.judge.stopped = true;
      }
      return;
    }
    this.boundaries.at.push(after);
    this.boundaries.changes.push(this.state.changes);
    if (copyIn) this.skipData(after);
  }

  /**
   * psql reads the lines after the one where a COPY … FROM STDIN was sent as its data, up to a line `\.` (or the
   * end of the input); the rest of that line runs after the data (fail closed: unknown).
   */
  private skipData(after: number): void {
    const text = this.text;
    const lineEnd = this.eol(after);
    const rest = text.slice(after, lineEnd).trim();
    if (rest !== '' && !rest.startsWith('--')) {
      this.note({ code: 'unknown', what: 'text after COPY … FROM STDIN on its line (psql runs it after the data)' },
        'COPY', after);
    }
    const start = Math.min(lineEnd + 1, text.length);
    const end = dataEnd(text, start);
    if (this.blocks.length >= MAX_COPY_BLOCKS) {
      this.note({ code: 'unknown', what: 'more COPY … FROM STDIN data blocks than the guard reads' }, 'COPY', after);
    } else {
      const line = this.lineOf(start);
      this.blocks.push({ start, end, line, branches: this.branches.map((b) => ({ ...b })), state: this.snapshot() });
    }
    this.resume = end;
    this.segStart = end;
  }

  /** A copy of the state for a data block's lenient reading (its cost charged: many blocks × many variables). */
  private snapshot(): PsqlState {
    this.judge.charge(this.state.vars.size * 16);
    return { ...psqlState(this.state.vars, this.state.cwd), depth: this.state.depth, changes: this.state.changes };
  }

  /** A COPY data reading is back in step: between statements where the main reading was, with the same state. */
  private inStep(after: number): boolean {
    const fail = this.fail!;
    if (this.state.changes !== fail.ownChanges || after < fail.dataEnd) return false;
    const at = fail.main.at;
    let lo = 0;
    let hi = at.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] === after) return fail.main.changes[mid] === fail.changes;
      if (at[mid] < after) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Reads each skipped COPY data block as commands (the COPY failed), leniently, until back in step. */
  private failPasses(): void {
    const main = this.judge;
    for (const b of this.blocks) {
      if (main.stopped) return;
      const judge = main.fork();
      const script = new PsqlScript(judge, this.text, this.origin, this.dir, b.state);
      script.fail = { main: this.boundaries, changes: b.state.changes, ownChanges: b.state.changes, dataEnd: b.end };
      script.branches = b.branches;
      if (b.line !== undefined && this.origin.base !== undefined) {
        // Lines are counted from the block on (counting from the start for each block would be quadratic).
        script.cursor = this.origin.base + b.start;
        script.cursorLine = b.line;
        judge.seedLine(this.origin.source, this.origin.base + b.start, b.line);
      }
      for (let i = 0; i < b.branches.length; i++) {
        b.state.frames.push({ orig: new Map(), branch: new Map(), outcomes: [] });
      }
      script.run(b.start);
      // What the reading read is charged: readings that never get back in step stay bounded.
      judge.charge(Math.max(0, script.endAt - b.start));
      main.absorb(judge, 'if the COPY before it fails, its data read as commands: ');
      // A reading that never got back in step leaves its own variables: merged with the main reading's.
      if (!judge.stopped || judge.best.code === 'tooLarge') mergeStates(this.state, b.state);
    }
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

  /** End of the line that contains `p` (the offset of its `\n`, or the end of the text); cached per line, so that
   * many meta-commands on one long line stay linear. */
  private eol(p: number): number {
    if (p >= this.eolFrom && p <= this.eolAt && this.eolFrom >= 0) return this.eolAt;
    const n = this.text.indexOf('\n', p);
    this.eolFrom = p;
    this.eolAt = n < 0 ? this.text.length : n;
    return this.eolAt;
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
    const sent = this.pendingSent;
    this.pendingSent = undefined;
    if (sent) this.sent(end, sent.copyIn);
    if (this.copyStdin) {
      this.copyStdin = false;
      this.sentCopy(end);
    }
    return end;
  }
  /** A `\copy … from stdin` just ran: its data follows in the script. */
  private copyStdin = false;

  private sentCopy(end: number): void {
    if (this.fail) {
      this.note({ code: 'unknown', what: '\\copy … from stdin read from the data of another COPY' }, '\\copy', end);
      this.judge.stopped = true;
      return;
    }
    this.skipData(end);
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
    let first = true;
    let source = '';
    for (let k = lx.next(); k !== T.EOF; k = lx.next(), first = false) {
      if (k === T.LPAREN) {
        // Only a `(` that starts the command opens a query; `\copy users (id, name) TO …` lists columns.
        if (depth === 0 && first) queryFrom = lx.end;
        depth++;
      } else if (k === T.RPAREN) {
        depth--;
        if (depth === 0 && queryTo < 0 && queryFrom >= 0) queryTo = lx.start;
      } else if (k === T.WORD && depth === 0) {
        const w = rest.slice(lx.start, lx.end).toUpperCase();
        if (!dir && (w === 'FROM' || w === 'TO')) dir = w;
        else if (dir && w === 'PROGRAM') program = true;
        else if (dir && !source) source = w;
      } else if (dir && !source) source = '?';
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
    // `from stdin` reads the data from the script itself (`pstdin`: psql's own standard input).
    if (dir === 'FROM' && source === 'STDIN') this.copyStdin = true;
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
        // Ends this file, when it surely runs; in a branch the guard cannot decide, what follows is judged too.
        if (this.sure()) this.judge.quit = true;
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
        setVar(state, CWD, { has: true, value: first === undefined ? undefined : resolvePath(first, state.cwd) });
        this.note({ code: 'readOnly', what: '\\cd' }, shown, at);
        return;
      case 'set':
        if (args.length > 0) {
          const values = args.slice(1);
          const unknown = values.some((a) => a.value === undefined);
          const value = unknown ? undefined : values.map((a) => a.value).join('');
          if (value !== undefined && !this.judge.charge(value.length)) return;
          this.assign(first, { has: true, value });
        }
        this.note({ code: 'readOnly', what: '\\set' }, args.length > 0 ? `\\set ${args[0].raw}` : '\\set', at);
        return;
      case 'unset':
        if (args.length > 0) this.assign(first, { has: false, value: undefined });
        this.note({ code: 'readOnly', what: '\\unset' }, shown, at);
        return;
      case 'prompt':
        if (args.length > 0) this.assign(args[args.length - 1].value, UNKNOWN);
        this.note({ code: 'readOnly', what: '\\prompt' }, shown, at);
        return;
      case 'getenv':
        // `\getenv var ENVVAR`: the environment psql runs in is not the guard's to read.
        if (args.length > 0) this.assign(first, UNKNOWN);
        this.note({ code: 'readOnly', what: '\\getenv' }, shown, at);
        return;
      case 'encoding':
        if (args.length > 0) this.encoding(first, shown, at);
        else this.note({ code: 'readOnly', what: '\\encoding' }, shown, at);
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
        this.judge.charge(state.vars.size * 16);
        for (const key of [...state.vars.keys()]) if (key.startsWith(prefix)) setVar(state, key, UNKNOWN);
      }
      this.sendPending(at);
      return;
    }
    // `\\` outside a command is psql's "invalid command \": it and the rest of its line are skipped.
    if (READ_META.has(name) || name.startsWith('d') || name === '') {
      this.note({ code: 'readOnly', what: shown }, shown, at);
      return;
    }
    // Read from COPY data (`\N`, `\.`), an unknown command is psql's "invalid command": it does nothing.
    if (this.fail) return;
    this.note({ code: 'unknown', what: `psql ${shown}` }, shown, at);
  }

  /** Sets the variable `name` names; a name the guard cannot read may be any variable: all become unknown. */
  private assign(name: string | undefined, slot: Slot): void {
    if (name !== undefined) {
      setVar(this.state, name, slot);
      return;
    }
    this.judge.charge(this.state.vars.size * 16);
    for (const key of [...this.state.vars.keys()]) setVar(this.state, key, UNKNOWN);
  }

  /** `\encoding NAME`: psql then reads the script in that encoding. */
  private encoding(name: string | undefined, shown: string, at: number): void {
    if (name === undefined || unsafePgEncoding(name)) {
      this.note({ code: 'unparseable', what: `\\encoding ${name ?? '(unknown)'}: a client encoding whose characters ` +
        'may end in a backslash (quotes end elsewhere than the guard sees)' }, shown, at);
    } else this.note({ code: 'readOnly', what: '\\encoding' }, shown, at);
  }

  /** `\if`, `\elif`, `\else`, `\endif`: a literal boolean decides; anything unknown may run either way. */
  private conditional(name: string, args: Arg[]): void {
    const known = !args.some((a) => a.value === undefined);
    const value = known ? args.map((a) => a.value).join(' ').trim().toLowerCase() : undefined;
    let truth: boolean | undefined;
    if (value !== undefined && TRUE_WORDS.has(value)) truth = true;
    else if (value !== undefined && FALSE_WORDS.has(value)) truth = false;
    const top = this.branches[this.branches.length - 1];
    this.state.changes++;
    if (name === 'if') {
      const parentActive = this.active();
      const parentSure = this.sure();
      const b: Branch = { parentActive, parentSure, active: false, sure: false, taken: 'yes' };
      if (parentActive) {
        b.active = truth !== false;
        b.sure = parentSure && truth === true;
        b.taken = truth === true ? 'yes' : truth === false ? 'no' : 'maybe';
      }
      this.branches.push(b);
      this.state.frames.push({ orig: new Map(), branch: new Map(), outcomes: [] });
    } else if (!top) {
      return;
    } else if (name === 'elif') {
      this.endBranch(top);
      if (!top.parentActive || top.taken === 'yes') top.active = false;
      else {
        top.active = truth !== false;
        top.sure = top.parentSure && top.taken === 'no' && truth === true;
        if (truth === true) top.taken = 'yes';
        else if (truth === undefined) top.taken = 'maybe';
      }
    } else if (name === 'else') {
      this.endBranch(top);
      top.active = top.parentActive && top.taken !== 'yes';
      top.sure = top.parentSure && top.taken === 'no';
      top.taken = 'yes';
    } else this.endBlock();
  }

  /** The end of a branch: what it set is kept as one outcome, and the state goes back to before the block. */
  private endBranch(b: Branch): void {
    const frame = this.state.frames[this.state.frames.length - 1];
    if (!frame) return;
    if (b.active) frame.outcomes.push(frame.branch);
    for (const key of frame.branch.keys()) applySlot(this.state, key, frame.orig.get(key)!);
    frame.branch = new Map();
  }

  /**
   * `\endif` (or the end of the file): a variable every possible way through the block leaves with the same value
   * keeps it; otherwise it is unknown.
   */
  private endBlock(): void {
    const b = this.branches.pop()!;
    this.endBranch(b);
    const frame = this.state.frames.pop()!;
    if (b.parentActive && b.taken !== 'yes') frame.outcomes.push(new Map());
    if (frame.outcomes.length === 0) return;
    for (const [key, orig] of frame.orig) {
      const first = frame.outcomes[0].get(key) ?? orig;
      const same = frame.outcomes.every((o) => sameSlot(o.get(key) ?? orig, first));
      setVar(this.state, key, same ? first : UNKNOWN);
    }
  }

  /** Sends the buffer as it stands when a meta-command such as `\g` is read (the command ends at `end`). */
  private sendPending(end: number): void {
    if (this.bufStart < 0) return;
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
    this.pendingSent = { end, copyIn: this.judge.copyIn };
  }
  /** A send made by a meta-command: handled once the command's end is known (see meta). */
  private pendingSent: { end: number; copyIn: boolean } | undefined;

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
    if (!judge.admit(r.text, (f) => this.note(f, shown, at))) return;
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
        const v = RUNTIME_VARS.has(name) ? undefined : this.state.vars.get(name);
        if (v === undefined) {
          unknownVar = name;
          value = undefined;
        } else if (value !== undefined) {
          // Expansion is charged: `\set a :a:a` doubles a value at each step.
          if (!this.judge.charge(v.length)) return undefined;
          value += v;
        }
        p = q;
        continue;
      }
      if (value !== undefined) value += c;
      p++;
    }
    return { arg: { value, raw: text.slice(start, p), shell, unknownVar }, next: p };
  }
}
