// A small constant evaluator for WHERE clauses: `DELETE … WHERE true`, `1=1`, `'a'='a'`, `id = id`, `NOT false`,
// `x OR true`, `1 IN (1)` delete every row as surely as no WHERE at all. Three-valued logic; anything that is not
// a constant (a column compared with a value, a function, a subquery) is "unknown", and unknown is never "always
// true". Recursion is bounded: nesting deeper than the limit counts as always true (fail closed).
import { T } from './lexer';
import type { Stmt } from './tokens';

type Val =
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'null' }
  | { t: 'col'; name: string }
  | { t: 'unk' }
  /** Too deep to evaluate: treated as always true. */
  | { t: 'deep' };

const UNK: Val = { t: 'unk' };
const NULL: Val = { t: 'null' };
const DEEP: Val = { t: 'deep' };
const MAX_DEPTH = 200;

/** Words that end an operand: clause keywords and the binary operators written as words. */
const STOP = new Set([
  'AND', 'OR', 'XOR', 'NOT', 'IS', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'SIMILAR', 'THEN', 'ELSE',
  'END', 'WHEN', 'RETURNING', 'ORDER', 'LIMIT', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'FOR',
  'ESCAPE', 'COLLATE', 'DIV', 'MOD', 'OFFSET', 'FETCH',
]);

/** Whether the tokens `[from, to)` of `s` form a condition that holds for every row. */
export function alwaysTrue(s: Stmt, from: number, to: number, mysql: boolean): boolean {
  const ev = new Evaluator(s, from, to, mysql);
  const v = ev.expr(0, 0);
  if (v.t === 'deep' || ev.deep) return true;
  // Left-over tokens mean we did not understand the clause: not proven always true.
  if (ev.i < to) return false;
  return truth(v, mysql) === true;
}

class Evaluator {
  i: number;
  deep = false;
  constructor(private readonly s: Stmt, from: number, private readonly to: number, private readonly mysql: boolean) {
    this.i = from;
  }

  private kind(): T {
    return this.i < this.to ? (this.s.kind[this.i] as T) : T.EOF;
  }

  private word(): string {
    return this.i < this.to ? this.s.w(this.i) : '';
  }

  private op(): string {
    return this.kind() === T.OP ? this.s.raw(this.i) : '';
  }

  /** Precedence climbing: 0 OR/XOR, 1 AND, 2 NOT, 3 comparison, 4 additive, 5 multiplicative. */
  expr(level: number, depth: number): Val {
    if (depth > MAX_DEPTH) {
      this.deep = true;
      return DEEP;
    }
    if (level === 0) {
      let v = this.expr(1, depth + 1);
      for (;;) {
        const w = this.word();
        const o = this.op();
        if (w === 'OR' || (this.mysql && o === '||')) {
          this.i++;
          v = or(v, this.expr(1, depth + 1), this.mysql);
        } else if (w === 'XOR' && this.mysql) {
          this.i++;
          v = xor(v, this.expr(1, depth + 1), this.mysql);
        } else return v;
      }
    }
    if (level === 1) {
      let v = this.expr(2, depth + 1);
      while (this.word() === 'AND' || (this.mysql && this.op() === '&&')) {
        this.i++;
        v = and(v, this.expr(2, depth + 1), this.mysql);
      }
      return v;
    }
    if (level === 2) {
      if (this.word() === 'NOT' || (this.mysql && this.op() === '!')) {
        this.i++;
        return not(this.expr(2, depth + 1), this.mysql);
      }
      return this.comparison(depth + 1);
    }
    if (level === 4) {
      let v = this.expr(5, depth + 1);
      for (;;) {
        const o = this.op();
        if (o === '+' || o === '-' || (!this.mysql && o === '||')) {
          this.i++;
          v = arith(v, this.expr(5, depth + 1), o);
        } else return v;
      }
    }
    let v = this.unary(depth + 1);
    for (;;) {
      const o = this.op();
      const w = this.word();
      if (o === '*' || o === '/' || o === '%' || w === 'DIV' || w === 'MOD') {
        this.i++;
        v = arith(v, this.unary(depth + 1), o || w);
      } else return v;
    }
  }

