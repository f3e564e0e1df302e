// The judging run: splits text into statements as the server does, classifies each, keeps the heaviest finding
// with where it came from. The client layers (psql.ts, mysql.ts) hand it the text the client sends.
import * as path from 'path';
import type { SqlOptions } from './index';
import { Lexer, T, lineAt, type LexMode } from './lexer';
import { classify, shorten, worst, SEVERITY, type ClassifyContext, type Finding } from './classify';
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

/** One judging pass over a whole input, in one lexical mode. */
export class Judge {
  best: Decision = { code: 'noEffect', what: 'no SQL statement' };
  /** Some `'…'` / `"…"` literal reads differently under another session setting: judge again in that mode. */
  altSingle = false;
  altDouble = false;
  /** `\q`, `quit`: nothing after it runs. */
  stopped = false;
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
    const line = origin.base !== undefined ? lineAt(origin.source, origin.base + offset) : origin.line;
    const shown = typeof statement === 'function' ? statement() : statement;
    this.best = { ...finding, statement: shown, line, from: origin.from };
  }

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
    this.eachStatement(text, (s, unparseable) => {
      // Under another reading, a statement that does not even lex is a syntax error there: it runs nothing.
      if (this.lenient && unparseable) return;
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
    let block = 0;
    let routine: boolean | undefined;
    let pendingEnd = false;
    let semiInParens = false;
    const flush = (): void => {
      if (s.n > 0) {
        let why: string | undefined;
        if (block > 0) why = 'a BEGIN … END block that does not end';
        if (semiInParens) why = '`;` inside parentheses';
        visit(s, why);
      }
      s.reset(text);
      paren = 0;
      block = 0;
      routine = undefined;
      pendingEnd = false;
      semiInParens = false;
    };
    for (;;) {
      const k = lx.next();
      if (pendingEnd) {
        pendingEnd = false;
        const w = k === T.WORD && lx.end - lx.start <= 6 ? text.slice(lx.start, lx.end).toUpperCase() : '';
        if (w === 'IF' || w === 'LOOP' || w === 'WHILE' || w === 'REPEAT' || w === 'FOR') block++;
      }
      if (k === T.EOF) break;
      if (k === T.SEMI) {
        if ((!pg || paren === 0) && block === 0) {
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
        if ((len === 3 || len === 4 || len === 5) && (c0 === 98 || c0 === 99 || c0 === 101)) {
          const w = text.slice(lx.start, lx.end).toUpperCase();
          if (w === 'BEGIN' || w === 'CASE' || w === 'END') {
            if (routine === undefined) routine = isRoutine(s);
            if (routine) {
              if (w === 'BEGIN') block++;
              else if (w === 'CASE') {
                // psql counts CASE only inside a BEGIN; `END CASE` closes a CASE statement in MySQL.
                if (block > 0 || !pg) {
                  if (!(s.n >= 2 && s.is(s.n - 2, 'END'))) block++;
                }
              } else if (block > 0) {
                block--;
                if (!pg) pendingEnd = true;
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
