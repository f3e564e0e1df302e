// A small, conservative JavaScript tokenizer for the guard (mongosh scripts): strings and template literals are
// decoded (so `db.c['\x64rop']()` reads as `drop`), comments are dropped, identifiers with `\u` escapes are decoded.
//
// It reads the text as JavaScript does, or says it cannot: the only lexical choices that depend on the grammar
// are whether a `/` starts a regular expression or divides, and whether `<!--` / `-->` start HTML-like comments.
// The `/` is decided from the tokens before it where the grammar fixes it (after `)` of `if (…)` a regular
// expression, after `)` of a call a division, after `a++` a division, after `return` a regular expression…);
// where it does not (after `}`, after `of`/`yield`/`await`, a division at the start of a line, where automatic
// semicolon insertion may end the statement before it) both readings are tried: when the regular expression
// reading cannot even be read on its line, JavaScript either divides as the guard does or rejects the code;
// otherwise the text is refused. HTML-like comments are refused. Reading up to the first such place the same as
// JavaScript, and refusing there, the guard never reads code JavaScript would run as a string, comment or regex.
//
// `jsReplReadings` reads text piped into Node's REPL (mongosh without a script), which evaluates it line by line:
// a line that completes a statement runs at once, one with a syntax error is dropped, and only an unterminated
// template, comment or string joins the next line. Where that depends on whether the code before a multi-line
// token is valid, both outcomes are read (see there).

/** One JavaScript token. `str` and `tmpl` carry the decoded text; `tmpl` is one literal chunk of a template. */
export interface JsToken {
  readonly t: 'name' | 'str' | 'tmpl' | 'num' | 'regex' | 'punct';
  readonly v: string;
  /** Offset in the source, for line numbers. */
  readonly at: number;
  /** Offset just past the token (a `tmpl` chunk: past its text, before the backquote or `${`). */
  readonly to: number;
  /** A line terminator comes before this token (since the previous one), or it is the first one read. */
  readonly nl?: boolean;
  /** `name`: spelled with `\u` escapes (never a keyword then). */
  readonly esc?: boolean;
  /** `)`: the index of its `(` in the token list, when there is one. */
  readonly open?: number;
  /** `tmpl`: the template has `${…}` substitutions (its value is not a constant). */
  readonly subst?: boolean;
  /** `tmpl`: this chunk ends the template (the next token follows the closing backquote). */
  readonly end?: boolean;
  /** `tmpl`: this chunk starts the template (right after the opening backquote). */
  readonly start?: boolean;
  /** `tmpl`: the chunk holds an escape that is invalid in JavaScript (its value is unknown). */
  readonly bad?: boolean;
}

/** Why a text cannot be read; `tooLarge`: it holds more than the guard reads in its time and memory budget. */
export interface JsError {
  readonly ok: false;
  readonly error: string;
  readonly at: number;
  readonly tooLarge?: boolean;
}

/** The tokens, or why the text cannot be read. */
export type JsTokens = { readonly ok: true; readonly tokens: readonly JsToken[] } | JsError;

/** Every way Node's REPL may read piped text (token lists, most of them short), or why it cannot be read. */
export type JsReadings = { readonly ok: true; readonly readings: ReadonlyArray<readonly JsToken[]> } | JsError;

/** Most tokens read in one text (a 4 MB script of one-character tokens would take half a gigabyte). */
export const MAX_TOKENS = 2_000_000;

const PUNCTS = ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '==', '!=', '<=',
  '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];
/** The punctuators above by first character, longest first. */
const PUNCTS_BY_CHAR = new Map<string, string[]>();
for (const p of PUNCTS) PUNCTS_BY_CHAR.set(p[0], [...(PUNCTS_BY_CHAR.get(p[0]) ?? []), p]);

/** Reserved words after which `/` starts a regular expression (an operand follows, or a statement after ASI). */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'new', 'delete', 'void', 'throw', 'case',
  'do', 'else', 'extends', 'break', 'continue', 'debugger']);
