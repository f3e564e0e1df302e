// A bash command-line parser: the grammar of bash(1) "SHELL GRAMMAR", "QUOTING", "EXPANSION" and "REDIRECTION",
// reduced to what decides which programs run with which words. It reads lists (`;`, `&`, `&&`, `||`, newlines),
// pipelines (`|`, `|&`, `!`, `time`), simple commands with assignments and redirections, subshells, groups,
// `if`/`while`/`until`/`for`/`case`/`select`, function definitions, `[[ ]]` and `(( ))`, and words with every
// quoting form (`'…'`, `"…"`, `$'…'`, `$"…"`, `\`), parameter expansions, `$(…)`, backquotes, `$((…))`,
// process substitutions and here-documents. Command substitutions are parsed as lines of their own, so the
// commands inside them are seen too. The system test test/system/shell-line.test.ts runs the golden lines in the
// real bash and checks that the commands it runs are the ones this parser finds.
//
// Not a shell: nothing is expanded here (see walk.ts). Bounded: input over MAX_INPUT characters or nesting over
// MAX_DEPTH is a parse error, and the parse is linear in the input.

export const MAX_INPUT = 256 * 1024;
const MAX_DEPTH = 100;

/** One piece of a word. `quoted`: inside double quotes (no field splitting, no globbing). */
export type Part =
  | { readonly t: 'lit'; readonly s: string; readonly quoted: boolean }
  /** `$name`, `${name}`, `${name:-word}`…: `op` is the operator and `arg` its word (for `-`, `=`, `+`, `?`). */
  | { readonly t: 'param'; readonly name: string; readonly op?: string; readonly arg?: Word; readonly quoted: boolean;
    readonly raw: string }
  | { readonly t: 'cmdsub'; readonly body: Node; readonly quoted: boolean; readonly raw: string }
  | { readonly t: 'arith'; readonly quoted: boolean; readonly raw: string }
  /** `<(…)`/`>(…)`: a path to a pipe the body reads or writes. */
  | { readonly t: 'procsub'; readonly body: Node; readonly raw: string }
  /** An unquoted `*`, `?`, `[…]` or `{a,b}`: the shell may expand it to other words. */
  | { readonly t: 'glob'; readonly s: string };

export interface Word {
  readonly parts: readonly Part[];
  /** The word as written. */
  readonly raw: string;
}

export interface Redir {
  /** `<`, `>`, `>>`, `<<`, `<<-`, `<<<`, `<&`, `>&`, `<>`, `>|`, `&>`, `&>>`. */
  readonly op: string;
  readonly fd?: number;
  readonly target: Word;
  /** A here-document's body, and whether its delimiter was quoted (then the body is not expanded). */
  readonly body?: Word;
}

export interface Assign {
  readonly name: string;
  readonly value: Word;
  /** `a+=b`. */
  readonly append: boolean;
  /** `a[1]=b` or `a=(…)`: an array. */
  readonly array: boolean;
  /** `a=(x y)`: its words (`[k]=v` words included as written). */
  readonly elements?: readonly Word[];
}

export type Node =
  | { readonly t: 'list'; readonly items: ReadonlyArray<{ readonly node: Node; readonly op: string }> }
  | { readonly t: 'pipe'; readonly cmds: readonly Node[]; readonly bang: boolean }
  | { readonly t: 'simple'; readonly assigns: readonly Assign[]; readonly words: readonly Word[];
    readonly redirs: readonly Redir[]; readonly raw: string }
  | { readonly t: 'subshell' | 'group'; readonly body: Node; readonly redirs: readonly Redir[] }
  /** `if`, `while`, `until`, `case`, `[[ ]]`, `(( ))`: every part runs (or may run) in order. */
  | { readonly t: 'compound'; readonly kind: string; readonly parts: readonly Node[]; readonly words: readonly Word[];
    readonly redirs: readonly Redir[] }
  | { readonly t: 'for'; readonly name: string; readonly items?: readonly Word[]; readonly body: Node;
    readonly redirs: readonly Redir[] }
  | { readonly t: 'function'; readonly name: string; readonly body: Node };

