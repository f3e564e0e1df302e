// How strongly a WHERE (or a join's ON) condition limits the rows of the statement's target table:
// - `always`: it holds for every row, as surely as no WHERE at all (`true`, `1=1`, `'a'='a'`, `id = id`,
//   `id = users.id`, `NOT false`, `x OR true`, `1 IN (1)`, `7/2 = 3`, MySQL `~0`). A small constant evaluator with
//   three-valued logic decides it: exact decimal arithmetic, integer division where the server divides integers,
//   unknown wherever the value is not sure (non-integer division, floating point, functions, columns).
// - `real`: some top-level AND term compares a column of the target table with something that does not depend on
//   the target row: a literal, a parameter, a function of those (`now() - interval '30 days'`), a subquery, an
//   IN list, BETWEEN, LIKE with a pattern, IS NULL, a column of another table (a join: `o.user_id = u.id`), a
//   correlated EXISTS; or a boolean column on its own. An OR counts when each side does.
// - `weak`: neither: no term ties the target's rows to a value (`1/2 = 0` when read as numeric, `'x' ~ 'x'`,
//   `id = id + 0`, `id IS NOT NULL`, `EXISTS (SELECT 1 FROM t)`, `id IN (SELECT id FROM <target>)`), or the
//   condition is not understood. The statement then asks (`mutating`): it may touch every row.
// A term is only `real` when the guard is sure of both sides: a word it cannot tell from a keyword, a function
// argument it cannot read, an unqualified name when other tables are in scope make a side uncertain. Recursion is
// bounded: nesting deeper than the limit counts as `always` (fail closed).
import { T } from './lexer';
import type { Stmt } from './tokens';

/** How strongly a condition limits the target table's rows (`never`: it holds for no row). */
export type WhereStrength = 'always' | 'never' | 'real' | 'weak';

/** What the condition is evaluated against. */
export interface WhereScope {
  readonly mysql: boolean;
  /** Names that qualify the target table's columns (its name and alias), folded as `Stmt.ident` folds them. */
  readonly targets: ReadonlySet<string>;
  /** Other tables are in scope (UPDATE … FROM, DELETE … USING, joins): an unqualified column may be theirs. */
  readonly multi: boolean;
  /** Names of the target table joined with itself (`USING users u2`): their columns are the target's rows too. */
  readonly selves?: ReadonlySet<string>;
}

/** An exact decimal: `n / 10^scale`. */
interface Dec {
  readonly n: bigint;
  readonly scale: number;
}

type Val =
  | { t: 'bool'; v: boolean }
  | { t: 'num'; d: Dec }
  /** A numeric literal as written, parsed only when a value is needed (`id = 5` never needs it): see `N`. */
  | { t: 'lit'; raw: string; mysql: boolean }
  | { t: 'str'; v: string }
  | { t: 'null' }
  /** A column plus a constant (`id + 1`): compared with the same column, the offsets decide. */
  | { t: 'col'; name: string; off?: Dec }
  | { t: 'unk' }
  /** Too deep to evaluate: treated as always true. */
  | { t: 'deep' };

/** A value, what it depends on (DEP_*), and whether, used as a condition, it really filters the target's rows. */
interface X {
  readonly v: Val;
  readonly dep: number;
  readonly real: boolean;
}

/** Depends on a column of the target table (surely). */
const DEP_TARGET = 1;
/** Depends on a column of another table. */
const DEP_OTHER = 2;
/** May depend on anything (a part the guard could not read, a name it cannot place). */
const DEP_UNSURE = 4;

const UNK: Val = { t: 'unk' };
const NULL: Val = { t: 'null' };
const DEEP: Val = { t: 'deep' };
const MAX_DEPTH = 200;
const MAX_DIGITS = 60;

/** Words that end an operand: clause keywords and the binary operators written as words. */
const STOP = new Set([
  'AND', 'OR', 'XOR', 'NOT', 'IS', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'SIMILAR', 'THEN', 'ELSE',
  'END', 'WHEN', 'RETURNING', 'ORDER', 'LIMIT', 'GROUP', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'FOR',
  'ESCAPE', 'COLLATE', 'DIV', 'MOD', 'OFFSET', 'FETCH', 'FROM', 'AS', 'USING', 'PLACING', 'SEPARATOR', 'ON', 'JOIN',
  'SET', 'WHERE', 'AT', 'ISNULL', 'NOTNULL', 'ASC', 'DESC', 'NULLS',
]);
/** Words that are values, not columns, without parentheses. */
const KEYWORD_VALUES = new Set([
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP', 'CURRENT_USER', 'SESSION_USER',
  'CURRENT_ROLE', 'CURRENT_SCHEMA', 'CURRENT_CATALOG', 'UTC_DATE', 'UTC_TIME', 'UTC_TIMESTAMP', 'DEFAULT',
]);
/** Interval and date-part units: in a function's arguments (`TIMESTAMPDIFF(DAY, a, b)`) they are no columns. */
const UNITS = new Set([
  'MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'SECOND_MICROSECOND',
  'MINUTE_MICROSECOND', 'MINUTE_SECOND', 'HOUR_MICROSECOND', 'HOUR_SECOND', 'HOUR_MINUTE', 'DAY_MICROSECOND',
  'DAY_SECOND', 'DAY_MINUTE', 'DAY_HOUR', 'YEAR_MONTH', 'TO', 'DATE', 'TIME', 'DATETIME', 'TIMESTAMP',
]);
/** Functions whose arguments are joined by keywords (`EXTRACT(YEAR FROM x)`, `POSITION('a' IN x)`). */
const KEYWORD_ARGS = new Set(['extract', 'position', 'substring', 'trim', 'overlay', 'convert', 'cast']);
const ARG_JOINERS = new Set(['FROM', 'FOR', 'IN', 'PLACING', 'USING', 'AS', 'SEPARATOR']);
/** Functions whose arguments are plain values (no keywords): a name among them is surely a column. */
const ORDINARY_FUNCTIONS = new Set([
  'lower', 'upper', 'coalesce', 'ifnull', 'nullif', 'nvl', 'length', 'char_length', 'character_length',
  'octet_length', 'abs', 'round', 'floor', 'ceil', 'ceiling', 'date', 'date_trunc', 'date_format', 'to_char',
  'to_date', 'to_timestamp', 'concat', 'concat_ws', 'substr', 'left', 'right', 'year', 'month', 'day', 'hour',
  'datediff', 'timestampdiff', 'timestampadd', 'date_add', 'date_sub', 'adddate', 'subdate', 'unix_timestamp',
  'from_unixtime', 'json_extract', 'json_unquote', 'json_value', 'jsonb_extract_path_text', 'json_extract_path_text',
  'array_length', 'cardinality', 'md5', 'btrim', 'ltrim', 'rtrim', 'replace', 'greatest', 'least', 'age', 'cast',
  'date_part', 'trunc', 'sign', 'mod', 'hex', 'unhex', 'inet_aton', 'inet_ntoa', 'lpad', 'rpad', 'reverse',
  // Keyword arguments, all of them values (EXTRACT's field is skipped): `position('a' IN x)`, `trim(BOTH FROM x)`.
  'extract', 'position', 'substring', 'trim', 'overlay',
]);
const ARG_MODIFIERS = new Set(['DISTINCT', 'ALL', 'LEADING', 'TRAILING', 'BOTH']);
/** Printable ASCII: no accents, no ignorable characters under MySQL's collations. */
const PRINTABLE = /^[\x20-\x7e]*$/;
/** Words of a subquery that name no column. */
const SUBQUERY_WORDS = new Set(['SELECT', 'DISTINCT', 'CASE', 'NULL', 'TRUE', 'FALSE', 'INTERVAL', 'UNKNOWN', 'ARRAY',
  'ROW', 'VALUES']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '<=>', '==']);

