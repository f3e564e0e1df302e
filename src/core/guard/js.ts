// A small, conservative JavaScript tokenizer for the guard (mongosh scripts): strings and template literals are
// decoded (so `db.c['\x64rop']()` reads as `drop`), comments are dropped, identifiers with `\u` escapes are decoded,
// and regular-expression literals are told from division by the token before them. Anything it cannot read
// with confidence (an unterminated string, comment, template or regex) is an error: the caller then asks.

/** One JavaScript token. `str` and `tmpl` carry the decoded text; `tmpl` is one literal chunk of a template. */
export interface JsToken {
  readonly t: 'name' | 'str' | 'tmpl' | 'num' | 'regex' | 'punct';
  readonly v: string;
  /** Offset in the source, for line numbers. */
  readonly at: number;
  /** `tmpl`: the template has `${…}` substitutions (its value is not a constant). */
  readonly subst?: boolean;
  /** `tmpl`: this chunk ends the template (the next token follows the closing backquote). */
  readonly end?: boolean;
  /** `tmpl`: this chunk starts the template (right after the opening backquote). */
  readonly start?: boolean;
}

/** The tokens, or why the text cannot be read. */
export type JsTokens =
  | { readonly ok: true; readonly tokens: readonly JsToken[] }
  | { readonly ok: false; readonly error: string; readonly at: number };

const PUNCTS = ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '==', '!=', '<=',
  '>=',   '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];

/** Keywords after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw',
  'case', 'do', 'else', 'yield', 'await']);

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Decodes one escape after a backslash at `i` (pointing at the character after `\`); returns [text, next]. */
function escapeAt(s: string, i: number): [string, number] | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
  if (c in simple && !(c === '0' && /[0-9]/.test(s[i + 1] ?? ''))) return [simple[c], i + 1];
  if (c === 'x') {
    const h = s.slice(i + 1, i + 3);
    return /^[0-9a-fA-F]{2}$/.test(h) ? [String.fromCharCode(Number.parseInt(h, 16)), i + 3] : undefined;
  }
  if (c === 'u') {
    if (s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      const h = end < 0 ? '' : s.slice(i + 2, end);
      if (!/^[0-9a-fA-F]{1,6}$/.test(h) || Number.parseInt(h, 16) > 0x10ffff) return undefined;
      return [String.fromCodePoint(Number.parseInt(h, 16)), end + 1];
    }
    const h = s.slice(i + 1, i + 5);
    return /^[0-9a-fA-F]{4}$/.test(h) ? [String.fromCharCode(Number.parseInt(h, 16)), i + 5] : undefined;
  }
  if (c === '\r' && s[i + 1] === '\n') return ['', i + 2];
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return ['', i + 1];
  if (/[1-7]/.test(c)) return undefined; // legacy octal escapes: not worth reading, and rare
  return [c, i + 1];
}

/** Tokenizes `src`; linear in its length. */
export function jsTokens(src: string): JsTokens {
  const out: JsToken[] = [];
  const n = src.length;
  /** For each open `{` or `${`: whether it is a template substitution. */
  const braces: boolean[] = [];
  let i = 0;
  if (src.startsWith('#!')) {
    const nl = src.indexOf('\n');
    i = nl < 0 ? n : nl;
  }
  const fail = (error: string, at: number): JsTokens => ({ ok: false, error, at });
  const regexAllowed = (): boolean => {
    const p = out[out.length - 1];
    if (!p) return true;
    if (p.t === 'name') return REGEX_AFTER_WORD.has(p.v);
    if (p.t === 'punct') return ![')', ']', '}'].includes(p.v);
    if (p.t === 'tmpl') return !p.end;
    return false;
  };
  // Reads template characters from `i` up to the closing backquote or a `${`.
  const templateChunk = (start: boolean): JsTokens | undefined => {
    const begin = i;
    let v = '';
    while (i < n) {
      const c = src[i];
      if (c === '`') {
        out.push({ t: 'tmpl', v, at: begin, start, end: true, subst: !start || undefined });
        i++;
        return undefined;
      }
      if (c === '$' && src[i + 1] === '{') {
        out.push({ t: 'tmpl', v, at: begin, start, subst: true });
        braces.push(true);
        i += 2;
        return undefined;
      }
      if (c === '\\') {
        const e = escapeAt(src, i + 1);
        if (!e) return fail('an escape the guard does not read in a template', i);
        v += e[0];
        i = e[1];
        continue;
      }
      v += c;
      i++;
    }
    return fail('an unterminated template literal', begin);
  };
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || /\s/.test(c) || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r' && src[i] !== '\u2028' && src[i] !== '\u2029') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return fail('an unterminated comment', i);
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const begin = i;
      let v = '';
      i++;
      for (;;) {
        if (i >= n || src[i] === '\n' || src[i] === '\r') return fail('an unterminated string', begin);
        const d = src[i];
        if (d === c) break;
        if (d === '\\') {
          const e = escapeAt(src, i + 1);
          if (!e) return fail('an escape the guard does not read', i);
          v += e[0];
          i = e[1];
          continue;
        }
        v += d;
        i++;
      }
      i++;
      out.push({ t: 'str', v, at: begin });
      continue;
    }
    if (c === '`') {
      i++;
      const r = templateChunk(true);
      if (r) return r;
      continue;
    }
    if (c === '}' && braces.length && braces[braces.length - 1]) {
      braces.pop();
      i++;
      const r = templateChunk(false);
      if (r) return r;
      continue;
    }
    if (ID_START.test(c) || c === '\\' || (c >= '\ud800' && c <= '\udbff')) {
      const begin = i;
      let v = '';
      while (i < n) {
        const d = src[i];
        if (d === '\\') {
          if (src[i + 1] !== 'u') return fail('a backslash in an identifier', i);
          const e = escapeAt(src, i + 1);
          if (!e) return fail('a bad identifier escape', i);
          v += e[0];
          i = e[1];
          continue;
        }
        const cp = src.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        if (!(v === '' ? ID_START.test(ch) : ID_PART.test(ch))) break;
        v += ch;
        i += ch.length;
      }
      if (v === '') return fail('a character the guard does not read', begin);
      out.push({ t: 'name', v, at: begin });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0[xXoObB][0-9a-fA-F_]+n?|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?n?)/.exec(src.slice(i, i + 400))!;
      const len = Math.max(1, m[0].length);
      out.push({ t: 'num', v: src.slice(i, i + len), at: i });
      i += len;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      const begin = i;
      let inClass = false;
      i++;
      for (;;) {
        if (i >= n || src[i] === '\n' || src[i] === '\r') return fail('an unterminated regular expression', begin);
        const d = src[i];
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(src[i])) i++;
      out.push({ t: 'regex', v: src.slice(begin, i), at: begin });
      continue;
    }
    const p = PUNCTS.find((q) => src.startsWith(q, i)) ?? c;
    // `?.5` is a conditional followed by a number, not optional chaining.
    const punct = p === '?.' && /[0-9]/.test(src[i + 2] ?? '') ? '?' : p;
    if (punct === '{') braces.push(false);
    else if (punct === '}') braces.pop();
    out.push({ t: 'punct', v: punct, at: i });
    i += punct.length;
  }
  if (braces.some(Boolean)) return fail('an unterminated template substitution', n);
  return { ok: true, tokens: out };
}
