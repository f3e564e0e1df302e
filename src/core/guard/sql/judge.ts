// The judging run: splits text into statements as the server does, classifies each, keeps the heaviest finding
// with where it came from. The client layers (psql.ts, mysql.ts) hand it the text the client sends.
import * as path from 'path';
import type { SqlOptions } from './index';
import { Lexer, T, lineAt, type LexMode } from './lexer';
import { classify, copyFromStdin, shorten, worst, SEVERITY, type ClassifyContext, type Finding } from './classify';
import { Stmt } from './tokens';

/** Where a piece of text came from, so the deciding statement can be located. */
export interface Origin {
  /** The file or stream, for the verdict's `from`. */
  readonly from?: string;
  /** The whole source the offsets refer to. */
  readonly source: string;
  /** Offset in `source` where the judged text starts; undefined when the text was assembled (psql variables). */
  readonly base?: number;
  /** Line to report when `base` is undefined. */
  readonly line?: number;
}

/** The heaviest finding so far and where it is. */
export interface Decision extends Finding {
  readonly statement?: string;
  readonly line?: number;
  readonly from?: string;
}

const ROUTINE_KINDS = new Set(['FUNCTION', 'PROCEDURE', 'TRIGGER', 'EVENT', 'PACKAGE']);
const NOT_ROUTINE = new Set([
  'TABLE', 'VIEW', 'INDEX', 'SCHEMA', 'DATABASE', 'SEQUENCE', 'TYPE', 'USER', 'ROLE', 'SERVER', 'RULE', 'DOMAIN',
  'MATERIALIZED', 'EXTENSION', 'POLICY', 'TABLESPACE', 'AS', 'SELECT',
]);
const PASSWORDISH = /password|identified|secret/i;
const MAX_NESTED = 4;
/**
 * MySQL/MariaDB: the words after which `BEGIN` starts a block in a routine (a statement starts there: after a
 * `;`, a label `x:`, THEN/ELSE/DO/LOOP/REPEAT, or the routine's body after its parameters and characteristics).
 * Anywhere else `BEGIN` is a name (`CREATE PROCEDURE begin() SELECT 1; DELETE FROM users; END` is three
 * statements to the server).
 */
const BEGIN_AFTER = new Set([
  'BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP', 'REPEAT', 'DETERMINISTIC', 'SQL', 'DATA', 'DEFINER', 'INVOKER', 'ROW',
  'UNSIGNED', 'SIGNED', 'ZEROFILL', 'BINARY',
]);
/** …and the words two tokens before it: `RETURNS INT BEGIN`, `FOLLOWS other_trigger BEGIN`, `CHARSET utf8 BEGIN`. */
const BEGIN_AFTER2 = new Set(['RETURNS', 'FOLLOWS', 'PRECEDES', 'CHARSET', 'COLLATE', 'SET']);
/** Per included file at least this many characters are charged: fan-out of small includes stays bounded. */
export const INCLUDE_COST = 16 * 1024;

/** Why text cannot be judged as the client reads it (a NUL, bytes that were not UTF-8), or undefined. */
export function badText(text: string): string | undefined {
  if (text.indexOf('\0') >= 0) return 'a NUL character (the client stops reading the line there; the guard cannot)';
  if (text.indexOf('\uFFFD') >= 0) {
    return 'bytes that are not UTF-8 (read in another encoding, quotes may end elsewhere than the guard sees)';
  }
  return undefined;
}

/** One judging pass over a whole input, in one lexical mode. */
export class Judge {
  best: Decision = { code: 'noEffect', what: 'no SQL statement' };
  /** Some `'…'` / `"…"` literal reads differently under another session setting: judge again in that mode. */
  altSingle = false;
  altDouble = false;
  /** The judging stopped: the input is too large (or a tool's scan decided to stop). Nothing after it is read. */
  stopped = false;
  /** `\q`, `quit`: the rest of the current file does not run (an including file goes on). */
  quit = false;
  /** The last text sent to the server holds `COPY … FROM STDIN`: psql reads the lines that follow as its data. */
  copyIn = false;
  /** Characters judged so far (includes, variable expansion): bounded by the size limit. */
  budget: number;
  readonly prepared = new Map<string, Finding>();
  private readonly stmt = new Stmt();
  private nestedDepth = 0;

