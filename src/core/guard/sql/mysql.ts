// The mysql/mariadb command-line client as a reader of SQL (client/mysql.cc: read_and_execute, add_line,
// find_command). The client reads line by line; it strips comments (except executable ones), tracks quotes
// (`'`, `"`, `` ` ``, with backslash escapes), sends the buffer at the delimiter (`;` until `delimiter` changes
// it), at `\g`/`\G`, and at the end of the input; `\X` anywhere outside quotes is a client command, and a line
// (or a statement) that starts with a command name (`use`, `source`, `system`, `delimiter`, `quit`…) is one.
import { type Finding, unsafeMysqlCharset } from './classify';
import { type Judge, type Origin, resolvePath } from './judge';
import { literalEnd } from './lexer';

/** The client's state across a script and the files it sources. */
export interface MysqlState {
  delimiter: string;
  readonly cwd: string | undefined;
  depth: number;
  /** `--named-commands` (`-G`): a line that starts with a command name is one even inside a statement. */
  readonly namedCommands?: boolean;
  /**
   * Sees every client command before it runs (the mysql tool module's target scan), with the text the client hands
   * the command: the line from the `\X` on, the whole line, or the buffered statement. Returning true means the
   * observer ran the command itself: the reader then does nothing more with it. Absent for the SQL judge.
   */
  readonly onCommand?: (name: string, raw: string) => boolean;
}

/** How a script ended: inside a quote that never closed (what follows it was sent as one broken statement). */
export interface MysqlEnd {
  readonly inString: boolean;
}

/** Long and short client commands, and whether they take an argument (mysql.cc `commands[]`). */
const COMMANDS: ReadonlyArray<readonly [name: string, short: string, params: boolean]> = [
  ['?', '?', true], ['clear', 'c', false], ['connect', 'r', true], ['delimiter', 'd', true], ['edit', 'e', false],
  ['ego', 'G', false], ['exit', 'q', false], ['go', 'g', false], ['help', 'h', true], ['nopager', 'n', false],
  ['notee', 't', false], ['nowarning', 'w', false], ['pager', 'P', true], ['print', 'p', false],
  ['prompt', 'R', true], ['quit', 'q', false], ['rehash', '#', false], ['source', '.', true],
  ['status', 's', false], ['system', '!', true], ['tee', 'T', true], ['use', 'u', true], ['charset', 'C', true],
  ['warnings', 'W', false],
];
const MAX_SOURCE_DEPTH = 16;
const NOT_AT_DELIMITER = new Set(['exit', 'quit', 'go', 'ego']);
/** Characters add_line treats specially outside quotes: `\`, quotes, `#`, `-`, `/`, `*`. */
const SPECIAL = new Uint8Array(128);
for (const ch of '\\\'"`#-/*') SPECIAL[ch.charCodeAt(0)] = 1;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** mysql.cc com_source: the file name is everything after the first space of the command (at most FN_REFLEN - 1
 * characters, up to a NUL), trailing whitespace and control characters cut, quotes kept; '' when there is none. */
function sourceFile(raw: string): string {
  let s = raw;
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let p = 0;
  while (p < s.length && isSpace(s[p])) p++;
  const sp = s.indexOf(' ', p);
  if (sp < 0) return '';
  p = sp;
  while (p < s.length && isSpace(s[p])) p++;
  let e = Math.min(s.length, p + 511);
  while (e > p && (s.charCodeAt(e - 1) <= 32 || s.charCodeAt(e - 1) === 127)) e--;
  return s.slice(p, e);
}

const BY_NAME = new Map(COMMANDS.map((c) => [c[0], c]));

/** The command a whole line (or buffered statement) names, as find_command(char *name) decides. */
function longCommand(line: string, delimiter: string): { name: string; params: boolean; arg: string } | undefined {
  let p = 0;
  while (p < line.length && isSpace(line[p])) p++;
  // The first word ends at a space or a tab (strcont(name, " \t")); command names are at most 9 letters.
  let e = p;
  while (e < line.length && e - p <= 9 && line[e] !== ' ' && line[e] !== '\t') e++;
  if (e === p || (e - p > 9 && e < line.length)) return undefined;
  const cmd = BY_NAME.get(line.slice(p, e).toLowerCase());
  if (!cmd) return undefined;
  const s = line.slice(p);
  if (s.includes('\\g')) return undefined;
  if (s.includes(delimiter) && !/^delimiter/i.test(s)) return undefined;
  const rest = s.slice(e - p).trim();
  if (rest !== '' && !cmd[2]) return undefined;
  return { name: cmd[0], params: cmd[2], arg: rest };
}

