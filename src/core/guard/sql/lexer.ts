// Dialect-exact SQL scanners. Each follows its server's own scanner, because a guard that splits or quotes
// differently from the server can be fooled: PostgreSQL's scan.l (nested `/* */`, dollar quoting with tags,
// `E''` escapes, `U&''`, `--`), MySQL/MariaDB's sql_lex.cc (backticks, `#`, `-- ` needs a space, backslash
// escapes, `"` strings unless ANSI_QUOTES, executable comments `/*! … */`, `/*!50100 … */`, `/*M! … */` whose
// contents run) and Trino's lexer (`'…'`, `"…"`, Athena's backticks, non-nested comments).
// One pass, no regular expressions, no backtracking: linear in the input.

/** Token kinds. */
export const enum T {
  EOF,
  /** An unquoted identifier or keyword. */
  WORD,
  /** A quoted identifier: `"x"`, `` `x` ``, `U&"x"`. Never a keyword. */
  QIDENT,
  /** Any string literal: `'x'`, `E'x'`, `$tag$x$tag$`, `N'x'`, `X'0F'`. */
  STRING,
  NUMBER,
  /** `$1`, `?`. */
  PARAM,
  /** MySQL `@x`, `@@global.x`. */
  VARIABLE,
  OP,
  LPAREN,
  RPAREN,
  COMMA,
  SEMI,
  DOT,
  /** A backslash outside quotes: a client command (psql, mysql) or a server syntax error. */
  BACKSLASH,
  /** A character the dialect has no token for. */
  OTHER,
}

/** Which server's lexical rules, and the session settings that change them. */
export interface LexMode {
  readonly dialect: 'postgres' | 'mysql' | 'trino';
  /**
   * Backslash escapes in ordinary `'…'` strings: PostgreSQL with `standard_conforming_strings = off`, MySQL
   * unless `NO_BACKSLASH_ESCAPES`. Unknown to the guard, so a text whose reading depends on it is judged both ways.
   */
  readonly backslash: boolean;
  /** MySQL `ANSI_QUOTES`: `"…"` is an identifier, not a string. */
  readonly ansiQuotes: boolean;
}

const enum C {
  TAB = 9, LF = 10, VT = 11, FF = 12, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, HASH = 35, DOLLAR = 36,
  AMP = 38, QUOTE = 39, LPAREN = 40, RPAREN = 41, STAR = 42, PLUS = 43, COMMA = 44, MINUS = 45, DOT = 46,
  SLASH = 47, D0 = 48, D9 = 57, COLON = 58, SEMI = 59, QMARK = 63, AT = 64, UA = 65, UZ = 90, BACKSLASH = 92,
  UNDERSCORE = 95, BACKTICK = 96, LA = 97, LZ = 122,
}

