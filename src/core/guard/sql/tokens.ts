// One statement's tokens, in growable typed arrays reused from statement to statement (a 20 MB script must not
// allocate an object per token).
import { T } from './lexer';

/** The tokens of one statement over its source text, with keyword helpers for the classifier. */
export class Stmt {
  kind = new Uint8Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  n = 0;
  text = '';
  /** Upper-cased keywords already computed, valid while `words.length` covers the index (cleared on reset). */
  private words: string[] = [];
  /** For each `(`, the index after its group (computed once per statement, on first use: skipGroup stays O(1)). */
  private close: Int32Array | undefined;
  private closeN = -1;

  /** Empties the buffer for a statement over `text`. */
  reset(text: string): void {
    this.text = text;
    this.n = 0;
    this.closeN = -1;
    if (this.words.length > 0) this.words = [];
  }

  push(kind: T, start: number, end: number): void {
    if (this.n === this.kind.length) this.grow();
    this.kind[this.n] = kind;
    this.start[this.n] = start;
    this.end[this.n] = end;
    this.n++;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const kind = new Uint8Array(size);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    kind.set(this.kind);
    start.set(this.start);
    end.set(this.end);
    this.kind = kind;
    this.start = start;
    this.end = end;
  }

  /** The upper-cased keyword at `i`, or '' when token `i` is not an unquoted word (quoted names are never keywords). */
  w(i: number): string {
    if (i < 0 || i >= this.n || this.kind[i] !== T.WORD) return '';
    if (this.end[i] - this.start[i] > 40) return '';
    if (i < 64) {
      const cached = this.words[i];
      if (cached !== undefined) return cached;
      return (this.words[i] = this.text.slice(this.start[i], this.end[i]).toUpperCase());
    }
    return this.text.slice(this.start[i], this.end[i]).toUpperCase();
  }

  /** Whether token `i` is the keyword `k` (upper case). */
  is(i: number, k: string): boolean {
    if (i < 0 || i >= this.n || this.kind[i] !== T.WORD || this.end[i] - this.start[i] !== k.length) return false;
    return this.text.slice(this.start[i], this.end[i]).toUpperCase() === k;
  }

  /** Whether the keywords `ks` follow one another from `i`. */
  seq(i: number, ...ks: string[]): boolean {
    for (let k = 0; k < ks.length; k++) if (!this.is(i + k, ks[k])) return false;
    return true;
  }

  /** Token `i` as written. */
  raw(i: number): string {
    return i < this.n ? this.text.slice(this.start[i], this.end[i]) : '';
  }

  /** The text from token `i` to token `j` (inclusive) as written. */
  span(i: number, j: number): string {
    if (i >= this.n || j < i) return '';
    return this.text.slice(this.start[i], this.end[Math.min(j, this.n - 1)]);
  }

  /** Index just past the parenthesis group opening at `i` (or `i + 1` when `i` is not `(`). */
  skipGroup(i: number): number {
    if (i >= this.n || this.kind[i] !== T.LPAREN) return i + 1;
    if (this.closeN !== this.n) this.matchGroups();
    return this.close![i];
  }

  /** One pass with a stack: every `(` gets the index after its `)` (the end of the statement when unclosed). */
  private matchGroups(): void {
    if (!this.close || this.close.length < this.n) this.close = new Int32Array(this.kind.length);
    const close = this.close;
    const open: number[] = [];
    for (let k = 0; k < this.n; k++) {
      if (this.kind[k] === T.LPAREN) open.push(k);
      else if (this.kind[k] === T.RPAREN && open.length > 0) close[open.pop()!] = k + 1;
    }
    for (const k of open) close[k] = this.n;
    this.closeN = this.n;
  }

  /** First index >= `i` at parenthesis depth 0 (relative to `i`) whose keyword is in `ks`, or -1. */
  find(i: number, ks: ReadonlySet<string>, to = this.n): number {
    let min = 99;
    let max = 0;
    for (const k of ks) {
      min = Math.min(min, k.length);
      max = Math.max(max, k.length);
    }
    let depth = 0;
    for (let k = i; k < to; k++) {
      const kind = this.kind[k];
      if (kind === T.LPAREN) depth++;
      else if (kind === T.RPAREN) depth--;
      else if (depth === 0 && kind === T.WORD) {
        const len = this.end[k] - this.start[k];
        if (len >= min && len <= max && ks.has(this.w(k))) return k;
      }
    }
    return -1;
  }

  /**
   * The name token `i` stands for, as the server folds it: unquoted words lower-cased, `"x"` and
   * `` `x` `` unquoted, `U&"…"` decoded (with a following `UESCAPE 'c'`). Undefined when `i` is no name or
   * cannot be decoded. `next` is the index after the name (after its UESCAPE clause).
   */
  ident(i: number): { name: string; next: number } | undefined {
    if (i >= this.n) return undefined;
    const raw = this.raw(i);
    if (this.kind[i] === T.WORD) return { name: raw.toLowerCase(), next: i + 1 };
    if (this.kind[i] !== T.QIDENT) return undefined;
    const q = raw[raw.length - 1];
    if ((raw[0] === 'U' || raw[0] === 'u') && raw[1] === '&') {
      let esc = '\\';
      let next = i + 1;
      if (this.is(i + 1, 'UESCAPE') && this.kind[i + 2] === T.STRING) {
        const e = this.raw(i + 2);
        if (e.length !== 3 || e[0] !== "'") return undefined;
        esc = e[1];
        next = i + 3;
      }
      const name = decodeUnicode(raw.slice(3, -1).split('""').join('"'), esc);
      return name === undefined ? undefined : { name, next };
    }
    return { name: raw.slice(1, -1).split(q + q).join(q), next: i + 1 };
  }

  /**
   * A dotted name starting at `i` (`public.users`, `"Users"`, `` `db`.`t` ``) as written, and the index after it.
   * Returns '' when no name starts there.
   */
  name(i: number): { text: string; next: number } {
    let k = i;
    if (k >= this.n || (this.kind[k] !== T.WORD && this.kind[k] !== T.QIDENT && this.kind[k] !== T.STRING)) {
      return { text: '', next: i };
    }
    k++;
    while (k + 1 < this.n && this.kind[k] === T.DOT && (this.kind[k + 1] === T.WORD || this.kind[k + 1] === T.QIDENT ||
      (this.kind[k + 1] === T.OP && this.raw(k + 1) === '*'))) k += 2;
    // MySQL accounts: 'user'@'host' (the host lexes as a variable written right after the name).
    if (k < this.n && this.kind[k] === T.VARIABLE && this.start[k] === this.end[k - 1]) k++;
    return { text: this.span(i, k - 1), next: k };
  }
}

/** The body of a `U&"…"` or `U&'…'` literal with escape character `esc` decoded; undefined when malformed. */
export function decodeUnicode(body: string, esc: string): string | undefined {
  let out = '';
  for (let p = 0; p < body.length; p++) {
    const c = body[p];
    if (c !== esc) {
      out += c;
      continue;
    }
    if (body[p + 1] === esc) {
      out += esc;
      p++;
      continue;
    }
    const plus = body[p + 1] === '+';
    const len = plus ? 6 : 4;
    const hex = body.slice(p + (plus ? 2 : 1), p + (plus ? 2 : 1) + len);
    if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || cp === 0) return undefined;
    out += String.fromCodePoint(cp);
    p += (plus ? 1 : 0) + len;
  }
  return out;
}