  /**
   * @param lenient another lexical reading than the default: what it cannot read is a syntax error under that
   *   setting (harmless), so only what it finds to write or to run (a shell, a connection) counts.
   */
  constructor(readonly options: SqlOptions, readonly mode: LexMode, limit: number, readonly lenient = false) {
    this.budget = limit;
  }

  /** A lexer in this run's mode; its `ambiguous` flag is collected by `done`. */
  lexer(text: string, from = 0, to = text.length, mode: LexMode = this.mode): Lexer {
    return new Lexer(text, mode, from, to);
  }

  /** Collects a finished lexer's flags. */
  done(lx: Lexer): void {
    if (lx.altSingle) this.altSingle = true;
    if (lx.altDouble) this.altDouble = true;
  }

  /** Records a finding made outside a statement (a client command, an unreadable include). */
  note(finding: Finding, statement: string | undefined | (() => string), origin: Origin, offset: number): void {
    if (this.lenient && finding.code === 'unparseable') return;
    if (SEVERITY[finding.code] <= SEVERITY[this.best.code] && this.best.code !== 'noEffect') return;
    if (finding.code === 'noEffect' && this.best.code === 'noEffect') return;
    const line = origin.base !== undefined ? this.lineIn(origin.source, origin.base + offset) : origin.line;
    const shown = typeof statement === 'function' ? statement() : statement;
    this.best = { ...finding, statement: shown, line, from: origin.from };
  }

  /**
   * Charges an included file (at least INCLUDE_COST) and notes what makes it unreadable as the client reads it;
   * false when it is not to be read.
   */
  admit(text: string, note: (finding: Finding) => void): boolean {
    if (!this.charge(Math.max(text.length, INCLUDE_COST))) return false;
    const bad = badText(text);
    if (bad) note({ code: 'unparseable', what: `an included file with ${bad}` });
    return true;
  }

  /**
   * A lenient reading of part of the same input (COPY data read as commands): what it finds to write or to run
   * counts (see `absorb`), what it cannot read does not. It spends this run's budget.
   */
  fork(): Judge {
    const j = new Judge(this.options, this.mode, this.budget, true);
    j.prepared.clear();
    for (const [k, v] of this.prepared) j.prepared.set(k, v);
    return j;
  }

  /** Takes a forked reading's heaviest finding (its message prefixed) and what it spent. */
  absorb(other: Judge, prefix: string): void {
    this.budget = other.budget;
    if (other.altSingle) this.altSingle = true;
    if (other.altDouble) this.altDouble = true;
    if (other.best.code === 'tooLarge') {
      this.best = other.best;
      this.stopped = true;
      return;
    }
    if (SEVERITY[other.best.code] > SEVERITY[this.best.code] && other.best.code !== 'noEffect') {
      this.best = { ...other.best, what: `${prefix}${other.best.what}` };
    }
  }

  /** The 1-based line of `offset` in `source`, counted on from the last one asked (linear over a forward pass). */
  lineIn(source: string, offset: number): number {
    if (source !== this.lineSource || offset < this.lineOffset) this.seedLine(source, 0, 1);
    this.lineNumber = lineAt(source, offset, this.lineOffset, this.lineNumber);
    this.lineOffset = offset;
    return this.lineNumber;
  }

  /** Tells `lineIn` that `offset` of `source` is on line `line` (a reading that starts mid-text). */
  seedLine(source: string, offset: number, line: number): void {
    this.lineSource = source;
    this.lineOffset = offset;
    this.lineNumber = line;
  }
  private lineSource = '';
  private lineOffset = 0;
  private lineNumber = 1;

  /** Charges `n` characters to the budget; false when the input is too large to judge. */
  charge(n: number): boolean {
    this.budget -= n;
    if (this.budget < 0) {
      this.best = { code: 'tooLarge', what: 'SQL larger than the guard checks' };
      this.stopped = true;
      return false;
    }
    return true;
  }