/** How strongly the tokens `[from, to)` of `s` limit the target table's rows (see the file comment). */
export function whereStrength(s: Stmt, from: number, to: number, scope: WhereScope): WhereStrength {
  if (from >= to) return 'weak';
  const ev = new Evaluator(s, from, to, scope);
  const x = ev.expr(0, 0);
  if (x.v.t === 'deep' || ev.deep) return 'always';
  if (ev.i >= to && !ev.failed) return strength(x, scope.mysql);
  // Not understood as a whole: a top-level AND term that is understood and never true, or real, still decides.
  let real = false;
  for (const [a, b] of andTerms(s, from, to)) {
    const term = new Evaluator(s, a, b, scope);
    const t = term.expr(0, 0);
    if (term.deep) return 'always';
    if (term.i < b || term.failed) continue;
    const one = strength(t, scope.mysql);
    if (one === 'never') return 'never';
    if (one === 'real') real = true;
  }
  return real ? 'real' : 'weak';
}

function strength(e: X, mysql: boolean): WhereStrength {
  if (e.v.t === 'null') return 'never';
  // MySQL takes any column as a condition (`WHERE id`: every row with a non-zero id); PostgreSQL only a boolean.
  if (mysql && e.v.t === 'col') return 'weak';
  const t = truth(e.v, mysql);
  if (t === true) return 'always';
  if (t === false) return 'never';
  return e.real ? 'real' : 'weak';
}

/** The spans of the depth-0 AND terms of `[from, to)` (the AND of a BETWEEN … AND … is not a separator). */
function andTerms(s: Stmt, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let between = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    const kind = s.kind[k];
    if (kind === T.LPAREN) depth++;
    else if (kind === T.RPAREN) depth--;
    else if (depth === 0 && kind === T.WORD) {
      const w = s.w(k);
      if (w === 'BETWEEN') between++;
      else if (w === 'AND') {
        if (between > 0) between--;
        else {
          if (k > start) out.push([start, k]);
          start = k + 1;
        }
      }
    }
  }
  if (to > start) out.push([start, to]);
  return out;
}

function x(v: Val, dep = 0, real = false): X {
  return { v, dep, real };
}

/** Whether one side surely depends on the target's row and the other surely does not. */
function ties(a: X, b: X): boolean {
  const free = (e: X): boolean => (e.dep & (DEP_TARGET | DEP_UNSURE)) === 0;
  return ((a.dep & DEP_TARGET) !== 0 && free(b)) || ((b.dep & DEP_TARGET) !== 0 && free(a));
}