/** Words that are keywords in some places and names in others: `/` after them is ambiguous. */
const CONTEXTUAL = new Set(['of', 'yield', 'await']);
/** Keywords whose `(…)` is followed by a statement: `/` after its `)` starts a regular expression. */
const CONTROL = new Set(['if', 'while', 'for', 'with']);

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** ASCII letters, `$` and `_` (the fast path of ID_START). */
function asciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95;
}

function asciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

type Slash = 'regex' | 'div' | 'amb';

/** A numeric literal (sticky, read where the lexer stands). */
const NUMBER = /(?:0[xXoObB][0-9a-fA-F_]+n?|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?n?)/y;

function isLineTerminator(c: string | undefined): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
}

/**
 * Decodes one escape after a backslash at `i` (pointing at the character after `\`); returns [text, next], or
 * `undefined` for an escape JavaScript rejects. `template`: legacy octal escapes are invalid there.
 */
function escapeAt(s: string, i: number, template: boolean): [string, number] | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };
  if (c in simple) return [simple[c], i + 1];
  if (c === 'x') {
    const h = s.slice(i + 1, i + 3);
    return /^[0-9a-fA-F]{2}$/.test(h) ? [String.fromCharCode(Number.parseInt(h, 16)), i + 3] : undefined;
  }
  if (c === 'u') {
    if (s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      const h = end < 0 ? '' : s.slice(i + 2, Math.min(end, i + 12));
      if (end < 0 || end > i + 11 || !/^[0-9a-fA-F]+$/.test(h) || Number.parseInt(h, 16) > 0x10ffff) return undefined;
      return [String.fromCodePoint(Number.parseInt(h, 16)), end + 1];
    }
    const h = s.slice(i + 1, i + 5);
    return /^[0-9a-fA-F]{4}$/.test(h) ? [String.fromCharCode(Number.parseInt(h, 16)), i + 5] : undefined;
  }
  if (c === '\r' && s[i + 1] === '\n') return ['', i + 2];
  if (isLineTerminator(c)) return ['', i + 1];
  if (/[0-7]/.test(c)) {
    // `\0` alone is NUL everywhere; any other octal digit is a legacy octal escape (sloppy strings only): up to
    // three digits from 0-3, two from 4-7.
    if (c === '0' && !/[0-9]/.test(s[i + 1] ?? '')) return ['\0', i + 1];
    if (template) return undefined;
    let j = i + 1;
    const max = c <= '3' ? i + 3 : i + 2;
    while (j < max && /[0-7]/.test(s[j] ?? '')) j++;
    return [String.fromCharCode(Number.parseInt(s.slice(i, j), 8)), j];
  }
  if ((c === '8' || c === '9') && template) return undefined;
  return [c, i + 1];
}

/** Where a regular expression that starts at `i` (a `/`) would end on its line, or -1 when it cannot end there. */
function regexEnd(src: string, i: number): number {
  let inClass = false;
  let j = i + 1;
  for (;;) {
    const d = src[j];
    if (d === undefined || isLineTerminator(d)) return -1;
    if (d === '\\') {
      if (j + 1 >= src.length || isLineTerminator(src[j + 1])) return -1;
      j += 2;
      continue;
    }
    if (d === '[') inClass = true;
    else if (d === ']') inClass = false;
    else if (d === '/' && !inClass) break;
    j++;
  }
  j++;
  while (j < src.length && ID_PART.test(src[j])) j++;
  return j;
}

/** What the lexer reports at a REPL line boundary it crosses (only in REPL mode). */
interface BoundaryHooks {
  /** Start offsets of the REPL's lines (after `\r\n`, `\n` or `\r`), ascending; index 0 is offset 0. */
  readonly lineStarts: readonly number[];
  /**
   * A boundary crossed between tokens. `clean`: outside template substitutions too, so what follows is read the
   * same whatever came before except for `sig` (the tokens a later decision may look at). Returns false to stop.
   */
  between(line: number, clean: boolean, sig: string): boolean;
  /** A boundary inside a template, comment or string that started after other code on its line. */
  inside(line: number): void;
  /** Counts characters read, across readings; false when the budget is spent. */
  spend(chars: number): boolean;
}