  /**
   * Judges text the server receives in one request: splits it into statements the way the server's grammar
   * does (PostgreSQL and MySQL run every statement of a multi-statement string) and classifies each.
   */
  serverText(text: string, origin: Origin): void {
    this.copyIn = false;
    this.eachStatement(text, (s, unparseable) => {
      // Under another reading, a statement that does not even lex is a syntax error there: it runs nothing.
      if (this.lenient && unparseable) return;
      if (this.mode.dialect === 'postgres' && copyFromStdin(s)) this.copyIn = true;
      let finding = classify(s, this.context());
      if (unparseable) finding = worst(finding, { code: 'unparseable', what: unparseable });
      if (finding.code === 'noEffect' || (this.lenient && finding.code === 'unknown')) return;
      this.note(finding, () => display(s), origin, s.start[0]);
    });
  }

  /** The heaviest finding in SQL text found inside a statement (`PREPARE s FROM '…'`). */
  private nestedText(sql: string): Finding {
    if (this.nestedDepth >= MAX_NESTED) return { code: 'unknown', what: 'deeply nested dynamic SQL' };
    this.nestedDepth++;
    let found: Finding = { code: 'readOnly', what: 'SQL text' };
    // The nested run needs its own statement buffer: the outer one is still being classified.
    const inner = new Judge(this.options, this.mode, Number.MAX_SAFE_INTEGER);
    inner.nestedDepth = this.nestedDepth;
    inner.eachStatement(sql, (s, unparseable) => {
      let finding = classify(s, inner.context(this.prepared));
      if (unparseable) finding = worst(finding, { code: 'unparseable', what: unparseable });
      found = worst(found, finding);
    });
    if (inner.altSingle) this.altSingle = true;
    if (inner.altDouble) this.altDouble = true;
    this.nestedDepth--;
    return found;
  }

  private context(prepared = this.prepared): ClassifyContext {
    return { dialect: this.mode.dialect, prepared, nested: (sql) => this.nestedText(sql) };
  }