class Evaluator {
  i: number;
  deep = false;
  /** Some part was not understood: the condition as a whole is not read. */
  failed = false;
  /** For each function call being read: whether it is an ordinary function (its arguments are plain values). */
  private readonly calls: boolean[] = [];
  private readonly mysql: boolean;
  constructor(private readonly s: Stmt, from: number, private readonly to: number,
    private readonly scope: WhereScope) {
    this.i = from;
    this.mysql = scope.mysql;
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

  private tooDeep(depth: number): boolean {
    if (depth <= MAX_DEPTH) return false;
    this.deep = true;
    return true;
  }

  /**
   * Precedence climbing: 0 OR/XOR, 1 AND, 2 NOT, 3 comparisons and predicates, then the operator levels
   * (PostgreSQL: any other operator, + -, * / %, ^; MySQL: |, &, << >>, + -, * / DIV MOD, ^).
   */
  expr(level: number, depth: number): X {
    if (this.tooDeep(depth)) return x(DEEP);
    if (level === 0) {
      let a = this.expr(1, depth + 1);
      for (;;) {
        const w = this.word();
        const o = this.op();
        if (w === 'OR' || (this.mysql && o === '||')) {
          this.i++;
          const b = this.expr(1, depth + 1);
          a = x(or(a.v, b.v, this.mysql), a.dep | b.dep, a.real && b.real);
        } else if (w === 'XOR' && this.mysql) {
          this.i++;
          const b = this.expr(1, depth + 1);
          a = x(xor(a.v, b.v, this.mysql), a.dep | b.dep, a.real && b.real);
        } else return a;
      }
    }
    if (level === 1) {
      let a = this.expr(2, depth + 1);
      while (this.word() === 'AND' || (this.mysql && this.op() === '&&')) {
        this.i++;
        const b = this.expr(2, depth + 1);
        a = x(and(a.v, b.v, this.mysql), a.dep | b.dep, a.real || b.real);
      }
      return a;
    }
    if (level === 2) {
      if (this.word() === 'NOT' || (this.mysql && this.op() === '!')) {
        this.i++;
        const a = this.expr(2, depth + 1);
        return x(not(a.v, this.mysql), a.dep, a.real);
      }
      return this.comparison(depth + 1);
    }
    return this.operators(level, depth);
  }

  /**
   * The operators below the comparisons, by precedence climbing from `level` (3 is the loosest; see `levelOf`).
   */
  private operators(level: number, depth: number): X {
    if (this.tooDeep(depth)) return x(DEEP);
    return this.climb(this.unary(depth + 1), level, depth);
  }

  /** Continues `a` with the operators of level `level` and tighter. */
  private climb(a: X, level: number, depth: number): X {
    if (this.tooDeep(depth)) return x(DEEP);
    for (;;) {
      const o = this.opHere();
      const l = this.levelOf(o);
      if (l < level) return a;
      this.i++;
      let b = this.unary(depth + 1);
      for (let l2 = this.levelOf(this.opHere()); l2 > l; l2 = this.levelOf(this.opHere())) {
        b = this.climb(b, l2, depth + 1);
      }
      a = binary(a, b, o, this.mysql);
    }
  }

  /** The operator at the cursor: an operator token, or DIV/MOD. */
  private opHere(): string {
    const k = this.kind();
    if (k === T.OP) return this.s.raw(this.i);
    if (k === T.WORD && this.mysql) {
      const w = this.word();
      if (w === 'DIV' || w === 'MOD') return w;
    }
    return '';
  }

  /**
   * An operator's precedence, 0 when it is none of these: PostgreSQL 3 any other operator (`||`, `~`, `@>`, `->>`,
   * `<<`, `&`, `#`…), 4 `+ -`, 5 `* / %`, 6 `^`; MySQL 3 `|`, 4 `&`, 5 `<< >>`, 6 `+ -`, 7 `* / DIV % MOD`, 8 `^`.
   */
  private levelOf(o: string): number {
    if (o === '') return 0;
    if (this.mysql) {
      switch (o) {
        case '|': return 3;
        case '&': return 4;
        case '<<': case '>>': return 5;
        case '+': case '-': return 6;
        case '*': case '/': case '%': case 'DIV': case 'MOD': return 7;
        case '^': return 8;
        default: return 0;
      }
    }
    switch (o) {
      case '+': case '-': return 4;
      case '*': case '/': case '%': return 5;
      case '^': return 6;
      default: return COMPARISONS.has(o) || o === '::' ? 0 : 3;
    }
  }

  private comparison(depth: number): X {
    const left = this.operators(3, depth + 1);
    const o = this.op();
    if (COMPARISONS.has(o)) {
      this.i++;
      // `= ANY (…)`, `= ALL (…)`: not evaluated; a real filter when the list does not depend on the target.
      const w = this.word();
      if (w === 'ANY' || w === 'ALL' || w === 'SOME') {
        this.i++;
        const group = this.operators(3, depth + 1);
        return x(UNK, left.dep | group.dep, ties(left, group));
      }
      const right = this.operators(3, depth + 1);
      return x(compare(left.v, right.v, o, this.mysql), left.dep | right.dep, ties(left, right));
    }
    let negate = false;
    if (this.word() === 'IS') {
      this.i++;
      if (this.word() === 'NOT') {
        negate = true;
        this.i++;
      }
      const w = this.word();
      this.i++;
      let v: Val;
      let real = (left.dep & DEP_TARGET) !== 0;
      if (w === 'NULL' || w === 'UNKNOWN') {
        v = isNull(left.v);
        // `IS NOT NULL` holds for nearly every row of a column that is filled (an id: all of them).
        if (negate) real = false;
      } else if (w === 'TRUE' || w === 'FALSE') {
        const t = truth(left.v, this.mysql);
        if (t !== undefined) v = { t: 'bool', v: t === (w === 'TRUE') };
        else v = left.v.t === 'null' ? { t: 'bool', v: false } : UNK;
      } else if (w === 'DISTINCT' && this.word() === 'FROM') {
        this.i++;
        const right = this.operators(3, depth + 1);
        v = not(compare(left.v, right.v, '<=>', this.mysql), this.mysql);
        return x(negate ? not(v, this.mysql) : v, left.dep | right.dep, ties(left, right));
      } else {
        v = UNK;
        real = false;
        this.failed = true;
      }
      return x(negate ? not(v, this.mysql) : v, left.dep, real);
    }
    if (this.word() === 'ISNULL' || this.word() === 'NOTNULL') {
      const notNull = this.word() === 'NOTNULL';
      this.i++;
      const v = isNull(left.v);
      return x(notNull ? not(v, this.mysql) : v, left.dep, !notNull && (left.dep & DEP_TARGET) !== 0);
    }
    if (this.word() === 'NOT') {
      const next = this.s.w(this.i + 1);
      if (next === 'IN' || next === 'BETWEEN' || next === 'LIKE' || next === 'ILIKE' || next === 'REGEXP' ||
        next === 'RLIKE' || next === 'SIMILAR') {
        negate = true;
        this.i++;
      }
    }
    const w = this.word();
    if (w === 'IN') {
      this.i++;
      const r = this.inList(left, depth + 1);
      return x(negate ? not(r.v, this.mysql) : r.v, r.dep, r.real);
    }
    if (w === 'BETWEEN') {
      this.i++;
      if (this.word() === 'SYMMETRIC' || this.word() === 'ASYMMETRIC') this.i++;
      const low = this.operators(3, depth + 1);
      if (this.word() !== 'AND') return x(UNK, left.dep | DEP_UNSURE);
      this.i++;
      const high = this.operators(3, depth + 1);
      const v = and(compare(left.v, low.v, '>=', this.mysql), compare(left.v, high.v, '<=', this.mysql), this.mysql);
      const bounds = x(UNK, low.dep | high.dep);
      return x(negate ? not(v, this.mysql) : v, left.dep | bounds.dep, ties(left, bounds));
    }
    if (w === 'LIKE' || w === 'ILIKE' || w === 'REGEXP' || w === 'RLIKE' || (w === 'SIMILAR' &&
      this.s.w(this.i + 1) === 'TO')) {
      this.i += w === 'SIMILAR' ? 2 : 1;
      const pattern = this.operators(3, depth + 1);
      let escape = false;
      if (this.word() === 'ESCAPE') {
        this.i++;
        this.operators(3, depth + 1);
        escape = true;
      }
      const v = w === 'LIKE' || w === 'ILIKE'
        ? (escape ? UNK : like(left.v, pattern.v, w === 'ILIKE' || this.mysql))
        : regexMatch(left.v, pattern.v, this.mysql);
      const everything = pattern.v.t === 'str' && (w === 'LIKE' || w === 'ILIKE'
        ? /^%+$/.test(pattern.v.v) : /^(\.\*|\^|\$|)$/.test(pattern.v.v));
      return x(negate ? not(v, this.mysql) : v, left.dep | pattern.dep, ties(left, pattern) && !everything);
    }
    return left;
  }

  private inList(left: X, depth: number): X {
    if (this.kind() !== T.LPAREN) return x(UNK, left.dep | DEP_UNSURE);
    const open = this.i;
    const close = this.s.skipGroup(open);
    const w = this.s.w(open + 1);
    if (w === 'SELECT' || w === 'WITH' || w === 'VALUES' || w === 'TABLE') {
      this.i = close;
      const sub = this.subquery(open + 1, close - 1);
      return x(UNK, left.dep | sub, (left.dep & DEP_TARGET) !== 0 && (sub & (DEP_TARGET | DEP_UNSURE)) === 0);
    }
    this.i++;
    let result: Val = { t: 'bool', v: false };
    let dep = 0;
    for (;;) {
      const item = this.expr(0, depth + 1);
      dep |= item.dep;
      result = or(result, compare(left.v, item.v, '=', this.mysql), this.mysql);
      if (this.kind() === T.COMMA) {
        this.i++;
        continue;
      }
      break;
    }
    if (this.i !== close - 1) {
      this.i = close;
      return x(UNK, left.dep | DEP_UNSURE);
    }
    this.i = close;
    return x(result, left.dep | dep, ties(left, x(UNK, dep)));
  }

  /**
   * A subquery's dependence on the target row: DEP_UNSURE when it names the target's qualifier (correlated) or
   * reads the whole target table itself (`IN (SELECT id FROM users)` under `DELETE FROM users`), else none.
   */
  private subquery(from: number, to: number): number {
    const s = this.s;
    let depth = 0;
    let limited = false;
    let fromTarget = false;
    let hasFrom = false;
    let names = false;
    for (let k = from; k < to; k++) {
      // A name that is no keyword and no function: without a FROM of its own, it is the target row's column.
      if ((s.kind[k] === T.WORD || s.kind[k] === T.QIDENT) && s.kind[k + 1] !== T.LPAREN && s.kind[k - 1] !== T.DOT
        && !(s.kind[k] === T.WORD && (STOP.has(s.w(k)) || KEYWORD_VALUES.has(s.w(k)) || SUBQUERY_WORDS.has(s.w(k))))) {
        names = true;
      }
      const kind = s.kind[k];
      if (kind === T.LPAREN) depth++;
      else if (kind === T.RPAREN) depth--;
      else if (kind === T.DOT && k > from && this.scope.targets.has(s.ident(k - 1)?.name ?? '\0')) {
        return DEP_UNSURE;
      } else if (depth === 0 && kind === T.WORD) {
        const w = s.w(k);
        if (w === 'WHERE' || w === 'LIMIT' || w === 'HAVING' || w === 'JOIN' || w === 'FETCH' || w === 'OFFSET' ||
          w === 'GROUP' || w === 'UNION' || w === 'INTERSECT' || w === 'EXCEPT') limited = true;
        else if (w === 'FROM') {
          hasFrom = true;
          let n = k + 1;
          while (s.kind[n + 1] === T.DOT) n += 2;
          if (this.scope.targets.has(s.ident(n)?.name ?? '\0')) fromTarget = true;
        }
      }
    }
    if (!hasFrom && names) return DEP_UNSURE;
    return fromTarget && !limited ? DEP_UNSURE : 0;
  }

  private unary(depth: number): X {
    if (this.tooDeep(depth)) return x(DEEP);
    const o = this.op();
    if (o === '-' || o === '+' || o === '~' || (this.mysql && o === '!')) {
      this.i++;
      const a = this.unary(depth + 1);
      if (o === '!') return x(not(a.v, this.mysql), a.dep, a.real);
      return x(prefix(o, a.v, this.mysql), a.dep);
    }
    if (o !== '' && !this.mysql && this.kind() === T.OP && o !== '(' && o !== '::' && o !== '*') {
      // Another PostgreSQL prefix operator (`@`, `|/`…): not evaluated.
      this.i++;
      const a = this.unary(depth + 1);
      return x(a.v.t === 'deep' ? a.v : UNK, a.dep);
    }
    if (this.mysql && this.word() === 'BINARY') this.i++;
    let a = this.primary(depth + 1);
    // Postfix: casts `x::type`, subscripts `a[1]`, COLLATE, AT TIME ZONE.
    for (;;) {
      if (this.op() === '::') {
        this.i++;
        const type = this.typeName();
        if (type === undefined) return x(UNK, a.dep | DEP_UNSURE);
        a = x(castValue(a.v, type, this.mysql), a.dep, a.real);
      } else if (this.isOpen('[')) {
        this.skipBrackets();
        a = x(UNK, a.dep | DEP_UNSURE);
      } else if (this.word() === 'COLLATE') {
        this.i++;
        this.i = this.s.name(this.i).next;
      } else if (this.word() === 'AT' && this.s.is(this.i + 1, 'TIME') && this.s.is(this.i + 2, 'ZONE')) {
        this.i += 3;
        const zone = this.unary(depth + 1);
        a = x(UNK, a.dep | zone.dep);
      } else if (this.word() === 'AT' && this.s.is(this.i + 1, 'LOCAL')) {
        this.i += 2;
        a = x(UNK, a.dep);
      } else return a;
    }
  }

  private isOpen(ch: '['): boolean {
    const k = this.kind();
    return (k === T.OTHER || k === T.OP) && this.s.raw(this.i) === ch;
  }

  /** Skips `[ … ]` (nested), bounded by the condition's end. */
  private skipBrackets(): void {
    let depth = 0;
    while (this.i < this.to) {
      const r = this.kind() === T.OTHER || this.kind() === T.OP ? this.s.raw(this.i) : '';
      if (this.kind() === T.LPAREN) {
        this.i = this.s.skipGroup(this.i);
        continue;
      }
      this.i++;
      if (r === '[') depth++;
      else if (r === ']' && --depth <= 0) return;
    }
  }

  /** Reads a type name (see skipTypeName): its first word in lower case, '' when it has a length or more words. */
  private typeName(): string | undefined {
    const from = this.i;
    if (!this.skipTypeName()) return undefined;
    return this.i === from + 1 ? (this.s.ident(from)?.name ?? '').toLowerCase() : '';
  }

  /** A type name after `::` or AS: words (`double precision`, `timestamp with time zone`), `(n)`, `[]`. */
  private skipTypeName(): boolean {
    if (this.kind() !== T.WORD && this.kind() !== T.QIDENT) return false;
    this.i = this.s.name(this.i).next;
    while (this.kind() === T.WORD && !STOP.has(this.word()) && !KEYWORD_VALUES.has(this.word())) {
      const w = this.word();
      if (w !== 'PRECISION' && w !== 'VARYING' && w !== 'WITH' && w !== 'WITHOUT' && w !== 'TIME' && w !== 'ZONE' &&
        w !== 'UNSIGNED' && w !== 'SIGNED' && w !== 'CHARACTER' && w !== 'CHAR' && w !== 'INTEGER') break;
      this.i++;
    }
    if (this.kind() === T.LPAREN) this.i = this.s.skipGroup(this.i);
    while (this.isOpen('[')) this.skipBrackets();
    return true;
  }

  private primary(depth: number): X {
    const k = this.kind();
    const s = this.s;
    if (k === T.NUMBER) {
      const raw = s.raw(this.i);
      this.i++;
      return x({ t: 'lit', raw, mysql: this.mysql });
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
      return x(v === undefined ? UNK : { t: 'str', v });
    }
    if (k === T.PARAM || k === T.VARIABLE) {
      this.i++;
      return x(UNK);
    }
    if (k === T.LPAREN) {
      const open = this.i;
      const close = s.skipGroup(open);
      const w = s.w(open + 1);
      if (w === 'SELECT' || w === 'WITH' || w === 'VALUES' || w === 'TABLE') {
        this.i = close;
        return x(UNK, this.subquery(open + 1, close - 1));
      }
      this.i++;
      let a = this.expr(0, depth + 1);
      let dep = a.dep;
      let row = false;
      while (this.kind() === T.COMMA && this.i < close - 1) {
        // A row constructor `(a, b)`.
        row = true;
        this.i++;
        const b = this.expr(0, depth + 1);
        dep |= b.dep;
        a = b;
      }
      if (this.i !== close - 1) {
        this.i = close;
        return x(a.v.t === 'deep' ? a.v : UNK, dep | DEP_UNSURE);
      }
      this.i = close;
      return row ? x(UNK, dep) : a;
    }
    if (k === T.WORD) {
      const w = this.word();
      if (w === 'TRUE') { this.i++; return x({ t: 'bool', v: true }); }
      if (w === 'FALSE') { this.i++; return x({ t: 'bool', v: false }); }
      if (w === 'NULL') { this.i++; return x(NULL); }
      if (w === 'EXISTS') {
        this.i++;
        return this.exists();
      }
      if (w === 'CASE') return this.caseExpr(depth + 1);
      if (w === 'INTERVAL') return this.interval(depth + 1);
      if (w === 'ARRAY' && this.isOpenAt(this.i + 1)) {
        this.i++;
        const from = this.i;
        this.skipBrackets();
        return x(UNK, this.scanDep(from, this.i));
      }
      if (STOP.has(w)) return x(UNK, DEP_UNSURE);
      if (KEYWORD_VALUES.has(w) && s.kind[this.i + 1] !== T.LPAREN) {
        this.i++;
        return x(UNK);
      }
      // Typed literals `DATE '…'`, `TIMESTAMP '…'`, `_utf8mb4'…'`: a constant we do not need to read.
      if (s.kind[this.i + 1] === T.STRING) {
        this.i += 2;
        return x(UNK);
      }
    }
    if (k === T.WORD || k === T.QIDENT) {
      const name = s.name(this.i);
      const start = this.i;
      this.i = name.next;
      if (this.kind() === T.LPAREN) return this.call(depth + 1);
      return this.column(start, name.next);
    }
    // Operators and characters we do not know: consume one token.
    if (k !== T.EOF && k !== T.RPAREN && k !== T.COMMA) this.i++;
    return x(UNK, DEP_UNSURE);
  }

  private isOpenAt(k: number): boolean {
    const kind = this.s.kind[k];
    return k < this.to && (kind === T.OTHER || kind === T.OP) && this.s.raw(k) === '[';
  }

  /** A column reference `[schema.]table.column` or `column` over tokens `[from, next)`. */
  private column(from: number, next: number): X {
    const s = this.s;
    const parts: string[] = [];
    for (let k = from; k < next; k += 2) {
      const id = s.ident(k);
      if (!id) return x(UNK, DEP_UNSURE);
      parts.push(this.mysql ? id.name.toLowerCase() : id.name);
    }
    const col = parts[parts.length - 1];
    if (parts.length === 1) {
      // An unqualified name: the target's column, unless other tables are in scope or it is the argument of a
      // function that may take keywords there.
      const sure = !this.scope.multi && (this.calls.length === 0 || this.calls[this.calls.length - 1]);
      return x({ t: 'col', name: col }, sure ? DEP_TARGET : DEP_UNSURE, sure);
    }
    const qualifier = parts[parts.length - 2];
    if (this.scope.selves?.has(qualifier)) return x(UNK, DEP_UNSURE);
    if (this.scope.targets.has(qualifier)) return x({ t: 'col', name: col }, DEP_TARGET, true);
    return x({ t: 'col', name: parts.join('.') }, DEP_OTHER);
  }

  /**
   * A function call (the cursor is on its `(`): the value is unknown; its arguments decide what it depends on.
   * Only an ordinary function's unqualified argument names are sure to be columns (elsewhere they may be keywords:
   * `EXTRACT(EPOCH FROM now())`, `normalize(x, NFC)`, `CONVERT(x, DATE)`).
   */
  private call(depth: number): X {
    const s = this.s;
    const open = this.i;
    const close = s.skipGroup(open);
    const fname = (s.ident(open - 1)?.name ?? '').toLowerCase();
    if (fname === 'cast') {
      // CAST(x AS type): the value of `x::type`.
      this.i = open + 1;
      const a = this.expr(0, depth + 1);
      if (this.word() === 'AS') {
        this.i++;
        const type = this.typeName();
        if (type !== undefined && this.i === close - 1) {
          this.i = close;
          return x(castValue(a.v, type, this.mysql), a.dep, a.real);
        }
      }
      this.i = close;
      return x(UNK, a.dep | DEP_UNSURE);
    }
    const keywords = KEYWORD_ARGS.has(fname);
    let dep = 0;
    const to = close - 1;
    this.i = open + 1;
    this.calls.push(ORDINARY_FUNCTIONS.has(fname));
    while (this.i < to) {
      const w = this.word();
      const next = s.kind[this.i + 1];
      if (this.op() === '*' || ARG_MODIFIERS.has(w) || this.kind() === T.COMMA) this.i++;
      else if (UNITS.has(w) && (next === T.COMMA || s.is(this.i + 1, 'FROM'))) this.i++;
      else if (fname === 'extract' && this.kind() === T.WORD && s.is(this.i + 1, 'FROM')) this.i++;
      else if (ARG_JOINERS.has(w)) {
        this.i++;
        if ((w === 'AS' || w === 'USING') && !this.skipTypeName()) break;
      } else if (w === 'ORDER' && s.is(this.i + 1, 'BY')) this.i += 2;
      else if (w === 'ASC' || w === 'DESC') this.i++;
      else {
        const before = this.i;
        dep |= (keywords ? this.operators(3, depth + 1) : this.expr(0, depth + 1)).dep;
        if (this.i === before) break;
      }
    }
    this.calls.pop();
    if (this.i !== to) dep |= DEP_UNSURE;
    this.i = close;
    // Aggregates and windows do not belong in a WHERE: not read.
    if (this.word() === 'FILTER' || this.word() === 'OVER' || this.word() === 'WITHIN') dep |= DEP_UNSURE;
    return x(UNK, dep, (dep & DEP_TARGET) !== 0 && (dep & DEP_UNSURE) === 0);
  }

  /** Dependence of the tokens `[from, to)` read as a list of expressions (an ARRAY[…] body). */
  private scanDep(from: number, to: number): number {
    const inner = new Evaluator(this.s, from + 1, to - 1, this.scope);
    let dep = 0;
    while (inner.i < to - 1) {
      const before = inner.i;
      dep |= inner.expr(0, 0).dep;
      if (inner.kind() === T.COMMA) inner.i++;
      else if (inner.i === before || inner.i < to - 1) return dep | DEP_UNSURE;
    }
    return inner.deep ? dep | DEP_UNSURE : dep;
  }

  /** `EXISTS (SELECT 1)` with no FROM is always true; a correlated subquery filters; any other is unknown. */
  private exists(): X {
    if (this.kind() !== T.LPAREN) return x(UNK, DEP_UNSURE);
    const s = this.s;
    const close = s.skipGroup(this.i);
    const from = this.i + 1;
    this.i = close;
    if (s.w(from) !== 'SELECT') return x(UNK, DEP_UNSURE);
    let depth = 0;
    let correlated = false;
    let bare = true;
    for (let k = from + 1; k < close - 1; k++) {
      const kind = s.kind[k];
      if (kind === T.LPAREN) depth++;
      else if (kind === T.RPAREN) depth--;
      else if (kind === T.DOT && this.scope.targets.has(s.ident(k - 1)?.name ?? '\0')) correlated = true;
      else if (depth === 0 && kind === T.WORD) {
        const w = s.w(k);
        if (w === 'FROM' || w === 'WHERE' || w === 'LIMIT' || w === 'HAVING' || w === 'OFFSET' || w === 'FETCH') {
          bare = false;
        }
      }
    }
    if (bare) return x({ t: 'bool', v: true });
    return x(UNK, correlated ? DEP_TARGET : 0, correlated);
  }

  /** CASE [x] WHEN … THEN … [ELSE …] END: the value is not evaluated; the parts' dependence is kept. */
  private caseExpr(depth: number): X {
    const start = this.i;
    this.i++;
    let dep = 0;
    if (this.word() !== 'WHEN') dep |= this.expr(0, depth + 1).dep;
    while (this.word() === 'WHEN') {
      this.i++;
      dep |= this.expr(0, depth + 1).dep;
      if (this.word() !== 'THEN') return this.skipCase(start);
      this.i++;
      dep |= this.expr(0, depth + 1).dep;
    }
    if (this.word() === 'ELSE') {
      this.i++;
      dep |= this.expr(0, depth + 1).dep;
    }
    if (this.word() !== 'END') return this.skipCase(start);
    this.i++;
    return x(UNK, dep, (dep & DEP_TARGET) !== 0 && (dep & DEP_UNSURE) === 0);
  }

  private skipCase(start: number): X {
    this.i = start;
    let depth = 0;
    while (this.i < this.to) {
      const w = this.word();
      if (w === 'CASE') depth++;
      else if (w === 'END' && --depth === 0) {
        this.i++;
        break;
      }
      this.i++;
    }
    return x(UNK, DEP_UNSURE);
  }

  /** `INTERVAL '1 day'`, `INTERVAL '1' DAY`, MySQL `INTERVAL 30 DAY`, `INTERVAL '1:30' HOUR_MINUTE`. */
  private interval(depth: number): X {
    this.i++;
    let dep = 0;
    if (this.kind() === T.STRING) this.i++;
    else dep = this.operators(4, depth + 1).dep;
    while (this.kind() === T.WORD && UNITS.has(this.word())) this.i++;
    if (this.kind() === T.LPAREN && !this.mysql) this.i = this.s.skipGroup(this.i);
    return x(UNK, dep);
  }
}

/** A binary operator below the comparisons. */
function binary(a: X, b: X, o: string, mysql: boolean): X {
  const dep = a.dep | b.dep;
  if (a.v.t === 'deep' || b.v.t === 'deep') return x(DEEP, dep);
  const known = o === '+' || o === '-' || o === '*' || o === '/' || o === '%' || o === 'DIV' || o === 'MOD' ||
    o === '|' || o === '&' || o === '<<' || o === '>>' || o === '^' || o === '#' || o === '||';
  if (known) return x(arith(a.v, b.v, o, mysql), dep);
  // PostgreSQL's regular expressions and other operators (`@>`, `?`, `&&`): a comparison of sorts.
  let v: Val = UNK;
  if (o === '~' || o === '~*' || o === '!~' || o === '!~*') {
    v = regexMatch(a.v, b.v, false, o.endsWith('*'));
    if (o.startsWith('!')) v = not(v, mysql);
  }
  return x(v, dep, ties(a, b));
}

/** A value with its numeric literal parsed (`lit` → `num`, or unknown when its value is not exact). */
function N(v: Val): Val {
  if (v.t !== 'lit') return v;
  const d = decimal(v.raw, v.mysql);
  return d ? { t: 'num', d } : UNK;
}

/** A numeric literal as an exact decimal; undefined for forms whose value is not exact (MySQL `1e3` is a double). */
function decimal(raw: string, mysql: boolean): Dec | undefined {
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) || raw.length > MAX_DIGITS) return undefined;
  const e = raw.search(/[eE]/);
  if (e >= 0 && mysql) return undefined;
  const mant = e >= 0 ? raw.slice(0, e) : raw;
  const exp = e >= 0 ? Number(raw.slice(e + 1)) : 0;
  const dot = mant.indexOf('.');
  const digits = dot >= 0 ? mant.slice(0, dot) + mant.slice(dot + 1) : mant;
  let scale = dot >= 0 ? mant.length - dot - 1 : 0;
  scale -= exp;
  let n = BigInt(digits || '0');
  if (scale < 0) {
    if (-scale > MAX_DIGITS) return undefined;
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (scale > MAX_DIGITS) return undefined;
  return { n, scale };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.n, b.n, a.scale];
  if (a.scale < b.scale) return [a.n * 10n ** BigInt(b.scale - a.scale), b.n, b.scale];
  return [a.n, b.n * 10n ** BigInt(a.scale - b.scale), a.scale];
}