  private comparison(depth: number): Val {
    const left = this.expr(4, depth + 1);
    const o = this.op();
    if (o === '=' || o === '<>' || o === '!=' || o === '<' || o === '>' || o === '<=' || o === '>=' || o === '<=>' ||
      o === '==') {
      this.i++;
      // `= ANY (…)`, `= ALL (…)`: not evaluated.
      if (this.word() === 'ANY' || this.word() === 'ALL' || this.word() === 'SOME') {
        this.i++;
        this.unary(depth + 1);
        return UNK;
      }
      return compare(left, this.expr(4, depth + 1), o, this.mysql);
    }
    let negate = false;
    if (this.word() === 'IS') {
      this.i++;
      if (this.word() === 'NOT') { negate = true; this.i++; }
      const w = this.word();
      this.i++;
      let v: Val;
      if (w === 'NULL' || w === 'UNKNOWN') v = isNull(left);
      else if (w === 'TRUE' || w === 'FALSE') {
        const t = truth(left, this.mysql);
        if (t !== undefined) v = { t: 'bool', v: t === (w === 'TRUE') };
        else v = left.t === 'null' ? { t: 'bool', v: false } : UNK;
      } else if (w === 'DISTINCT' && this.word() === 'FROM') {
        this.i++;
        const right = this.expr(4, depth + 1);
        v = not(compare(left, right, '<=>', this.mysql), this.mysql);
      } else v = UNK;
      return negate ? not(v, this.mysql) : v;
    }
    if (this.word() === 'NOT') {
      const next = this.s.w(this.i + 1);
      if (next === 'IN' || next === 'BETWEEN' || next === 'LIKE' || next === 'ILIKE') {
        negate = true;
        this.i++;
      }
    }
    const w = this.word();
    if (w === 'IN') {
      this.i++;
      const v = this.inList(left, depth + 1);
      return negate ? not(v, this.mysql) : v;
    }
    if (w === 'BETWEEN') {
      this.i++;
      if (this.word() === 'SYMMETRIC' || this.word() === 'ASYMMETRIC') this.i++;
      const low = this.expr(4, depth + 1);
      if (this.word() !== 'AND') return UNK;
      this.i++;
      const high = this.expr(4, depth + 1);
      const v = and(compare(left, low, '>=', this.mysql), compare(left, high, '<=', this.mysql), this.mysql);
      return negate ? not(v, this.mysql) : v;
    }
    if (w === 'LIKE' || w === 'ILIKE') {
      this.i++;
      const pattern = this.expr(4, depth + 1);
      if (this.word() === 'ESCAPE') { this.i++; this.expr(4, depth + 1); return UNK; }
      const v = like(left, pattern, w === 'ILIKE' || this.mysql);
      return negate ? not(v, this.mysql) : v;
    }
    return left;
  }

  private inList(left: Val, depth: number): Val {
    if (this.kind() !== T.LPAREN) return UNK;
    const close = this.s.skipGroup(this.i);
    this.i++;
    if (this.word() === 'SELECT' || this.word() === 'WITH' || this.word() === 'VALUES') {
      this.i = close;
      return UNK;
    }
    let result: Val = { t: 'bool', v: false };
    for (;;) {
      const item = this.expr(0, depth + 1);
      result = or(result, compare(left, item, '=', this.mysql), this.mysql);
      if (this.kind() === T.COMMA) { this.i++; continue; }
      break;
    }
    if (this.i !== close - 1) {
      this.i = close;
      return UNK;
    }
    this.i = close;
    return result;
  }

  private unary(depth: number): Val {
    if (depth > MAX_DEPTH) {
      this.deep = true;
      return DEEP;
    }
    const o = this.op();
    if (o === '-' || o === '+' || (o === '~' && this.mysql)) {
      this.i++;
      const v = this.unary(depth + 1);
      if (o === '-' && v.t === 'num') return { t: 'num', v: -v.v };
      if (o === '+' && v.t === 'num') return v;
      return v.t === 'deep' ? v : UNK;
    }
    if (this.mysql && o === '!') {
      this.i++;
      return not(this.unary(depth + 1), this.mysql);
    }
    let v = this.primary(depth + 1);
    // PostgreSQL casts `x::type` keep the value for our purposes (a type name may take arguments or `[]`).
    while (this.op() === '::') {
      this.i++;
      this.skipTypeName();
      if (v.t === 'col') v = UNK;
    }
    if (this.word() === 'COLLATE') {
      this.i++;
      this.i = this.s.name(this.i).next;
    }
    return v;
  }