export class ShellSyntaxError extends Error {}

const RESERVED_END = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}', 'in']);
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Commands whose arguments may be assignments with array values. */
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

/** Parses a bash line or script. Throws ShellSyntaxError for what bash would reject or the guard cannot bound. */
export function parseShell(text: string): Node {
  if (text.length > MAX_INPUT) throw new ShellSyntaxError(`the line is longer than ${MAX_INPUT} characters`);
  const p = new Parser(text);
  const node = p.list([]);
  p.blank(true);
  if (p.i < text.length) throw new ShellSyntaxError(`unexpected "${text[p.i]}" at ${p.where()}`);
  return node;
}

interface PendingHeredoc {
  delim: string;
  quoted: boolean;
  strip: boolean;
  set: (body: Word) => void;
}

class Parser {
  i = 0;
  private depth = 0;
  private heredocs: PendingHeredoc[] = [];
  constructor(private readonly s: string) {}

  where(): string {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    return `line ${line}, column ${this.i - before.lastIndexOf('\n')}`;
  }

  private fail(message: string): never {
    throw new ShellSyntaxError(`${message} (${this.where()})`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
  }

  /** Skips blanks and comments; with `newlines`, newlines too (reading pending here-documents at each). */
  blank(newlines = false): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && s[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '\n' && newlines) {
        this.i++;
        this.readHeredocs();
      } else break;
    }
  }

  private readHeredocs(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      const s = this.s;
      const start = this.i;
      let body = '';
      let found = false;
      while (this.i < s.length) {
        let end = s.indexOf('\n', this.i);
        if (end < 0) end = s.length;
        let line = s.slice(this.i, end);
        this.i = Math.min(end + 1, s.length);
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) {
          found = true;
          break;
        }
        body += line + '\n';
      }
      // bash warns and takes the rest of the input when the delimiter never comes.
      if (!found && this.i >= s.length && start === s.length) body = '';
      h.set(h.quoted ? { parts: [{ t: 'lit', s: body, quoted: true }], raw: body } : this.expandable(body));
    }
  }

  /** A here-document body with an unquoted delimiter: `$`, backquotes and `\` work as inside double quotes. */
  private expandable(body: string): Word {
    const sub = new Parser(body + '\u0000');
    sub.depth = this.depth;
    const parts = sub.dquoted('\u0000', true);
    return { parts, raw: body };
  }

  /** A list up to one of `stops` (reserved words) or a closing `)`/`}` the caller handles. */
  list(stops: readonly string[]): Node {
    this.enter();
    const items: Array<{ node: Node; op: string }> = [];
    for (;;) {
      this.blank(true);
      if (this.i >= this.s.length || this.s[this.i] === ')' || this.atReserved(stops) || this.s.startsWith(';;', this.i)
        || this.s.startsWith(';&', this.i)) break;
      const node = this.andOr();
      this.blank();
      let op = ';';
      const c = this.s[this.i];
      if (c === ';' && this.s[this.i + 1] !== ';' && this.s[this.i + 1] !== '&') {
        this.i++;
      } else if (c === '&' && this.s[this.i + 1] !== '&' && this.s[this.i + 1] !== '>') {
        op = '&';
        this.i++;
      } else if (c === '\n') {
        this.i++;
        this.readHeredocs();
      }
      items.push({ node, op });
      if (op === ';' && c !== ';' && c !== '\n') break;
    }
    this.depth--;
    return { t: 'list', items };
  }

  private atReserved(words: readonly string[]): boolean {
    for (const w of words) {
      if (this.s.startsWith(w, this.i)) {
        const next = this.s[this.i + w.length];
        if (next === undefined || META.has(next) || w === '}') return true;
      }
    }
    return false;
  }

  private andOr(): Node {
    const items: Array<{ node: Node; op: string }> = [];
    let node = this.pipeline();
    for (;;) {
      this.blank();
      const op = this.s.startsWith('&&', this.i) ? '&&' : this.s.startsWith('||', this.i) ? '||' : undefined;
      if (!op) break;
      this.i += 2;
      items.push({ node, op });
      this.blank(true);
      node = this.pipeline();
    }
    if (items.length === 0) return node;
    items.push({ node, op: ';' });
    return { t: 'list', items };
  }

  private pipeline(): Node {
    this.blank();
    let bang = false;
    for (;;) {
      if (this.word('!')) bang = true;
      else if (this.word('time')) {
        this.blank();
        if (this.s.startsWith('-p', this.i) && META.has(this.s[this.i + 2] ?? ' ')) this.i += 2;
        this.blank();
        if (this.s.startsWith('--', this.i) && META.has(this.s[this.i + 2] ?? ' ')) this.i += 2;
      } else break;
      this.blank();
    }
    const cmds = [this.command()];
    for (;;) {
      this.blank();
      if (this.s[this.i] === '|' && this.s[this.i + 1] !== '|') {
        this.i += this.s[this.i + 1] === '&' ? 2 : 1;
        this.blank(true);
        cmds.push(this.command());
      } else break;
    }
    return cmds.length === 1 && !bang ? cmds[0] : { t: 'pipe', cmds, bang };
  }

  /** Consumes the reserved word `w` when it stands alone here. */
  private word(w: string): boolean {
    if (!this.s.startsWith(w, this.i)) return false;
    const next = this.s[this.i + w.length];
    if (next !== undefined && !META.has(next)) return false;
    this.i += w.length;
    return true;
  }

  private expect(w: string): void {
    this.blank(true);
    if (!this.word(w)) this.fail(`expected "${w}"`);
  }

  private command(): Node {
    this.enter();
    this.blank();
    const s = this.s;
    let node: Node;
    if (s[this.i] === '(' && s[this.i + 1] === '(' && this.isArith()) {
      node = this.arithCommand();
    } else if (s[this.i] === '(') {
      this.i++;
      const body = this.list([]);
      this.blank(true);
      if (s[this.i] !== ')') this.fail('expected ")"');
      this.i++;
      node = { t: 'subshell', body, redirs: this.redirs() };
    } else if (this.word('{')) {
      const body = this.list(['}']);
      this.expect('}');
      node = { t: 'group', body, redirs: this.redirs() };
    } else if (this.word('if')) {
      const parts: Node[] = [this.list(['then'])];
      this.expect('then');
      parts.push(this.list(['elif', 'else', 'fi']));
      for (;;) {
        this.blank(true);
        if (this.word('elif')) {
          parts.push(this.list(['then']));
          this.expect('then');
          parts.push(this.list(['elif', 'else', 'fi']));
        } else if (this.word('else')) {
          parts.push(this.list(['fi']));
        } else break;
      }
      this.expect('fi');
      node = { t: 'compound', kind: 'if', parts, words: [], redirs: this.redirs() };
    } else if (this.word('while') || this.word('until')) {
      const cond = this.list(['do']);
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      node = { t: 'compound', kind: 'while', parts: [cond, body], words: [], redirs: this.redirs() };
    } else if (this.word('for') || this.word('select')) {
      node = this.forLoop();
    } else if (this.word('case')) {
      node = this.caseCommand();
    } else if (s.startsWith('[[', this.i) && META.has(s[this.i + 2] ?? ' ')) {
      node = this.condCommand();
    } else if (this.word('function')) {
      this.blank();
      const name = this.rawWord();
      this.blank();
      if (s.startsWith('()', this.i)) this.i += 2;
      this.blank(true);
      node = { t: 'function', name, body: this.command() };
    } else {
      const fn = /^([^\s;&|()<>'"`$\\]+)[ \t]*\([ \t]*\)/.exec(s.slice(this.i, this.i + 300));
      if (fn && !RESERVED_END.has(fn[1])) {
        this.i += fn[0].length;
        this.blank(true);
        node = { t: 'function', name: fn[1], body: this.command() };
      } else node = this.simple();
    }
    this.depth--;
    return node;
  }

  /**
   * Whether the `((` here opens an arithmetic command: its parentheses close as `))` together. Otherwise bash
   * reads nested subshells (`((echo a) ; (echo b))`).
   */
  private isArith(): boolean {
    let depth = 2;
    for (let j = this.i + 2; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 1) return this.s[j + 1] === ')';
        if (depth === 0) return true;
      } else if (depth === 2 && (c === ';' || c === '\n')) return false;
    }
    return true;
  }

  private arithCommand(): Node {
    const start = this.i;
    this.i += 2;
    let depth = 2;
    const words: Word[] = [];
    while (this.i < this.s.length && depth > 0) {
      const c = this.s[this.i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (c === '$' && this.s[this.i + 1] === '(') {
        const w = this.dollar(false);
        words.push({ parts: [w], raw: 'raw' in w ? w.raw : '' });
        continue;
      }
      this.i++;
    }
    if (depth > 0) this.fail('unterminated "(("');
    const raw = this.s.slice(start, this.i);
    return { t: 'compound', kind: 'arith', parts: [], words: [...words, { parts: [{ t: 'arith', quoted: false, raw }], raw }],
      redirs: this.redirs() };
  }

  private condCommand(): Node {
    this.i += 2;
    const words: Word[] = [];
    for (;;) {
      this.blank(true);
      if (this.i >= this.s.length) this.fail('unterminated "[["');
      if (this.s.startsWith(']]', this.i) && META.has(this.s[this.i + 2] ?? ' ')) {
        this.i += 2;
        break;
      }
      const c = this.s[this.i];
      // Grouping, comparison and a regex's alternation (`=~ ^(a|b)$`) are no words.
      if (c === '(' || c === ')' || c === '<' || c === '>' || c === '!' || c === '|') {
        this.i++;
        continue;
      }
      if (this.s.startsWith('&&', this.i) || this.s.startsWith('||', this.i)) {
        this.i += 2;
        continue;
      }
      const w = this.readWord(true);
      if (!w) this.fail('unexpected character in "[["');
      words.push(w);
    }
    return { t: 'compound', kind: 'cond', parts: [], words, redirs: this.redirs() };
  }

  private forLoop(): Node {
    this.blank();
    if (this.s.startsWith('((', this.i)) {
      const arith = this.arithCommand();
      this.blank(true);
      if (this.s[this.i] === ';') this.i++;
      this.blank(true);
      const body = this.doBody();
      return { t: 'compound', kind: 'for', parts: [arith, body], words: [], redirs: this.redirs() };
    }
    const name = this.rawWord();
    if (!NAME.test(name)) this.fail(`"${name}": not a valid loop variable`);
    this.blank(true);
    let items: Word[] | undefined;
    if (this.word('in')) {
      items = [];
      for (;;) {
        this.blank();
        const c = this.s[this.i];
        if (c === ';' || c === '\n' || c === undefined) break;
        const w = this.readWord(false);
        if (!w) this.fail('unexpected character in "for … in"');
        items.push(w);
      }
    }
    this.blank();
    if (this.s[this.i] === ';') this.i++;
    this.blank(true);
    const body = this.doBody();
    return { t: 'for', name, items, body, redirs: this.redirs() };
  }

  private doBody(): Node {
    if (this.word('do')) {
      const body = this.list(['done']);
      this.expect('done');
      return body;
    }
    if (this.word('{')) {
      const body = this.list(['}']);
      this.expect('}');
      return body;
    }
    return this.fail('expected "do"');
  }

  private caseCommand(): Node {
    this.blank();
    const subject = this.readWord(false);
    if (!subject) this.fail('expected a word after "case"');
    this.expect('in');
    const parts: Node[] = [];
    const words: Word[] = [subject];
    for (;;) {
      this.blank(true);
      if (this.word('esac')) break;
      if (this.i >= this.s.length) this.fail('expected "esac"');
      if (this.s[this.i] === '(') this.i++;
      // Patterns up to `)`.
      for (;;) {
        this.blank();
        const w = this.readWord(false, true);
        if (w) words.push(w);
        this.blank();
        if (this.s[this.i] === '|') {
          this.i++;
          continue;
        }
        if (this.s[this.i] === ')') {
          this.i++;
          break;
        }
        this.fail('expected ")" after a case pattern');
      }
      parts.push(this.list(['esac']));
      this.blank(true);
      if (this.s.startsWith(';;&', this.i)) this.i += 3;
      else if (this.s.startsWith(';;', this.i) || this.s.startsWith(';&', this.i)) this.i += 2;
    }
    return { t: 'compound', kind: 'case', parts, words, redirs: this.redirs() };
  }

  /** A plain word (a function or loop variable name). */
  private rawWord(): string {
    const start = this.i;
    while (this.i < this.s.length && !META.has(this.s[this.i])) this.i++;
    if (this.i === start) this.fail('expected a name');
    return this.s.slice(start, this.i);
  }

  private redirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      this.blank();
      const r = this.redirect();
      if (!r) return out;
      out.push(r);
    }
  }

  /** A redirection here, if one starts here (`2>file`, `<<EOF`, `&>>log`, `{fd}>x`). */
  private redirect(): Redir | undefined {
    const m = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(<<<|<<-|<<|<>|<&|<|>>|>&|>\||>|&>>|&>)/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) return undefined;
    // `<(` and `>(` are process substitutions, read as words.
    if ((m[2] === '<' || m[2] === '>') && this.s[this.i + m[0].length] === '(') return undefined;
    this.i += m[0].length;
    const fd = m[1] && /^\d+$/.test(m[1]) ? Number(m[1]) : undefined;
    this.blank();
    const target = this.readWord(false);
    if (!target) this.fail(`expected a word after "${m[2]}"`);
    if (m[2] === '<<' || m[2] === '<<-') {
      const quoted = /['"\\]/.test(target.raw);
      const delim = target.parts.map((p) => (p.t === 'lit' || p.t === 'glob' ? p.s : 'raw' in p ? p.raw : '')).join('');
      const r: { op: string; fd?: number; target: Word; body?: Word } = { op: m[2], fd, target };
      this.heredocs.push({ delim, quoted, strip: m[2] === '<<-', set: (b) => { r.body = b; } });
      return r;
    }
    return { op: m[2], fd, target };
  }

  private simple(): Node {
    const start = this.i;
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.blank();
      if (this.i >= this.s.length) break;
      const r = this.redirect();
      if (r) {
        redirs.push(r);
        continue;
      }
      const c = this.s[this.i];
      if (c === ';' || c === '&' || c === '|' || c === '\n' || c === ')') break;
      if (c === '(') this.fail('unexpected "("');
      if (words.length === 0) {
        const a = this.assignment();
        if (a) {
          assigns.push(a);
          continue;
        }
        if (this.atReserved([...RESERVED_END])) break;
      }
      if (words.length > 0 && DECLARATIONS.has(words[0].raw)) {
        // `declare -A m=([a]=1)`, `local a=(x y)`: an array value the guard does not follow (an opaque word).
        const at = this.i;
        const a = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=\(/.test(this.s.slice(this.i, this.i + 300)) ? this.assignment() : undefined;
        if (a) {
          const raw = this.s.slice(at, this.i);
          words.push({ parts: [{ t: 'lit', s: `${a.name}=`, quoted: false }, { t: 'glob', s: raw.slice(a.name.length + 1) }], raw });
          continue;
        }
      }
      const w = this.readWord(false);
      if (!w) this.fail(`unexpected "${c}"`);
      words.push(w);
    }
    if (words.length === 0 && assigns.length === 0 && redirs.length === 0) {
      this.fail(this.i < this.s.length ? `unexpected "${this.s[this.i]}"` : 'unexpected end of the line');
    }
    return { t: 'simple', assigns, words, redirs, raw: this.s.slice(start, this.i).trim() };
  }

  private assignment(): Assign | undefined {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/.exec(this.s.slice(this.i, this.i + 300));
    if (!m) return undefined;
    this.i += m[0].length;
    if (this.s[this.i] === '(') {
      // An array: `a=(x y)`.
      this.i++;
      const start = this.i;
      const elements: Word[] = [];
      for (;;) {
        this.blank(true);
        if (this.s[this.i] === ')') break;
        if (this.i >= this.s.length) this.fail('unterminated array');
        const w = this.readWord(false);
        if (!w) this.fail('unexpected character in an array');
        elements.push(w);
      }
      const raw = this.s.slice(start, this.i);
      this.i++;
      return { name: m[1], value: { parts: [], raw }, append: m[3] === '+', array: true, elements };
    }
    const value = this.readWord(false) ?? { parts: [], raw: '' };
    return { name: m[1], value, append: m[3] === '+', array: m[2] !== undefined };
  }

  /**
   * A word up to an unquoted metacharacter. `cond`: inside `[[ ]]` (`<`, `>` end words; `(` is allowed in
   * regexes but the guard only needs the expansions). `pattern`: a case pattern (`|` and `)` end it).
   */
  readWord(cond: boolean, pattern = false): Word | undefined {
    const s = this.s;
    const start = this.i;
    const parts: Part[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ t: 'lit', s: lit, quoted: false });
      lit = '';
    };
    let first = true;
    while (this.i < s.length) {
      const c = s[this.i];
      if (META.has(c)) {
        if ((c === '<' || c === '>') && s[this.i + 1] === '(' && !cond) {
          flush();
          parts.push(this.procsub());
          continue;
        }
        if (pattern && c === '(') this.fail('unexpected "(" in a case pattern');
        break;
      }
      if (c === '\\') {
        if (s[this.i + 1] === '\n') {
          this.i += 2;
          continue;
        }
        flush();
        if (this.i + 1 < s.length) parts.push({ t: 'lit', s: s[this.i + 1], quoted: true });
        this.i += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) this.fail('unterminated single quote');
        flush();
        parts.push({ t: 'lit', s: s.slice(this.i + 1, end), quoted: true });
        this.i = end + 1;
      } else if (c === '"') {
        flush();
        this.i++;
        parts.push(...this.dquoted('"', false));
        this.i++;
      } else if (c === '$' && s[this.i + 1] === "'") {
        flush();
        this.i += 2;
        parts.push({ t: 'lit', s: this.ansiC(), quoted: true });
      } else if (c === '$' && s[this.i + 1] === '"') {
        flush();
        this.i += 2;
        parts.push(...this.dquoted('"', false));
        this.i++;
      } else if (c === '$') {
        flush();
        parts.push(this.dollar(false));
      } else if (c === '`') {
        flush();
        parts.push(this.backquote(false));
      } else if (c === '~' && first) {
        // Tilde prefix: up to the first `/` (or the end).
        let j = this.i + 1;
        while (j < s.length && s[j] !== '/' && !META.has(s[j]) && !'\'"$`\\'.includes(s[j])) j++;
        flush();
        parts.push({ t: 'param', name: `~${s.slice(this.i + 1, j)}`, quoted: false, raw: s.slice(this.i, j) });
        this.i = j;
      } else if (c === '*' || c === '?' || c === '[' || (c === '{' && this.brace())) {
        flush();
        if (c === '{') {
          const end = this.braceEnd();
          parts.push({ t: 'glob', s: s.slice(this.i, end) });
          this.i = end;
        } else {
          parts.push({ t: 'glob', s: c });
          this.i++;
        }
      } else if ((c === '@' || c === '+' || c === '!') && s[this.i + 1] === '(' ) {
        // extglob: `@(a|b)`.
        flush();
        const end = this.matchParen(this.i + 1);
        parts.push({ t: 'glob', s: s.slice(this.i, end) });
        this.i = end;
      } else {
        lit += c;
        this.i++;
      }
      first = false;
    }
    flush();
    if (this.i === start) return undefined;
    return { parts, raw: s.slice(start, this.i) };
  }

  /** Whether a `{` here starts a brace expansion (`{a,b}`, `{1..3}`), which bash expands before anything else. */
  private brace(): boolean {
    const end = this.braceEnd();
    if (end <= this.i + 1) return false;
    const inner = this.s.slice(this.i + 1, end - 1);
    return /,/.test(inner) || /^-?\w+\.\.-?\w+(\.\.-?\d+)?$/.test(inner);
  }

  private braceEnd(): number {
    let depth = 0;
    for (let j = this.i; j < this.s.length && j < this.i + 4096; j++) {
      const c = this.s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (META.has(c) || c === '"' || c === "'" || c === '$' || c === '`') return this.i;
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return j + 1;
    }
    return this.i;
  }

  private matchParen(open: number): number {
    let depth = 0;
    for (let j = open; j < this.s.length; j++) {
      if (this.s[j] === '\\') j++;
      else if (this.s[j] === '(') depth++;
      else if (this.s[j] === ')' && --depth === 0) return j + 1;
    }
    return this.fail('unterminated "("');
  }

  /** `$'…'`: ANSI-C quoting, with the escapes bash decodes. */
  private ansiC(): string {
    const s = this.s;
    let out = '';
    while (this.i < s.length && s[this.i] !== "'") {
      const c = s[this.i];
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      this.i += 2;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b',
        f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(s.slice(this.i));
        if (m) {
          out += String.fromCodePoint(Math.min(parseInt(m[0], 16), 0x10ffff));
          this.i += m[0].length;
        } else out += `\\${e}`;
      } else if (e >= '0' && e <= '7') {
        const m = /^[0-7]{0,2}/.exec(s.slice(this.i))!;
        out += String.fromCharCode(parseInt(e + m[0], 8) & 0xff);
        this.i += m[0].length;
      } else if (e === 'c') {
        out += String.fromCharCode((s.charCodeAt(this.i) ?? 64) & 31);
        this.i++;
      } else out += `\\${e ?? ''}`;
    }
    if (this.i >= s.length) this.fail('unterminated $\'');
    this.i++;
    return out;
  }

  /** Inside double quotes (or a here-document body) up to `end`: `$`, backquotes and `\` before `$`, `` ` ``, `"`, `\`. */
  dquoted(end: string, heredoc: boolean): Part[] {
    const s = this.s;
    const parts: Part[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ t: 'lit', s: lit, quoted: true });
      lit = '';
    };
    while (this.i < s.length && s[this.i] !== end) {
      const c = s[this.i];
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n === '$' || n === '`' || n === '\\' || (n === '"' && !heredoc)) {
          lit += n;
          this.i += 2;
        } else {
          lit += c;
          this.i++;
        }
      } else if (c === '$' && s[this.i + 1] !== undefined && /[A-Za-z_{(0-9@*#?$!-]/.test(s[this.i + 1])) {
        flush();
        parts.push(this.dollar(true));
      } else if (c === '`') {
        flush();
        parts.push(this.backquote(true));
      } else {
        lit += c;
        this.i++;
      }
    }
    if (this.i >= s.length) this.fail('unterminated double quote');
    flush();
    if (parts.length === 0) parts.push({ t: 'lit', s: '', quoted: true });
    return parts;
  }

  /** `$…` at this.i: a parameter, `${…}`, `$(…)` or `$((…))`. */
  private dollar(quoted: boolean): Part {
    const s = this.s;
    const start = this.i;
    const n = s[this.i + 1];
    if (n === '(' && s[this.i + 2] === '(') {
      const end = this.arithEnd(this.i + 3);
      if (end > 0) {
        this.i = end;
        return { t: 'arith', quoted, raw: s.slice(start, end) };
      }
    }
    if (n === '(') {
      this.i += 2;
      this.enter();
      const body = this.list([]);
      this.blank(true);
      if (s[this.i] !== ')') this.fail('unterminated "$("');
      this.i++;
      this.depth--;
      return { t: 'cmdsub', body, quoted, raw: s.slice(start, this.i) };
    }
    if (n === '{') {
      const end = this.braceParam(this.i + 2);
      const inner = s.slice(this.i + 2, end);
      this.i = end + 1;
      const raw = s.slice(start, this.i);
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(:?[-=+?])?([\s\S]*)$/.exec(inner);
      if (m && (m[2] || m[3] === '')) {
        let arg: Word | undefined;
        if (m[2]) {
          this.enter();
          const sub = new Parser(m[3] + '\u0000');
          sub.depth = this.depth;
          this.depth--;
          arg = { parts: sub.dquoted('\u0000', true).map((p) => (p.t === 'lit' ? { ...p, quoted } : p)), raw: m[3] };
        }
        return { t: 'param', name: m[1], op: m[2], arg, quoted, raw };
      }
      // Any other operator (`${x#pre}`, `${#x}`, `${!x}`, `${x/a/b}`): a value the guard does not compute.
      return { t: 'param', name: m?.[1] ?? inner, op: 'other', quoted, raw };
    }
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(this.i, this.i + 300));
    if (m) {
      this.i += m[0].length;
      return { t: 'param', name: m[1], quoted, raw: m[0] };
    }
    this.i++;
    return { t: 'lit', s: '$', quoted };
  }

  /** The end of `$((…))` from just inside it, or -1 when it is really `$( (…) )`. */
  private arithEnd(from: number): number {
    let depth = 2;
    for (let j = from; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) return this.s[j - 1] === ')' ? j + 1 : -1;
        if (depth === 1 && this.s[j + 1] !== ')') return -1;
      }
    }
    return -1;
  }

  private braceParam(from: number): number {
    let depth = 1;
    for (let j = from; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '\\') j++;
      else if (c === "'" ) {
        const end = this.s.indexOf("'", j + 1);
        if (end < 0) break;
        j = end;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return j;
    }
    return this.fail('unterminated "${"');
  }

  /** `` `…` ``: the body with `\$`, `` \` `` and `\\` unescaped, parsed as a line. */
  private backquote(quoted: boolean): Part {
    const s = this.s;
    const start = this.i;
    let body = '';
    this.i++;
    while (this.i < s.length && s[this.i] !== '`') {
      if (s[this.i] === '\\' && '$`\\'.includes(s[this.i + 1] ?? '')) {
        body += s[this.i + 1];
        this.i += 2;
      } else if (quoted && s[this.i] === '\\' && s[this.i + 1] === '"') {
        body += '"';
        this.i += 2;
      } else body += s[this.i++];
    }
    if (this.i >= s.length) this.fail('unterminated backquote');
    this.i++;
    this.enter();
    const sub = new Parser(body);
    sub.depth = this.depth;
    const node = sub.list([]);
    sub.blank(true);
    if (sub.i < body.length) this.fail('cannot read the command in backquotes');
    this.depth--;
    return { t: 'cmdsub', body: node, quoted, raw: s.slice(start, this.i) };
  }

  private procsub(): Part {
    const start = this.i;
    this.i += 2;
    this.enter();
    const body = this.list([]);
    this.blank(true);
    if (this.s[this.i] !== ')') this.fail('unterminated process substitution');
    this.i++;
    this.depth--;
    return { t: 'procsub', body, raw: this.s.slice(start, this.i) };
  }
}