function cmpDec(a: Dec, b: Dec): number {
  const [x1, y1] = align(a, b);
  return x1 < y1 ? -1 : x1 > y1 ? 1 : 0;
}

function num(n: bigint, scale = 0): Val {
  if (scale > MAX_DIGITS * 2) return UNK;
  return { t: 'num', d: { n, scale } };
}

/** The value of a string literal token as written (undefined for forms we do not decode: X'', B'', U&''). */
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
  v = N(v);
  switch (v.t) {
    case 'bool': return v.v;
    case 'num': return v.d.n !== 0n;
    case 'str': {
      if (mysql) {
        const n = numeric(v.v);
        return n === undefined ? undefined : n !== 0;
      }
      const t = v.v.trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return true;
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return false;
      return undefined;
    }
    case 'deep': return true;
    default: return undefined;
  }
}

/** MySQL's string-to-number conversion (the longest numeric prefix, 0 when there is none), as a double. */
function numeric(s: string): number | undefined {
  const m = /^\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?/.exec(s);
  if (!m || !m[1]) return 0;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}

function bool(v: boolean): Val {
  return { t: 'bool', v };
}

function or(a: Val, b: Val, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  const p = truth(a, mysql);
  const q = truth(b, mysql);
  if (p === true || q === true) return bool(true);
  if (p === false && q === false) return bool(false);
  return a.t === 'null' || b.t === 'null' ? (p === false || q === false ? NULL : UNK) : UNK;
}