  private skipTypeName(): void {
    // Multi-word types (`double precision`, `character varying`, `timestamp with time zone`) are not needed here:
    // a cast in a condition makes the rest unknown unless it is one word.
    if (this.kind() === T.WORD || this.kind() === T.QIDENT) this.i = this.s.name(this.i).next;
    if (this.kind() === T.LPAREN) this.i = this.s.skipGroup(this.i);
    while ((this.kind() === T.OTHER || this.kind() === T.OP) && /^[[\]]$/.test(this.s.raw(this.i))) this.i++;
  }

  private primary(depth: number): Val {
    const k = this.kind();
    const s = this.s;
    if (k === T.NUMBER) {
      const raw = s.raw(this.i);
      this.i++;
      const v = Number(raw);
      return Number.isFinite(v) ? { t: 'num', v } : UNK;
    }
    if (k === T.STRING) {
      const raw = s.raw(this.i);
      this.i++;
      // Adjacent literals concatenate (MySQL; PostgreSQL across a newline).
      let v = literal(raw, this.mysql);
      while (this.kind() === T.STRING) {
        const next = literal(s.raw(this.i), this.mysql);
        this.i++;
        v = v === undefined || next === undefined ? undefined : v + next;
      }
      return v === undefined ? UNK : { t: 'str', v };
    }
    if (k === T.LPAREN) {
      const close = s.skipGroup(this.i);
      const w = s.w(this.i + 1);
      if (w === 'SELECT' || w === 'WITH' || w === 'VALUES' || w === 'TABLE') {
        this.i = close;
        return UNK;
      }
      this.i++;
      const v = this.expr(0, depth + 1);
      if (this.i !== close - 1) {
        // Row constructors `(a, b)` and anything we did not read: unknown.
        this.i = close;
        return v.t === 'deep' ? v : UNK;
      }
      this.i = close;
      return v;
    }
    if (k === T.WORD) {
      const w = this.word();
      if (w === 'TRUE') { this.i++; return { t: 'bool', v: true }; }
      if (w === 'FALSE') { this.i++; return { t: 'bool', v: false }; }
      if (w === 'NULL') { this.i++; return NULL; }
      if (w === 'EXISTS') {
        this.i++;
        return this.exists();
      }
      if (w === 'CAST' && s.kind[this.i + 1] === T.LPAREN) {
        const close = s.skipGroup(this.i + 1);
        this.i += 2;
        const v = this.expr(0, depth + 1);
        this.i = close;
        return v.t === 'col' ? UNK : v;
      }
      if (STOP.has(w)) return UNK;
      // Typed literals `DATE '…'`, `INTERVAL '…'`: a constant we do not need to read.
      if (s.kind[this.i + 1] === T.STRING) {
        this.i += 2;
        return UNK;
      }
    }
    if (k === T.WORD || k === T.QIDENT) {
      const name = s.name(this.i);
      this.i = name.next;
      if (this.kind() === T.LPAREN) {
        // A function call, CASE-less: not evaluated.
        this.i = s.skipGroup(this.i);
        return UNK;
      }
      if (s.w(name.next - 1) === 'CASE') return this.skipCase();
      return { t: 'col', name: normalizeName(name.text) };
    }
    // Parameters, variables, operators we do not know: consume one token.
    if (k !== T.EOF && k !== T.RPAREN && k !== T.COMMA) this.i++;
    return UNK;
  }