/** The first argument of a client command (get_arg): quoted, or up to whitespace. */
function firstArg(rest: string): string {
  const s = rest.trim();
  const q = s[0];
  if (q === "'" || q === '"' || q === '`') {
    let out = '';
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '\\' && i + 1 < s.length) { out += s[++i]; continue; }
      if (s[i] === q) break;
      out += s[i];
    }
    return out;
  }
  const m = /^\S*/.exec(s);
  return m ? m[0] : '';
}

/** Runs a script as the mysql client reads it (from `-e`, a file, stdin or `source`). */
export function runMysql(judge: Judge, text: string, origin: Origin, state: MysqlState): MysqlEnd {
  return new MysqlScript(judge, text, origin, state).run();
}

class MysqlScript {
  private buffer = '';
  private bufLine = 0;
  /** The open string's body offset in the text, and whether it holds a backslash. */
  private strStart = 0;
  private strBackslash = false;
  private inString = '';
  private mlComment = false;
  private line = 0;

  constructor(private readonly judge: Judge, private readonly text: string, private readonly origin: Origin,
    private readonly state: MysqlState) {}

  run(): MysqlEnd {
    const text = this.text;
    let start = 0;
    // A UTF-8 byte order mark at the start of the input is skipped.
    if (text.charCodeAt(0) === 0xfeff) start = 1;
    while (start <= text.length && !this.judge.stopped && !this.judge.quit) {
      let eol = text.indexOf('\n', start);
      if (eol < 0) eol = text.length;
      this.line++;
      if (eol > start || eol < text.length) this.readLine(text.slice(start, eol), start);
      start = eol + 1;
    }
    if (this.inString && this.strBackslash) this.judge.altSingle = true;
    if (!this.judge.stopped && !this.judge.quit && this.buffer.trim() !== '') this.send();
    // `quit` in a sourced file ends that file only: the client returns to the script that sourced it.
    this.judge.quit = false;
    return { inString: this.inString !== '' };
  }

  /** A string that held a backslash closed at `end`: would it close there if backslashes meant the opposite? */
  private alternative(q: number, end: number): void {
    // Decided once for the whole input: checking again would rescan (quadratic on many such strings).
    if (this.judge.altSingle) return;
    if (literalEnd(this.text, this.strStart, q, !this.judge.mode.backslash) !== end) this.judge.altSingle = true;
  }

  private readLine(line: string, at: number): void {
    if ((this.buffer === '' || this.state.namedCommands) && !this.mlComment && !this.inString) {
      const cmd = longCommand(line, this.state.delimiter);
      if (cmd) {
        this.command(cmd.name, cmd.arg, line.trim(), line);
        return;
      }
    }
    this.addLine(line, at);
  }

  private note(finding: Finding, statement: string): void {
    this.judge.note(finding, statement, { from: this.origin.from, source: this.origin.source, line: this.line }, 0);
  }

  private send(): void {
    const body = this.buffer;
    this.buffer = '';
    if (body.trim() === '') return;
    const line = this.bufLine || this.line;
    this.judge.serverText(body, { from: this.origin.from, source: this.origin.source, line });
  }

  private append(s: string): void {
    if (this.buffer === '') this.bufLine = this.line;
    this.buffer += s;
  }