function and(a: Val, b: Val, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  const p = truth(a, mysql);
  const q = truth(b, mysql);
  if (p === false || q === false) return bool(false);
  if (p === true && q === true) return bool(true);
  return UNK;
}

function xor(a: Val, b: Val, mysql: boolean): Val {
  const p = truth(a, mysql);
  const q = truth(b, mysql);
  return p === undefined || q === undefined ? UNK : bool(p !== q);
}

function not(a: Val, mysql: boolean): Val {
  if (a.t === 'deep') return a;
  if (a.t === 'null') return NULL;
  const p = truth(a, mysql);
  return p === undefined ? UNK : bool(!p);
}

function isNull(a: Val): Val {
  a = N(a);
  if (a.t === 'null') return bool(true);
  if (a.t === 'bool' || a.t === 'num' || a.t === 'str') return bool(false);
  return UNK;
}

const INT_TYPES = new Set(['int', 'integer', 'int2', 'int4', 'int8', 'smallint', 'bigint', 'signed', 'unsigned']);

/**
 * The value of a cast, where it is sure: an integer to an integer type, an integer-looking string to one, a string
 * to text (no length) or a boolean; anything else (rounding, padding, `1::numeric / 2`) is unknown.
 */
function castValue(v: Val, type: string, mysql: boolean): Val {
  v = N(v);
  if (v.t === 'null' || v.t === 'deep') return v;
  if (INT_TYPES.has(type)) {
    if (v.t === 'num' && v.d.scale === 0) return v;
    if (v.t === 'str' && /^\s*[+-]?\d{1,15}\s*$/.test(v.v)) return num(BigInt(v.v.trim()));
    return UNK;
  }
  if (type === 'text' && !mysql) return v.t === 'str' ? v : UNK;
  if (type === 'bool' || type === 'boolean') {
    if (v.t === 'bool') return v;
    const t = v.t === 'str' ? truth(v, false) : undefined;
    return t === undefined ? UNK : bool(t);
  }
  return UNK;
}