  /** `EXISTS (SELECT 1)` with no FROM is always true; any other subquery is unknown. */
  private exists(): Val {
    if (this.kind() !== T.LPAREN) return UNK;
    const close = this.s.skipGroup(this.i);
    const from = this.i + 1;
    this.i = close;
    if (this.s.w(from) !== 'SELECT') return UNK;
    let depth = 0;
    for (let k = from + 1; k < close - 1; k++) {
      const kind = this.s.kind[k];
      if (kind === T.LPAREN) depth++;
      else if (kind === T.RPAREN) depth--;
      else if (depth === 0 && kind === T.WORD) {
        const w = this.s.w(k);
        if (w === 'FROM' || w === 'WHERE' || w === 'LIMIT' || w === 'HAVING' || w === 'OFFSET' || w === 'FETCH') {
          return UNK;
        }
      }
    }
    return { t: 'bool', v: true };
  }

  private skipCase(): Val {
    let depth = 1;
    while (this.i < this.to && depth > 0) {
      const w = this.word();
      if (w === 'CASE') depth++;
      else if (w === 'END') depth--;
      this.i++;
    }
    return UNK;
  }
}

function normalizeName(text: string): string {
  // Unquoted names fold case; quoted ones keep it. Good enough to recognise `id = id` and `t.id = T.ID`.
  let out = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"' || ch === '`') quoted = !quoted;
    else out += quoted ? ch : ch.toLowerCase();
  }
  return out;
}

/** The value of a string literal token as written (undefined for forms we do not decode: X'', B''). */
function literal(raw: string, mysql: boolean): string | undefined {
  if (raw.startsWith('$')) {
    const tag = raw.indexOf('$', 1);
    return raw.slice(tag + 1, raw.length - tag - 1);
  }
  let body = raw;
  let escapes = mysql;
  if (/^[eE]'/.test(body)) { body = body.slice(1); escapes = true; }
  else if (/^[nN]'/.test(body)) body = body.slice(1);
  if (!body.startsWith("'") && !body.startsWith('"')) return undefined;
  const q = body[0];
  let out = '';
  for (let i = 1; i < body.length - 1; i++) {
    const ch = body[i];
    if (ch === '\\' && escapes && i + 1 < body.length - 1) {
      const e = body[++i];
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
    } else if (ch === q && body[i + 1] === q) {
      out += q;
      i++;
    } else out += ch;
  }
  return out;
}

function truth(v: Val, mysql: boolean): boolean | undefined {
  switch (v.t) {
    case 'bool': return v.v;
    case 'num': return v.v !== 0;
    case 'str': {
      if (mysql) return numeric(v.v) !== 0;
      const x = v.v.trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(x)) return true;
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(x)) return false;
      return undefined;
    }
    case 'deep': return true;
    default: return undefined;
  }
}

/** MySQL's string-to-number conversion: the longest numeric prefix, 0 when there is none. */
function numeric(s: string): number {
  let i = 0;
  while (i < s.length && /\s/.test(s[i])) i++;
  let j = i;
  if (s[j] === '+' || s[j] === '-') j++;
  while (j < s.length && /[0-9]/.test(s[j])) j++;
  if (s[j] === '.') { j++; while (j < s.length && /[0-9]/.test(s[j])) j++; }
  const v = Number(s.slice(i, j));
  return Number.isFinite(v) ? v : 0;
}

function bool(v: boolean): Val {
  return { t: 'bool', v };
}

function or(a: Val, b: Val, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  const x = truth(a, mysql);
  const y = truth(b, mysql);
  if (x === true || y === true) return bool(true);
  if (x === false && y === false) return bool(false);
  return a.t === 'null' || b.t === 'null' ? (x === false || y === false ? NULL : UNK) : UNK;
}

function and(a: Val, b: Val, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  const x = truth(a, mysql);
  const y = truth(b, mysql);
  if (x === false || y === false) return bool(false);
  if (x === true && y === true) return bool(true);
  return UNK;
}

function xor(a: Val, b: Val, mysql: boolean): Val {
  const x = truth(a, mysql);
  const y = truth(b, mysql);
  return x === undefined || y === undefined ? UNK : bool(x !== y);
}

function not(a: Val, mysql: boolean): Val {
  if (a.t === 'deep') return a;
  if (a.t === 'null') return NULL;
  const x = truth(a, mysql);
  return x === undefined ? UNK : bool(!x);
}

function isNull(a: Val): Val {
  if (a.t === 'null') return bool(true);
  if (a.t === 'bool' || a.t === 'num' || a.t === 'str') return bool(false);
  return UNK;
}