interface LexResult {
  readonly tokens: JsToken[];
  readonly error?: string;
  readonly at?: number;
  readonly tooLarge?: boolean;
}

/**
 * Reads `src` from `start`. Without `repl`, the first error ends the reading. With it, an error JavaScript also
 * reports on a line drops that line (the REPL drops the input and reads the next line afresh); an error only the
 * guard has (an ambiguous `/`, an HTML-like comment) ends the reading with that error.
 */
function lex(src: string, start: number, repl?: BoundaryHooks): LexResult {
  const out: JsToken[] = [];
  const n = src.length;
  /** For each open `{` or `${`: whether it is a template substitution. */
  let braces: boolean[] = [];
  /** For each open `{` that is not a substitution: whether it opens a class body. */
  let classBodies: boolean[] = [];
  /** Paren and bracket depth at the last `class` keyword, until its body opens (-1: none pending). */
  let classAt = -1;
  let brackets = 0;
  /** Indices in `out` of the open `(`. */
  let parens: number[] = [];
  /** The first token of this reading or after the last restart: nothing before it matters. */
  let base = 0;
  /** REPL mode: the first token after the last line boundary crossed between tokens (a chunk may start there). */
  let lineFloor = 0;
  let nextLine = 1;
  if (repl) {
    // The first boundary after `start` (binary search: a reading may start on any of many lines).
    let hi = repl.lineStarts.length;
    while (nextLine < hi) {
      const mid = (nextLine + hi) >> 1;
      if (repl.lineStarts[mid] <= start) nextLine = mid + 1;
      else hi = mid;
    }
  }
  let i = start;
  if (src.startsWith('#!', i)) {
    while (i < n && !isLineTerminator(src[i])) i++;
  }
  let sawNl = true;
  let stopped = false;

  const afterTok = (k: number, floor: number, depth: number): Slash => {
    if (k < floor) return 'regex';
    const p = out[k];
    if (p.t === 'name') {
      const q = k - 1 >= floor ? out[k - 1] : undefined;
      if (q?.t === 'punct' && (q.v === '.' || q.v === '?.' || q.v === '#')) return 'div';
      if (p.esc) return CONTEXTUAL.has(p.v) ? 'amb' : 'div';
      if (CONTEXTUAL.has(p.v)) return 'amb';
      return REGEX_AFTER_WORD.has(p.v) ? 'regex' : 'div';
    }
    if (p.t === 'punct') {
      if (p.v === ')') {
        const ctl = ctlOf(p, floor);
        return ctl === true ? 'regex' : ctl === false ? 'div' : 'amb';
      }
      if (p.v === ']') return 'div';
      if (p.v === '}') return 'amb';
      if (p.v === '++' || p.v === '--') {
        // Postfix (a division follows) when an expression ends before it on the same line; prefix otherwise.
        if (p.nl || k === floor) return 'regex';
        return depth > 3 ? 'amb' : afterTok(k - 1, floor, depth + 1);
      }
      return 'regex';
    }
    if (p.t === 'tmpl') return p.end ? 'div' : 'regex';
    return 'div';
  };
  // Whether the `)` closes the condition of if/while/for/with (a statement follows); undefined when unknown.
  const ctlOf = (close: JsToken, floor: number): boolean | undefined => {
    const o = close.open;
    if (o === undefined || o < floor) return undefined;
    const kw = o - 1 >= floor ? out[o - 1] : undefined;
    if (kw?.t !== 'name' || kw.esc) return false;
    const before = o - 2 >= floor ? out[o - 2] : undefined;
    if (before?.t === 'punct' && (before.v === '.' || before.v === '?.' || before.v === '#')) return false;
    if (CONTROL.has(kw.v)) return true;
    return kw.v === 'await' && before?.t === 'name' && before.v === 'for' && !before.esc;
  };
  const sigOf = (): string => {
    const inClass = classBodies.length > 0 && classBodies[classBodies.length - 1] && !braces[braces.length - 1];
    const parts: string[] = [`${Math.min(6, out.length - base)}${inClass ? 'c' : ''}${classAt >= 0 ? 'k' : ''}`];
    for (let k = Math.max(base, out.length - 6); k < out.length; k++) {
      const t = out[k];
      const ctl = t.t === 'punct' && t.v === ')' ? String(ctlOf(t, base)) : '';
      parts.push(`${t.at}:${t.t}:${t.to}:${t.nl ? 1 : 0}${t.esc ? 1 : 0}${ctl}`);
    }
    return parts.join('|');
  };
  const lineOfOffset = (at: number): number => {
    const ls = repl!.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Boundaries crossed between tokens, up to offset `upTo`.
  const crossBetween = (upTo: number): void => {
    if (!repl) return;
    while (!stopped && nextLine < repl.lineStarts.length && repl.lineStarts[nextLine] <= upTo) {
      lineFloor = out.length;
      const clean = !braces.includes(true);
      if (!repl.between(nextLine, clean, clean ? sigOf() : '')) stopped = true;
      nextLine++;
    }
  };
  // Boundaries inside a construct [from, to): a fork when code precedes it on its line.
  const crossInside = (from: number, to: number, unsafe: boolean): void => {
    if (!repl) return;
    while (nextLine < repl.lineStarts.length && repl.lineStarts[nextLine] < to) {
      if (repl.lineStarts[nextLine] > from && unsafe) repl.inside(nextLine);
      nextLine++;
    }
  };
  let total = 0;
  const push = (tok: JsToken): void => {
    out.push(tok);
    sawNl = false;
    total++;
  };
  const startsLine = (): true | undefined => (sawNl || out.length === base ? true : undefined);
  const fatal = (error: string, at: number): LexResult => ({ tokens: out, error, at });
  /**
   * REPL mode: whether a template, comment or string that crosses a line boundary may be followed by a line the
   * REPL reads afresh (the input before it was dropped). Not when it starts the reading (the REPL holds nothing
   * before it). Otherwise the REPL joins the next line only if mongosh's parser (acorn, via is-recoverable-error)
   * reports the unterminated token itself: a comment or string starting a line is read as the next token, except
   * after `.`/`?.` and in a class body, where a plugin looks ahead with a second parser whose error is not
   * "recoverable"; a template is read only where the grammar allows one, which the guard does not track.
   */
  const forks = (template: boolean): boolean => {
    if (out.length === base) return false;
    if (out.length > lineFloor || template) return true;
    const prev = out[out.length - 1];
    if (prev.t === 'punct' && (prev.v === '.' || prev.v === '?.')) return true;
    return classBodies.length > 0 && classBodies[classBodies.length - 1] && !braces[braces.length - 1];
  };
  /**
   * A syntax error JavaScript reports too, in a token that starts at `tokStart`: the reading ends (script), or
   * the REPL drops the input and reads the next line afresh. Returns a result when the reading ends.
   */
  const reject = (error: string, tokStart: number, at: number): LexResult | undefined => {
    if (!repl) return fatal(error, at);
    const unsafe = forks(false);
    const line = lineOfOffset(at);
    crossInside(tokStart, repl.lineStarts[line] + 1, unsafe);
    if (line + 1 >= repl.lineStarts.length) {
      i = n;
      return { tokens: out };
    }
    // The REPL starts afresh on the next line: a `;` keeps the tokens on either side apart.
    out.push({ t: 'punct', v: ';', at, to: at });
    braces = [];
    classBodies = [];
    classAt = -1;
    brackets = 0;
    parens = [];
    base = out.length;
    i = repl.lineStarts[line + 1];
    sawNl = true;
    crossBetween(i);
    return undefined;
  };

  // Reads template characters from `i` up to the closing backquote or a `${`.
  const templateChunk = (startsTemplate: boolean, tokStart: number): LexResult | undefined => {
    const begin = i;
    // A chunk after `}` is never safe: read afresh, the line would start with a `}` JavaScript rejects.
    const unsafe = !startsTemplate || forks(true);
    let v = '';
    let bad = false;
    let run = i;
    while (i < n) {
      const c = src[i];
      if (c === '`' || (c === '$' && src[i + 1] === '{')) {
        v += src.slice(run, i);
        crossInside(begin, i, unsafe);
        const closes = c === '`';
        push({ t: 'tmpl', v, at: begin, to: i, nl: startsLine(), start: startsTemplate || undefined,
          end: closes || undefined, subst: (closes ? !startsTemplate : true) || undefined, bad: bad || undefined });
        if (closes) i++;
        else {
          braces.push(true);
          i += 2;
        }
        return undefined;
      }
      if (c === '\\') {
        v += src.slice(run, i);
        const e = escapeAt(src, i + 1, true);
        if (!e) {
          // Invalid in an untagged template, allowed (value undefined) in a tagged one: the chunk goes on.
          bad = true;
          i += 2;
        } else {
          v += e[0];
          i = e[1];
        }
        run = i;
        continue;
      }
      i++;
    }
    crossInside(begin, n, unsafe);
    return reject('an unterminated template literal', tokStart, n);
  };

  let spent = i;
  while (i < n && !stopped) {
    if (repl && !repl.spend(i - spent + 1)) {
      return { ...fatal('too much piped input to read every way the REPL may read it', i), tooLarge: true };
    }
    if (total > MAX_TOKENS) return { ...fatal(`more than ${MAX_TOKENS} tokens`, i), tooLarge: true };
    spent = i;
    const c = src[i];
    const code = src.charCodeAt(i);
    if (code === 32 || code === 9) {
      i++;
      continue;
    }
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      sawNl = true;
      i++;
      if (c === '\r' && src[i] === '\n') i++;
      crossBetween(i);
      continue;
    }
    if (code > 127 ? /\s/.test(c) || c === '\ufeff' : code === 11 || code === 12) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && !isLineTerminator(src[i])) i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i + 2; j < stop - 2 && !sawNl; j++) if (isLineTerminator(src[j])) sawNl = true;
      if (end < 0) {
        crossInside(i, n, forks(false));
        const r = reject('an unterminated comment', i, n);
        if (r) return r;
        continue;
      }
      crossInside(i, stop, forks(false));
      i = stop;
      continue;
    }
    if (c === '<' && src.startsWith('<!--', i)) {
      return fatal('an HTML-like comment (<!--), which JavaScript reads as a line comment', i);
    }
    if (c === '-' && src.startsWith('-->', i) && (sawNl || out.length === base)) {
      return fatal('an HTML-like comment (--> at the start of a line), which JavaScript reads as a line comment', i);
    }
    if (c === '"' || c === "'") {
      const begin = i;
      const unsafe = forks(false);
      let v = '';
      i++;
      let run = i;
      let failed = false;
      for (;;) {
        if (i >= n || src[i] === '\n' || src[i] === '\r') {
          failed = true;
          break;
        }
        const d = src[i];
        if (d === c) {
          v += src.slice(run, i);
          break;
        }
        if (d === '\\') {
          v += src.slice(run, i);
          const e = escapeAt(src, i + 1, false);
          if (!e) {
            failed = true;
            break;
          }
          v += e[0];
          i = run = e[1];
          continue;
        }
        i++;
      }
      if (failed) {
        const r = reject('an unterminated string or a bad escape', begin, Math.min(i, n));
        if (r) return r;
        continue;
      }
      i++;
      crossInside(begin, i, unsafe);
      push({ t: 'str', v, at: begin, to: i, nl: startsLine() });
      continue;
    }
    if (c === '`') {
      const tokStart = i;
      i++;
      const r = templateChunk(true, tokStart);
      if (r) return r;
      continue;
    }
    if (c === '}' && braces.length && braces[braces.length - 1]) {
      const tokStart = i;
      braces.pop();
      i++;
      const r = templateChunk(false, tokStart);
      if (r) return r;
      continue;
    }
    if (asciiIdStart(code) || (code > 127 && (ID_START.test(c) || (c >= '\ud800' && c <= '\udbff'))) || c === '\\') {
      const begin = i;
      let v = '';
      let esc = false;
      let bad = false;
      let run = i;
      while (i < n) {
        const cc = src.charCodeAt(i);
        // The first character was checked above: ASCII letters, digits, `$` and `_` go on a name.
        if (asciiIdStart(cc) || (asciiDigit(cc) && i > begin)) {
          i++;
          continue;
        }
        if (cc === 92) {
          v += src.slice(run, i);
          const e = src[i + 1] === 'u' ? escapeAt(src, i + 1, false) : undefined;
          if (!e || !(i === begin ? ID_START.test(e[0]) : ID_PART.test(e[0]))) {
            bad = true;
            break;
          }
          v += e[0];
          esc = true;
          i = run = e[1];
          continue;
        }
        if (cc < 128) break;
        const ch = String.fromCodePoint(src.codePointAt(i)!);
        if (!(i === begin ? ID_START.test(ch) : ID_PART.test(ch))) break;
        i += ch.length;
      }
      if (!bad) v += src.slice(run, i);
      if (bad || v === '') {
        const r = reject('a character or escape JavaScript does not allow in a name', begin, i);
        if (r) return r;
        continue;
      }
      const prev = out[out.length - 1];
      if (v === 'class' && !esc && !(prev?.t === 'punct' && (prev.v === '.' || prev.v === '?.'))) {
        classAt = parens.length + brackets;
      }
      push({ t: 'name', v, at: begin, to: i, nl: startsLine(), esc: esc || undefined });
      continue;
    }
    if (asciiDigit(code) || (c === '.' && asciiDigit(src.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      const len = Math.max(1, m ? m[0].length : 0);
      push({ t: 'num', v: src.slice(i, i + len), at: i, to: i + len, nl: startsLine() });
      i += len;
      continue;
    }
    if (c === '/') {
      let d = afterTok(out.length - 1, base, 0);
      // A chunk of REPL input may start on this line: the tokens before the line must not change the reading.
      if (repl && afterTok(out.length - 1, Math.max(base, lineFloor), 0) !== d) d = 'amb';
      // Automatic semicolon insertion may end the statement at the line break before a `/`.
      if (d === 'div' && sawNl) d = 'amb';
      const end = regexEnd(src, i);
      if (d === 'amb') {
        if (end >= 0) {
          return fatal('a `/` that JavaScript may read as a regular expression or as a division here', i);
        }
        d = 'div'; // the regular-expression reading cannot end on this line: JavaScript divides or rejects it
      }
      if (d === 'regex') {
        if (end < 0) {
          const r = reject('an unterminated regular expression', i, i);
          if (r) return r;
          continue;
        }
        push({ t: 'regex', v: src.slice(i, end), at: i, to: end, nl: startsLine() });
        i = end;
        continue;
      }
    }
    const p = PUNCTS_BY_CHAR.get(c)?.find((q) => src.startsWith(q, i)) ?? c;
    // `?.5` is a conditional followed by a number, not optional chaining.
    const punct = p === '?.' && /[0-9]/.test(src[i + 2] ?? '') ? '?' : p;
    const k = out.length;
    if (punct === '{') {
      braces.push(false);
      classBodies.push(classAt === parens.length + brackets);
      if (classAt === parens.length + brackets) classAt = -1;
    } else if (punct === '}') {
      braces.pop();
      classBodies.pop();
    } else if (punct === '[') brackets++;
    else if (punct === ']') brackets = Math.max(0, brackets - 1);
    else if (punct === ';') classAt = -1;
    if (punct === '(') parens.push(k);
    const open = punct === ')' ? parens.pop() : undefined;
    push({ t: 'punct', v: punct, at: i, to: i + punct.length, nl: startsLine(), open });
    i += punct.length;
  }
  if (!stopped && braces.some(Boolean)) {
    if (!repl) return fatal('an unterminated template substitution', n);
  }
  return { tokens: out };
}