const U64 = (1n << 64n) - 1n;

/** An integer operand of a bitwise operator: PostgreSQL's signed integers, MySQL's unsigned 64 bits. */
function intOf(v: Val, mysql: boolean): bigint | undefined {
  v = N(v);
  if (v.t === 'bool' && mysql) return v.v ? 1n : 0n;
  if (v.t !== 'num' || v.d.scale !== 0) return undefined;
  return mysql ? v.d.n & U64 : v.d.n;
}

function prefix(o: string, v: Val, mysql: boolean): Val {
  v = N(v);
  if (v.t === 'deep' || v.t === 'null') return v;
  if (o === '~') {
    const n = intOf(v, mysql);
    return n === undefined ? UNK : num(mysql ? U64 ^ n : -n - 1n);
  }
  if (v.t !== 'num') return UNK;
  return o === '-' ? num(-v.d.n, v.d.scale) : v;
}

function arith(a: Val, b: Val, op: string, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  if (a.t === 'unk' || b.t === 'unk') return a.t === 'null' || b.t === 'null' ? NULL : UNK;
  a = N(a);
  b = N(b);
  if (a.t === 'null' || b.t === 'null') return NULL;
  if (op === '||') return a.t === 'str' && b.t === 'str' ? { t: 'str', v: a.v + b.v } : UNK;
  // `id + 1`, `1 + id`, `id - 1`: a column with an offset.
  if ((op === '+' || op === '-') && a.t === 'col' && b.t === 'num') {
    const o = a.off ?? { n: 0n, scale: 0 };
    const [p, q, scale] = align(o, b.d);
    return { t: 'col', name: a.name, off: { n: op === '+' ? p + q : p - q, scale } };
  }
  if (op === '+' && a.t === 'num' && b.t === 'col') return arith(b, a, op, mysql);
  if (op === '|' || op === '&' || op === '<<' || op === '>>' || op === '#' || (op === '^' && mysql)) {
    const p = intOf(a, mysql);
    const q = intOf(b, mysql);
    if (p === undefined || q === undefined) return UNK;
    switch (op) {
      case '|': return num(p | q);
      case '&': return num(p & q);
      case '#': case '^': return num(p ^ q);
      default: {
        // Shifts: MySQL on 64 unsigned bits; PostgreSQL only where an int4 surely does not overflow.
        if (q < 0n || q > 63n) return mysql ? num(0n) : UNK;
        if (mysql) return num(op === '<<' ? (p << q) & U64 : p >> q);
        if (p < -(1n << 31n) || p >= 1n << 31n || q > 30n) return UNK;
        const r = op === '<<' ? p << q : p >> q;
        return r >= -(1n << 31n) && r < 1n << 31n ? num(r) : UNK;
      }
    }
  }
  if (a.t !== 'num' || b.t !== 'num') return UNK;
  const [p, q, scale] = align(a.d, b.d);
  switch (op) {
    case '+': return num(p + q, scale);
    case '-': return num(p - q, scale);
    case '*': return num(a.d.n * b.d.n, a.d.scale + b.d.scale);
    case '/': case 'DIV': {
      if (q === 0n) return mysql ? NULL : UNK;
      const ints = a.d.scale === 0 && b.d.scale === 0;
      // PostgreSQL divides integers as integers; MySQL's `/` is exact, and DIV truncates.
      if (ints && (op === 'DIV' || !mysql)) return num(a.d.n / b.d.n);
      if (ints && a.d.n % b.d.n === 0n) return num(a.d.n / b.d.n);
      return UNK;
    }
    case '%': case 'MOD':
      if (a.d.scale !== 0 || b.d.scale !== 0) return UNK;
      if (b.d.n === 0n) return mysql ? NULL : UNK;
      return num(a.d.n % b.d.n);
    default:
      return UNK;
  }
}