  /** Splits `text` into server statements; `visit` gets each one's tokens and why it cannot be parsed, if so. */
  eachStatement(text: string, visit: (s: Stmt, unparseable?: string) => void): void {
    const lx = this.lexer(text);
    const s = this.stmt;
    const pg = this.mode.dialect === 'postgres';
    s.reset(text);
    let paren = 0;
    // Open BEGIN … END constructs of a routine body: 1 a block or CASE statement, 2 a CASE expression (whose
    // THEN/ELSE start no statement).
    const open: number[] = [];
    let routine: boolean | undefined;
    let pendingEnd = 0;
    let semiInParens = false;
    const flush = (): void => {
      if (s.n > 0) {
        let why: string | undefined;
        if (open.length > 0) why = 'a BEGIN … END block that does not end';
        if (semiInParens) why = '`;` inside parentheses';
        visit(s, why);
      }
      s.reset(text);
      paren = 0;
      if (open.length > 0) open.length = 0;
      routine = undefined;
      pendingEnd = 0;
      semiInParens = false;
    };
    for (;;) {
      const k = lx.next();
      if (pendingEnd) {
        // `END IF`, `END LOOP`…: closes a construct that was not counted; what END closed stays open.
        const w = k === T.WORD && lx.end - lx.start <= 6 ? text.slice(lx.start, lx.end).toUpperCase() : '';
        if (w === 'IF' || w === 'LOOP' || w === 'WHILE' || w === 'REPEAT' || w === 'FOR') open.push(pendingEnd);
        pendingEnd = 0;
      }
      if (k === T.EOF) break;
      if (k === T.SEMI) {
        if ((!pg || paren === 0) && open.length === 0) {
          flush();
          continue;
        }
        if (pg && paren > 0) semiInParens = true;
      }
      s.push(k, lx.start, lx.end);
      if (k === T.LPAREN) paren++;
      else if (k === T.RPAREN) {
        if (paren > 0) paren--;
      } else if (k === T.WORD && (paren === 0 || !pg)) {
        const len = lx.end - lx.start;
        const c0 = text.charCodeAt(lx.start) | 32;
        if (len >= 3 && len <= 6 && (c0 === 97 || c0 === 98 || c0 === 99 || c0 === 101)) {
          const w = text.slice(lx.start, lx.end).toUpperCase();
          if (w === 'BEGIN' || w === 'CASE' || w === 'END' || w === 'ATOMIC') {
            if (routine === undefined) routine = isRoutine(s);
            if (routine) {
              // PostgreSQL opens a block only at `BEGIN ATOMIC` (a SQL-standard body); MySQL where a statement
              // starts. A routine merely named `begin` opens none: the server runs what follows its `;`.
              const top = open.length > 0 ? open[open.length - 1] : 0;
              if (w === 'ATOMIC') {
                if (pg && s.n >= 2 && s.is(s.n - 2, 'BEGIN')) open.push(1);
              } else if (w === 'BEGIN') {
                if (!pg && beginsStatement(s, s.n - 1, top === 2)) open.push(1);
              } else if (w === 'CASE') {
                // psql counts CASE only inside a BEGIN; `END CASE` closes a CASE statement in MySQL.
                if (pg) {
                  if (open.length > 0) open.push(2);
                } else if (!(s.n >= 2 && s.is(s.n - 2, 'END'))) {
                  open.push(beginsStatement(s, s.n - 1, top === 2) ? 1 : 2);
                }
              } else if (open.length > 0) {
                const closed = open.pop()!;
                if (!pg) pendingEnd = closed;
              }
            }
          }
        }
      }
    }
    if (lx.unterminated && s.n > 0) {
      visit(s, 'an unterminated quote, identifier or comment');
      s.reset(text);
    } else if (lx.unterminated) {
      visit(s, 'an unterminated quote, identifier or comment');
    } else flush();
    this.done(lx);
  }
}

/**
 * MySQL: whether a statement starts at token `i` of a routine (so `BEGIN` there opens a block and `CASE` is a
 * CASE statement; see BEGIN_AFTER). Inside a CASE expression, THEN and ELSE are followed by values.
 */
function beginsStatement(s: Stmt, i: number, inCaseExpression: boolean): boolean {
  const k = s.kind[i - 1];
  if (k === T.SEMI || k === T.RPAREN || k === T.STRING) return true;
  if (k === T.OP) return s.raw(i - 1) === ':';
  if (k !== T.WORD) return false;
  const w = s.w(i - 1);
  if (inCaseExpression && (w === 'THEN' || w === 'ELSE')) return false;
  return BEGIN_AFTER.has(w) || BEGIN_AFTER2.has(s.w(i - 2));
}

/** Whether the statement being read is a routine definition whose body may hold `;` (BEGIN … END). */
function isRoutine(s: Stmt): boolean {
  if (!s.is(0, 'CREATE')) return false;
  for (let i = 1; i < s.n && i < 60; i++) {
    const w = s.w(i);
    if (ROUTINE_KINDS.has(w)) return true;
    if (NOT_ROUTINE.has(w)) return false;
  }
  return false;
}

/** The statement as shown to people: tokens joined by single spaces, string literals masked near passwords. */
export function display(s: Stmt): string {
  const mask = PASSWORDISH.test(s.span(0, Math.min(s.n - 1, 400)));
  let out = '';
  for (let i = 0; i < s.n && out.length < 130; i++) {
    if (i > 0 && s.start[i] > s.end[i - 1]) out += ' ';
    out += mask && s.kind[i] === T.STRING ? "'***'" : s.raw(i).slice(0, 130);
  }
  return shorten(out, 120);
}

/** Resolves an included file's path against a folder (psql `\i`, `\ir`; mysql `source`). */
export function resolvePath(file: string, dir: string | undefined): string | undefined {
  if (path.isAbsolute(file)) return file;
  if (file.startsWith('~')) return undefined;
  return dir === undefined ? undefined : path.resolve(dir, file);
}