/** Tokenizes `src` as one script (an --eval, a file); linear in its length. */
export function jsTokens(src: string): JsTokens {
  const r = lex(src, 0);
  return r.error !== undefined ? failure(r) : { ok: true, tokens: r.tokens };
}

function failure(r: LexResult): JsError {
  return { ok: false, error: r.error ?? '', at: r.at ?? 0, ...(r.tooLarge ? { tooLarge: true } : {}) };
}

/** Start offsets of the lines Node's REPL reads (readline splits at `\r\n`, `\n` and `\r`). */
export function replLineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** A Node REPL command line in piped input. */
export interface ReplCommand {
  readonly keyword: string;
  readonly at: number;
  readonly line: number;
}

/** Node REPL commands: a line whose trimmed text is `.name …` with a known name (never evaluated as code). */
const REPL_KEYWORDS = new Set(['break', 'clear', 'editor', 'exit', 'help', 'load', 'save']);

/** The REPL commands in piped text (`.load file`, `.editor`, `.break`…) with their offsets and 0-based lines. */
export function replCommands(src: string, lineStarts = replLineStarts(src)): ReplCommand[] {
  const out: ReplCommand[] = [];
  for (let l = 0; l < lineStarts.length; l++) {
    const from = lineStarts[l];
    const to = l + 1 < lineStarts.length ? lineStarts[l + 1] : src.length;
    let s = from;
    while (s < to && /\s/.test(src[s])) s++;
    if (src[s] !== '.' || src[s + 1] === '.') continue;
    const text = src.slice(s, Math.min(to, s + 64)).trim();
    if (!Number.isNaN(Number.parseFloat(text))) continue;
    const m = /^\.(\S+)/.exec(text);
    if (m && REPL_KEYWORDS.has(m[1])) out.push({ keyword: m[1], at: s, line: l });
  }
  return out;
}