function compare(a: Val, b: Val, op: string, mysql: boolean): Val {
  if (a.t === 'deep' || b.t === 'deep') return DEEP;
  if (a.t === 'col' && b.t === 'col') {
    // `id = id` holds for every row whose id is not NULL: as good as no WHERE; `id = id + 1` for none.
    if (a.name !== b.name) return UNK;
    const c = cmpDec(a.off ?? { n: 0n, scale: 0 }, b.off ?? { n: 0n, scale: 0 });
    return order(c, op === '<=>' ? '=' : op);
  }
  if (op === '<=>') {
    if (a.t === 'null' || b.t === 'null') return bool(a.t === b.t);
    op = '=';
  }
  if (a.t === 'null' || b.t === 'null') return NULL;
  if (a.t === 'unk' || b.t === 'unk' || a.t === 'col' || b.t === 'col') return UNK;
  a = N(a);
  b = N(b);
  if (a.t === 'unk' || b.t === 'unk') return UNK;
  let c: number | undefined;
  if (a.t === 'str' && b.t === 'str') {
    // Only equality is sure: order depends on the collation. PostgreSQL's deterministic collations compare equal
    // only identical strings. MySQL's default collations ignore case (a _bin one does not; the default is read);
    // the 0900 ones also ignore accents and do not pad, the older ones pad: so beyond printable ASCII, and for
    // strings that differ in trailing spaces, the answer is unknown.
    const eq = op === '=' || op === '==' ? true : op === '<>' || op === '!=' ? false : undefined;
    if (a.v === b.v) c = 0;
    else if (!mysql) return eq === undefined ? UNK : bool(!eq);
    else if (a.v.toLowerCase() === b.v.toLowerCase()) c = 0;
    else if (a.v.toLowerCase().trimEnd() === b.v.toLowerCase().trimEnd() || !PRINTABLE.test(a.v + b.v)) return UNK;
    else return eq === undefined ? UNK : bool(!eq);
  } else if (a.t === 'num' && b.t === 'num') {
    c = cmpDec(a.d, b.d);
  } else if (mysql) {
    // MySQL compares a string with a number as floating point.
    const p = a.t === 'str' ? numeric(a.v) : toDouble(a);
    const q = b.t === 'str' ? numeric(b.v) : toDouble(b);
    if (p === undefined || q === undefined) return UNK;
    c = p < q ? -1 : p > q ? 1 : 0;
  } else {
    // PostgreSQL reads the literal as the other side's type.
    const p = pgAs(a, b);
    const q = pgAs(b, a);
    if (p === undefined || q === undefined) return UNK;
    c = p < q ? -1 : p > q ? 1 : 0;
  }
  return order(c, op);
}