function isSpace(c: number): boolean {
  return c === C.SPACE || (c >= C.TAB && c <= C.CR);
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** Identifier start: letters, `_`, and everything beyond ASCII (the servers accept any high byte). */
function isIdentStart(c: number): boolean {
  return (c >= C.LA && c <= C.LZ) || (c >= C.UA && c <= C.UZ) || c === C.UNDERSCORE || c >= 128;
}

function isIdentChar(c: number, dialect: LexMode['dialect']): boolean {
  return isIdentStart(c) || isDigit(c) || (c === C.DOLLAR && dialect !== 'trino');
}

/** PostgreSQL operator characters (scan.l `op_chars`). */
function isPgOpChar(c: number): boolean {
  switch (c) {
    case 126: case 33: case 64: case 35: case 94: case 38: case 124: case 96: case 63: case 43: case 45:
    case 42: case 47: case 37: case 60: case 62: case 61:
      return true;
    default:
      return false;
  }
}

/** A scanner over one text. `next()` returns the kind and sets `start`/`end` (the token's text). */
export class Lexer {
  /** Start and end offsets of the last token. */
  start = 0;
  end = 0;
  /** Position of the next character to scan. */
  pos = 0;
  /** A string, quoted identifier or comment ran to the end of the text unclosed. */
  unterminated = false;
  /**
   * A `'…'` (resp. `"…"`) literal ends elsewhere when backslashes do (not) escape: the text reads differently
   * under a session setting the guard cannot see (standard_conforming_strings, NO_BACKSLASH_ESCAPES, ANSI_QUOTES).
   */
  altSingle = false;
  altDouble = false;
  /** MySQL: how many executable comments (`/*!` …) are open; their contents are ordinary SQL. */
  private execComment = 0;

  constructor(readonly text: string, readonly mode: LexMode, from = 0, readonly limit = text.length) {
    this.pos = from;
  }

  /** Scans the next token, skipping whitespace and comments. */
  next(): T {
    const s = this.text;
    const n = this.limit;
    const d = this.mode.dialect;
    for (;;) {
      let p = this.pos;
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      this.pos = p;
      if (p >= n) {
        this.start = this.end = n;
        return T.EOF;
      }
      const c = s.charCodeAt(p);
      const c1 = p + 1 < n ? s.charCodeAt(p + 1) : -1;
      // Comments.
      if (c === C.MINUS && c1 === C.MINUS) {
        const c2 = p + 2 < n ? s.charCodeAt(p + 2) : -1;
        // MySQL: `--` starts a comment only when followed by whitespace, a control character (DEL included:
        // my_iscntrl) or the end.
        if (d !== 'mysql' || c2 === -1 || c2 <= C.SPACE || c2 === 127) {
          this.pos = skipLine(s, p + 2, n);
          continue;
        }
      }
      if (c === C.HASH && d === 'mysql') {
        this.pos = skipLine(s, p + 1, n);
        continue;
      }
      if (c === C.SLASH && c1 === C.STAR) {
        if (d === 'mysql') {
          const c2 = p + 2 < n ? s.charCodeAt(p + 2) : -1;
          const c3 = p + 3 < n ? s.charCodeAt(p + 3) : -1;
          if (c2 === C.BANG || (c2 === 77 && c3 === C.BANG)) {
            // Executable comment: its contents run (when the server's version is at least the number).
            let q = p + (c2 === C.BANG ? 3 : 4);
            let digits = 0;
            while (q < n && digits < 6 && isDigit(s.charCodeAt(q))) { q++; digits++; }
            this.execComment++;
            this.pos = q;
            continue;
          }
          this.pos = this.blockComment(p + 2, false);
          continue;
        }
        this.pos = this.blockComment(p + 2, d === 'postgres');
        continue;
      }
      if (c === C.STAR && c1 === C.SLASH && this.execComment > 0) {
        this.execComment--;
        this.pos = p + 2;
        continue;
      }
      this.start = p;
      return this.token(p, c, c1, n, d);
    }
  }

  private token(p: number, c: number, c1: number, n: number, d: LexMode['dialect']): T {
    switch (c) {
      case C.LPAREN: return this.one(p, T.LPAREN);
      case C.RPAREN: return this.one(p, T.RPAREN);
      case C.COMMA: return this.one(p, T.COMMA);
      case C.SEMI: return this.one(p, T.SEMI);
      case C.BACKSLASH: return this.one(p, T.BACKSLASH);
      case C.QUOTE:
        return this.quoted(p + 1, C.QUOTE, this.mode.backslash, T.STRING);
      case C.DQUOTE:
        if (d === 'mysql' && !this.mode.ansiQuotes) return this.quoted(p + 1, C.DQUOTE, this.mode.backslash, T.STRING);
        return this.quoted(p + 1, C.DQUOTE, false, T.QIDENT);
      case C.BACKTICK:
        if (d !== 'postgres') return this.quoted(p + 1, C.BACKTICK, false, T.QIDENT);
        return this.pgOperator(p, n);
      case C.DOT:
        if (isDigit(c1)) return this.number(p, n, d);
        return this.one(p, T.DOT);
      default:
        break;
    }
    if (isDigit(c)) return this.number(p, n, d);
    if (isIdentStart(c)) return this.word(p, c, c1, n, d);
    if (d === 'postgres') {
      if (c === C.DOLLAR) return this.dollar(p, c1, n);
      if (c === C.COLON) {
        // `::` cast and `:=` are operators; a lone `:` is psql's variable sigil or array-slice syntax.
        this.end = c1 === C.COLON || c1 === 61 ? p + 2 : p + 1;
        this.pos = this.end;
        return T.OP;
      }
      if (isPgOpChar(c)) return this.pgOperator(p, n);
      return this.one(p, T.OTHER);
    }
    if (c === C.QMARK) return this.one(p, T.PARAM);
    if (d === 'mysql' && c === C.AT) return this.mysqlVariable(p, n);
    if (d === 'trino' && c === C.DOLLAR) return this.one(p, T.OTHER);
    return this.fixedOperator(p, c, c1, n);
  }

  private one(p: number, kind: T): T {
    this.end = this.pos = p + 1;
    return kind;
  }

  /**
   * A quoted token closed by `q` (doubling escapes it; with `backslash`, `\x` escapes any character). `fixed`:
   * the literal's escaping does not depend on session settings (E'', X'', identifiers, Trino).
   */
  private quoted(from: number, q: number, backslash: boolean, kind: T, fixed = kind !== T.STRING): T {
    const s = this.text;
    const n = this.limit;
    const quote = q === C.QUOTE ? "'" : q === C.DQUOTE ? '"' : '`';
    if (this.mode.dialect === 'trino') fixed = true;
    let p = from;
    let sawBackslash = false;
    for (;;) {
      // indexOf runs in native code: the common case (no escapes) is one call per literal.
      const close = s.indexOf(quote, p);
      const stop = close < 0 || close >= n ? n : close;
      const bs = backslash || !fixed ? this.nextBackslash(p) : -1;
      if (bs >= 0 && bs < stop) {
        if (!fixed) sawBackslash = true;
        if (backslash) {
          p = bs + 2;
          if (p > n) {
            if (sawBackslash) this.alternative(from, q, backslash, -1);
            return this.unclosed();
          }
          continue;
        }
      }
      if (stop === n) {
        if (sawBackslash) this.alternative(from, q, backslash, -1);
        return this.unclosed();
      }
      if (close + 1 < n && s.charCodeAt(close + 1) === q) {
        p = close + 2;
        continue;
      }
      this.end = this.pos = close + 1;
      // The literal holds a backslash: does it end at the same place when backslashes mean the opposite?
      if (sawBackslash) this.alternative(from, q, backslash, close + 1);
      return kind;
    }
  }

  /** Skips a block comment body (PostgreSQL nests them); an unclosed comment runs to the end. */
  private blockComment(from: number, nested: boolean): number {
    const n = this.limit;
    let depth = 1;
    let p = from;
    while (p < n) {
      const close = this.nextOf(1, '*/', p);
      if (nested) {
        const open = this.nextOf(0, '/*', p);
        if (open >= 0 && open < n && (close < 0 || open < close)) {
          depth++;
          p = open + 2;
          continue;
        }
      }
      if (close < 0 || close + 2 > n) break;
      depth--;
      p = close + 2;
      if (depth === 0) return p;
    }
    this.unterminated = true;
    return n;
  }

  /** Next occurrence of `needle` at or after `p`, cached per slot so repeated searches stay linear. */
  private found = [-2, -2];
  private nextOf(slot: number, needle: string, p: number): number {
    const at = this.found[slot];
    if (at === -1 || at >= p) return at;
    return (this.found[slot] = this.text.indexOf(needle, p));
  }

  private alternative(from: number, q: number, backslash: boolean, end: number): void {
    // Decided once for the whole text: checking again would rescan (quadratic on many such literals).
    if (q === C.DQUOTE ? this.altDouble : this.altSingle) return;
    if (literalEnd(this.text, from, q, !backslash, this.limit) === end) return;
    if (q === C.DQUOTE) this.altDouble = true;
    else this.altSingle = true;
  }

  /** Next backslash at or after `p` (cached, so that many literals without one stay linear). */
  private bsAt = -2;
  private nextBackslash(p: number): number {
    if (this.bsAt === -1 || (this.bsAt >= p)) return this.bsAt;
    this.bsAt = this.text.indexOf('\\', p);
    return this.bsAt;
  }

  private unclosed(): T {
    this.unterminated = true;
    this.end = this.pos = this.limit;
    return T.STRING;
  }

  private number(p: number, n: number, d: LexMode['dialect']): T {
    const s = this.text;
    let q = p;
    if (d === 'mysql' && s.charCodeAt(p) === C.D0 && p + 1 < n) {
      const x = s.charCodeAt(p + 1) | 32;
      if (x === 120 || x === 98) {
        // 0x1F, 0b101: hexadecimal and bit literals (an identifier if other characters follow).
        q = p + 2;
        while (q < n && isIdentChar(s.charCodeAt(q), d)) q++;
        return this.finish(q, T.NUMBER);
      }
    }
    while (q < n && isDigit(s.charCodeAt(q))) q++;
    if (q < n && s.charCodeAt(q) === C.DOT && !(q + 1 < n && s.charCodeAt(q + 1) === C.DOT)) {
      q++;
      while (q < n && isDigit(s.charCodeAt(q))) q++;
    }
    if (q < n && (s.charCodeAt(q) | 32) === 101) {
      let r = q + 1;
      if (r < n && (s.charCodeAt(r) === C.PLUS || s.charCodeAt(r) === C.MINUS)) r++;
      if (r < n && isDigit(s.charCodeAt(r))) {
        while (r < n && isDigit(s.charCodeAt(r))) r++;
        q = r;
      }
    }
    // MySQL: `1abc` is an identifier (names may start with digits).
    if (d === 'mysql' && q < n && isIdentChar(s.charCodeAt(q), d) && s.charCodeAt(p) !== C.DOT) {
      while (q < n && isIdentChar(s.charCodeAt(q), d)) q++;
      return this.finish(q, T.WORD);
    }
    return this.finish(q, T.NUMBER);
  }

  private finish(q: number, kind: T): T {
    this.end = this.pos = q;
    return kind;
  }

  private word(p: number, c: number, c1: number, n: number, d: LexMode['dialect']): T {
    const s = this.text;
    // String prefixes: E'', B'', X'', N'' (and MySQL's N'', X'', B''); U&'' and U&"".
    if (c1 === C.QUOTE) {
      const u = c | 32;
      if (d === 'postgres' && u === 101) return this.quoted(p + 2, C.QUOTE, true, T.STRING, true);
      if (u === 98 || u === 120) return this.quoted(p + 2, C.QUOTE, false, T.STRING, true);
      if (u === 110) return this.quoted(p + 2, C.QUOTE, d === 'mysql' && this.mode.backslash, T.STRING);
    }
    if ((c | 32) === 117 && c1 === C.AMP && d !== 'mysql' && p + 2 < n) {
      const c2 = s.charCodeAt(p + 2);
      if (c2 === C.QUOTE) return this.quoted(p + 3, C.QUOTE, false, T.STRING, true);
      if (c2 === C.DQUOTE) return this.quoted(p + 3, C.DQUOTE, false, T.QIDENT);
    }
    let q = p + 1;
    while (q < n && isIdentChar(s.charCodeAt(q), d)) q++;
    return this.finish(q, T.WORD);
  }

  /** `$1` parameters and `$tag$ … $tag$` strings. */
  private dollar(p: number, c1: number, n: number): T {
    const s = this.text;
    if (isDigit(c1)) {
      let q = p + 1;
      while (q < n && isDigit(s.charCodeAt(q))) q++;
      return this.finish(q, T.PARAM);
    }
    let q = p + 1;
    if (q < n && isIdentStart(s.charCodeAt(q))) {
      q++;
      while (q < n && (isIdentStart(s.charCodeAt(q)) || isDigit(s.charCodeAt(q)))) q++;
    }
    if (q >= n || s.charCodeAt(q) !== C.DOLLAR) return this.one(p, T.OTHER);
    const tag = s.slice(p, q + 1);
    const close = s.indexOf(tag, q + 1);
    if (close < 0 || close + tag.length > n) return this.unclosed();
    return this.finish(close + tag.length, T.STRING);
  }

  /** PostgreSQL operators: a run of operator characters, cut before `--` or `/*`, as scan.l does. */
  private pgOperator(p: number, n: number): T {
    const s = this.text;
    let q = p;
    let special = false;
    while (q < n && isPgOpChar(s.charCodeAt(q))) {
      const a = s.charCodeAt(q);
      const b = q + 1 < n ? s.charCodeAt(q + 1) : -1;
      if (q > p && ((a === C.MINUS && b === C.MINUS) || (a === C.SLASH && b === C.STAR))) break;
      if (a !== C.PLUS && a !== C.MINUS && a !== 60 && a !== 62 && a !== 61 && a !== C.STAR && a !== C.SLASH &&
        a !== 37) special = true;
      q++;
    }
    // A multi-character operator ends in + or - only if it contains ~ ! @ # % ^ & | ` ?.
    while (q - p > 1 && !special) {
      const last = s.charCodeAt(q - 1);
      if (last !== C.PLUS && last !== C.MINUS) break;
      q--;
    }
    return this.finish(q, T.OP);
  }

  /** MySQL and Trino operators: the longest of a fixed set. */
  private fixedOperator(p: number, c: number, c1: number, n: number): T {
    const c2 = p + 2 < n ? this.text.charCodeAt(p + 2) : -1;
    if (c === 60 && c1 === 61 && c2 === 62) return this.finish(p + 3, T.OP); // <=>
    if (c === C.MINUS && c1 === 62) return this.finish(c2 === 62 ? p + 3 : p + 2, T.OP); // -> ->>
    const two = (c << 8) | c1;
    switch (two) {
      case (60 << 8) | 61: case (62 << 8) | 61: case (60 << 8) | 62: case (33 << 8) | 61: case (60 << 8) | 60:
      case (62 << 8) | 62: case (38 << 8) | 38: case (124 << 8) | 124: case (58 << 8) | 61:
        return this.finish(p + 2, T.OP);
      default:
        return this.finish(p + 1, T.OP);
    }
  }

  /** MySQL user and system variables: `@x`, `@'x'`, `` @`x` ``, `@@global.x`. */
  private mysqlVariable(p: number, n: number): T {
    const s = this.text;
    let q = p + 1;
    if (q < n && s.charCodeAt(q) === C.AT) q++;
    const c = q < n ? s.charCodeAt(q) : -1;
    if (c === C.QUOTE || c === C.DQUOTE || c === C.BACKTICK) {
      this.quoted(q + 1, c, c !== C.BACKTICK && this.mode.backslash, T.STRING);
      return T.VARIABLE;
    }
    while (q < n && (isIdentChar(s.charCodeAt(q), 'mysql') || s.charCodeAt(q) === C.DOT)) q++;
    return this.finish(q, T.VARIABLE);
  }
}

function skipLine(s: string, p: number, n: number): number {
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c === C.LF || c === C.CR) return p;
    p++;
  }
  return n;
}

/** Where a literal whose body starts at `from` ends (after its closing quote), or -1 when it does not. */
export function literalEnd(s: string, from: number, q: number, backslash: boolean, n = s.length): number {
  for (let p = from; p < n; p++) {
    const c = s.charCodeAt(p);
    if (c === 92 && backslash) p++;
    else if (c === q) {
      if (p + 1 < n && s.charCodeAt(p + 1) === q) p++;
      else return p + 1;
    }
  }
  return -1;
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number, from = 0, fromLine = 1): number {
  let line = fromLine;
  let p = text.indexOf('\n', from);
  while (p >= 0 && p < offset) {
    line++;
    p = text.indexOf('\n', p + 1);
  }
  return line;
}