function arith(a: Val, b: Val, op: string): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  if (a.t === 'null' || b.t === 'null') return NULL;
  if (op === '||') return a.t === 'str' && b.t === 'str' ? { t: 'str', v: a.v + b.v } : UNK;
  if (a.t !== 'num' || b.t !== 'num') return UNK;
  switch (op) {
    case '+': return { t: 'num', v: a.v + b.v };
    case '-': return { t: 'num', v: a.v - b.v };
    case '*': return { t: 'num', v: a.v * b.v };
    case '/': case 'DIV': return b.v === 0 ? NULL : { t: 'num', v: op === 'DIV' ? Math.trunc(a.v / b.v) : a.v / b.v };
    default: return b.v === 0 ? NULL : { t: 'num', v: a.v % b.v };
  }
}

function compare(a: Val, b: Val, op: string, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  if (a.t === 'col' && b.t === 'col') {
    // `id = id` holds for every row whose id is not NULL: as good as no WHERE.
    if (a.name !== b.name) return UNK;
    return bool(op === '=' || op === '==' || op === '<=' || op === '>=' || op === '<=>');
  }
  if (op === '<=>') {
    if (a.t === 'null' || b.t === 'null') return bool(a.t === b.t);
    op = '=';
  }
  if (a.t === 'null' || b.t === 'null') return NULL;
  if (a.t === 'unk' || b.t === 'unk' || a.t === 'col' || b.t === 'col') return UNK;
  let x: number | string;
  let y: number | string;
  if (a.t === 'str' && b.t === 'str') {
    x = mysql ? a.v.toLowerCase().trimEnd() : a.v;
    y = mysql ? b.v.toLowerCase().trimEnd() : b.v;
  } else {
    const nx = toNumber(a, mysql);
    const ny = toNumber(b, mysql);
    if (nx === undefined || ny === undefined) return UNK;
    x = nx;
    y = ny;
  }
  switch (op) {
    case '=': case '==': return bool(x === y);
    case '<>': case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '>': return bool(x > y);
    case '<=': return bool(x <= y);
    default: return bool(x >= y);
  }
}

function toNumber(v: Val, mysql: boolean): number | undefined {
  if (v.t === 'num') return v.v;
  if (v.t === 'bool') return v.v ? 1 : 0;
  if (v.t === 'str') {
    if (mysql) return numeric(v.v);
    const x = v.v.trim();
    if (x !== '' && Number.isFinite(Number(x))) return Number(x);
    const t = truth(v, false);
    return t === undefined ? undefined : t ? 1 : 0;
  }
  return undefined;
}

/** SQL LIKE with `%` and `_`; `col LIKE '%'` holds for every non-NULL value. */
function like(a: Val, p: Val, caseless: boolean): Val {
  if (a.t === 'deep' || p.t === 'deep') return DEEP;
  if (a.t === 'null' || p.t === 'null') return NULL;
  if (p.t !== 'str') return UNK;
  if (a.t === 'col' || a.t === 'unk') return p.v !== '' && /^%+$/.test(p.v) ? bool(true) : UNK;
  const text = a.t === 'str' ? a.v : a.t === 'num' ? String(a.v) : undefined;
  if (text === undefined || text.length > 1000 || p.v.length > 1000) return UNK;
  return bool(wildcard(caseless ? text.toLowerCase() : text, caseless ? p.v.toLowerCase() : p.v));
}

/** Greedy wildcard matching with one backtrack point per `%` (O(n·m), bounded by the length caps above). */
function wildcard(s: string, p: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (j < p.length && p[j] === '\\' && j + 1 < p.length) {
      if (s[i] === p[j + 1]) { i++; j += 2; continue; }
    } else if (j < p.length && (p[j] === '_' || (p[j] !== '%' && p[j] === s[i]))) { i++; j++; continue; }
    if (j < p.length && p[j] === '%') { star = j++; mark = i; continue; }
    if (star >= 0) { j = star + 1; i = ++mark; continue; }
    return false;
  }
  while (j < p.length && p[j] === '%') j++;
  return j === p.length;
}