/** A comparison's result from the sign of left minus right. */
function order(c: number, op: string): Val {
  switch (op) {
    case '=': case '==': return bool(c === 0);
    case '<>': case '!=': return bool(c !== 0);
    case '<': return bool(c < 0);
    case '>': return bool(c > 0);
    case '<=': return bool(c <= 0);
    default: return bool(c >= 0);
  }
}

function toDouble(v: Val): number | undefined {
  if (v.t === 'bool') return v.v ? 1 : 0;
  if (v.t === 'num') return Number(v.d.n) / 10 ** v.d.scale;
  return undefined;
}

/** PostgreSQL: `v` read as the type of `other` (an unknown-typed literal takes the other side's type), as a number. */
function pgAs(v: Val, other: Val): number | undefined {
  if (v.t === 'num') {
    if (v.d.scale === 0 && v.d.n >= BigInt(Number.MIN_SAFE_INTEGER) && v.d.n <= BigInt(Number.MAX_SAFE_INTEGER)) {
      return Number(v.d.n);
    }
    return undefined;
  }
  if (v.t === 'bool') return other.t === 'str' ? (v.v ? 1 : 0) : undefined;
  if (v.t === 'str') {
    if (other.t === 'bool') {
      const t = truth(v, false);
      return t === undefined ? undefined : t ? 1 : 0;
    }
    const s = v.v.trim();
    return /^[+-]?\d{1,15}$/.test(s) ? Number(s) : undefined;
  }
  return undefined;
}

/** SQL LIKE with `%` and `_`; `col LIKE '%'` holds for every non-NULL value. */
function like(a: Val, p: Val, caseless: boolean): Val {
  a = N(a);
  p = N(p);
  if (a.t === 'deep' || p.t === 'deep') return DEEP;
  if (a.t === 'null' || p.t === 'null') return NULL;
  if (p.t !== 'str') return UNK;
  if (a.t === 'col' || a.t === 'unk') return p.v !== '' && /^%+$/.test(p.v) ? bool(true) : UNK;
  const text = a.t === 'str' ? a.v : a.t === 'num' && a.d.scale === 0 ? String(a.d.n) : undefined;
  if (text === undefined || text.length > 1000 || p.v.length > 1000) return UNK;
  const exact = wildcard(text, p.v);
  if (!caseless) return bool(exact);
  // Case-insensitive only under the usual collations (MySQL's _bin ones are not): sure when both agree. Accents
  // and ignorable characters match under the 0900 collations, so beyond printable ASCII only a match is sure.
  const folded = wildcard(text.toLowerCase(), p.v.toLowerCase());
  if (exact !== folded || (!folded && !PRINTABLE.test(text + p.v))) return UNK;
  return bool(exact);
}

/** A regular expression match, evaluated only for patterns without special characters (a substring test). */
function regexMatch(a: Val, p: Val, mysql: boolean, caseless = mysql): Val {
  a = N(a);
  p = N(p);
  if (a.t === 'deep' || p.t === 'deep') return DEEP;
  if (a.t === 'null' || p.t === 'null') return NULL;
  if (a.t !== 'str' || p.t !== 'str' || /[\\^$.|?*+()[\]{}]/.test(p.v) || a.v.length > 1000) return UNK;
  const found = caseless ? a.v.toLowerCase().includes(p.v.toLowerCase()) : a.v.includes(p.v);
  return !found && caseless && !PRINTABLE.test(a.v + p.v) ? UNK : bool(found);
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