  /** add_line: one line, character by character, with the client's quote and comment rules. */
  private addLine(line: string, at: number): void {
    const backslash = this.judge.mode.backslash;
    // What the line contributes to the buffer: finished pieces plus a pending run of kept characters.
    let out = '';
    let run = -1;
    let needSpace = false;
    let ssComment = false;
    const cut = (pos: number): void => {
      if (run >= 0) out += line.slice(run, pos);
      run = -1;
    };
    const flush = (pos: number): void => {
      cut(pos);
      if (out !== '') this.append(out);
      out = '';
    };
    const n = line.length;
    for (let pos = 0; pos < n; pos++) {
      let c = line.charCodeAt(pos);
      const empty = run < 0 && out === '' && this.buffer === '';
      if (empty && (c === 32 || (c >= 9 && c <= 13))) continue;
      const delim = this.state.delimiter;
      const d0 = delim.charCodeAt(0);
      // Fast path: ordinary characters inside a string or outside quotes and comments.
      if (!this.mlComment && !needSpace && run >= 0) {
        if (this.inString) {
          const q = this.inString.charCodeAt(0);
          while (pos < n && c !== q && c !== 92) c = line.charCodeAt(++pos);
        } else {
          while (pos < n && !SPECIAL[c] && c !== d0) c = line.charCodeAt(++pos);
        }
        if (pos >= n) break;
      }
      if (!this.mlComment && c === 92 && !(this.inString && !backslash)) {
        const next = line[pos + 1];
        if (next === undefined) break;
        const cmd = this.inString || next === 'N' ? undefined : COMMANDS.find((x) => x[1] === next);
        if (!cmd) {
          // Inside a string the backslash escapes; `\N` is NULL; an unknown `\X` stays in the text.
          if (this.inString) this.strBackslash = true;
          if (run < 0) run = pos;
          pos++;
          continue;
        }
        flush(pos);
        pos++;
        const rest = line.slice(pos + 1);
        let argEnd = rest.length;
        if (cmd[2]) {
          const d = ssComment ? rest.indexOf('*/') : rest.indexOf(delim);
          argEnd = d < 0 ? rest.length : d;
        }
        this.command(cmd[0], cmd[2] ? rest.slice(0, argEnd) : '', `\\${next}`, line.slice(pos - 1));
        if (this.judge.stopped || this.judge.quit) return;
        if (cmd[2]) pos += ssComment ? argEnd : Math.min(rest.length, argEnd + delim.length);
        continue;
      }
      if (!this.mlComment && !this.inString && c === d0 && line.startsWith(delim, pos)) {
        flush(pos);
        pos += delim.length - 1;
        // At a delimiter the buffered statement may name a command (`source f;`, `system ls;`, `status;`), except
        // the ones the 10.11 client sends to the server there instead (`exit;`, `quit;`, `go;`, `ego;`: a syntax
        // error), as observed with the real client.
        const cmd = this.buffer === '' ? undefined : longCommand(this.buffer, delim);
        if (cmd && !NOT_AT_DELIMITER.has(cmd.name)) {
          const raw = this.buffer;
          const statement = raw.trim();
          this.buffer = '';
          this.command(cmd.name, cmd.arg, statement, raw);
          if (this.judge.stopped || this.judge.quit) return;
        } else this.send();
        this.buffer = '';
        continue;
      }
      const c1 = pos + 1 < n ? line.charCodeAt(pos + 1) : -1;
      const c2s = pos + 2 < n ? line.charCodeAt(pos + 2) : 32;
      if (!this.mlComment && !this.inString && (c === 35 || (c === 45 && c1 === 45 &&
        (c2s === 32 || (c2s >= 9 && c2s <= 13) || empty)))) {
        // `#` and `-- ` comment out the rest of the line: `--` only before whitespace (my_isspace: `--` and a
        // control character is no comment to the client, which then splits at a `;` the server never sees
        // commented out), or at the start of a statement.
        cut(pos);
        break;
      }
      const c2 = pos + 2 < n ? line.charCodeAt(pos + 2) : -1;
      if (!this.inString && c === 47 && c1 === 42 && !(c2 === 33 || (c2 === 77 && line.charCodeAt(pos + 3) === 33))) {
        cut(pos);
        pos++;
        this.mlComment = true;
        continue;
      }
      if (this.mlComment) {
        if (c === 42 && c1 === 47) {
          pos++;
          // Inside an executable comment, the first `*/` ends the executable comment, not this one (mysql.cc).
          if (ssComment) ssComment = false;
          else {
            this.mlComment = false;
            needSpace = true;
          }
        } else {
          // Skip to the next possible end of the comment.
          const close = line.indexOf('*/', pos + 1);
          pos = (close < 0 ? n : close) - 1;
        }
        continue;
      }
      if (!this.inString && c === 47 && c1 === 42 && c2 === 33) ssComment = true;
      else if (!this.inString && ssComment && c === 42 && c1 === 47) ssComment = false;
      if (this.inString && c === this.inString.charCodeAt(0)) {
        this.inString = '';
        if (this.strBackslash) this.alternative(c, at + pos + 1);
      } else if (!this.inString && (c === 39 || c === 34 || c === 96)) {
        this.inString = line[pos];
        this.strStart = at + pos + 1;
        this.strBackslash = false;
      } else if (this.inString && c === 92) this.strBackslash = true;
      if (needSpace && !(c === 32 || (c >= 9 && c <= 13))) {
        cut(pos);
        out += ' ';
      }
      needSpace = false;
      if (run < 0) run = pos;
    }
    cut(n);
    if (out !== '' || this.buffer !== '') this.append(`${out}\n`);
  }