/**
 * Every reading of text piped into Node's REPL (mongosh) that may run code. The REPL evaluates each line as soon
 * as the input so far is complete, drops it on a syntax error, and joins the next line only while the input ends
 * inside a template, comment or string (or is otherwise unfinished). So:
 * - a line's tokens must not depend on whether the input before it was joined or dropped (checked at every `/`);
 * - an error JavaScript reports drops the line, and the next line is read afresh;
 * - a multi-line template, comment or string is joined only if mongosh's parser reports it as unterminated
 *   (is-recoverable-error), which depends on the code before it: the lines after it are also read afresh (a
 *   second, usually short, reading that stops where it meets a reading already made in the same state), except
 *   where the guard knows it is joined: a comment or string starting a line, not after `.`/`?.` nor in a class
 *   body (see `forks` in `lex`), or any of them starting the input.
 * - REPL commands (`.break` empties the input) start a fresh reading on the next line.
 * Control characters that mongosh forwards out of order (Ctrl-C, Ctrl-D) are refused. Bounded: the readings
 * together read at most a few times the text.
 */
export function jsReplReadings(src: string): JsReadings {
  const ctl = /[\u0003\u0004]/.exec(src);
  if (ctl) return { ok: false, error: 'a Ctrl-C or Ctrl-D character (mongosh reorders them)', at: ctl.index };
  const lineStarts = replLineStarts(src);
  const sigs = new Map<number, Set<string>>();
  const queue: number[] = replCommands(src, lineStarts).map((c) => c.line + 1).filter((l) => l < lineStarts.length);
  let budget = src.length * 2 + 65536;
  const readings: JsToken[][] = [];
  const run = (line: number, first: boolean): LexResult => lex(src, lineStarts[line], {
    lineStarts,
    between(b, clean, sig) {
      if (!clean) return true;
      let set = sigs.get(b);
      if (!set) sigs.set(b, (set = new Set()));
      if (!first && set.has(sig)) return false;
      set.add(sig);
      return true;
    },
    inside(b) {
      queue.push(b);
    },
    spend(chars) {
      budget -= chars;
      return budget >= 0;
    },
  });
  const main = run(0, true);
  if (main.error !== undefined) return failure(main);
  readings.push(main.tokens);
  const started = new Set<number>();
  for (let q = 0; q < queue.length; q++) {
    const line = queue[q];
    if (started.has(line)) continue;
    started.add(line);
    const fresh = sigs.get(line);
    if (fresh?.has('0')) continue; // a reading already starts afresh here
    if (fresh) fresh.add('0');
    else sigs.set(line, new Set(['0']));
    const r = run(line, false);
    if (r.error !== undefined) return failure(r);
    readings.push(r.tokens);
  }
  return { ok: true, readings };
}