  private command(name: string, arg: string, shown: string, raw: string): void {
    const state = this.state;
    if (state.onCommand?.(name, raw)) return;
    const label = name === '?' ? 'help' : name;
    switch (name) {
      case 'exit': case 'quit':
        this.judge.quit = true;
        return;
      case 'clear':
        this.buffer = '';
        this.note({ code: 'readOnly', what: 'clear' }, shown);
        return;
      case 'go': case 'ego':
        this.send();
        return;
      case 'delimiter': {
        const d = firstArg(arg);
        if (d !== '' && !d.includes('\\')) state.delimiter = d;
        this.note({ code: 'readOnly', what: 'delimiter' }, `delimiter ${d}`);
        return;
      }
      case 'connect':
        if (arg.trim() !== '') this.note({ code: 'unknown', what: 'connect (changes the target mid-script)' }, shown);
        else this.note({ code: 'readOnly', what: 'connect' }, shown);
        return;
      case 'edit':
        this.note({ code: 'unknown', what: 'edit (an editor)' }, shown);
        return;
      case 'system':
        this.note({ code: 'unknown', what: 'system (a shell command)' }, shown.split(/\s/)[0]);
        return;
      case 'pager':
        if (arg.trim() !== '') this.note({ code: 'unknown', what: 'pager (a shell command)' }, 'pager');
        else this.note({ code: 'readOnly', what: 'pager' }, 'pager');
        return;
      case 'source':
        this.source(sourceFile(raw));
        return;
      case 'charset': {
        const cs = firstArg(arg);
        if (unsafeMysqlCharset(cs)) {
          const what = `charset ${cs} (a character set whose characters may end in a backslash)`;
          this.note({ code: 'unparseable', what }, `charset ${cs}`);
        } else this.note({ code: 'readOnly', what: 'charset' }, shown);
        return;
      }
      default:
        this.note({ code: 'readOnly', what: label }, label);
    }
  }

  private source(file: string): void {
    const judge = this.judge;
    const shown = `source ${file}`;
    if (!file) {
      // No file name: the client prints its usage.
      this.note({ code: 'readOnly', what: 'source (no file name)' }, 'source');
      return;
    }
    const path = resolvePath(file, this.state.cwd);
    const read = judge.options.readFile;
    if (!path || !read) {
      this.note({ code: 'unreadable', what: `${shown} (cannot be read by the guard)` }, shown);
      return;
    }
    if (this.state.depth >= MAX_SOURCE_DEPTH) {
      this.note({ code: 'unknown', what: `${shown} (sources nested too deeply)` }, shown);
      return;
    }
    const r = read(path);
    if (!r.ok) {
      this.note({ code: 'unreadable', what: `${shown}: ${r.message}` }, shown);
      return;
    }
    if (!judge.admit(r.text, (f) => this.note(f, shown))) return;
    this.state.depth++;
    runMysql(judge, r.text, { from: path, source: r.text }, this.state);
    this.state.depth--;
  }
}
