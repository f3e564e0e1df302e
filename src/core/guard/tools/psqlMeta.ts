// psql's `\c`/`\connect` meta-commands change where the rest of a script goes: `psql -h dev -c '\c app_prod'
// -c 'DROP …'` drops in app_prod. The guard finds them while resolving targets (before any classification),
// with a linear scan that knows where psql sees a backslash command: outside quotes, dollar quotes and
// comments, anywhere on a line.

/** One `\connect` found in a script, with its arguments as psql splits them. */
export interface ConnectCommand {
  /** Arguments after `\c`/`\connect` (quotes removed; `:var` substituted when known). */
  readonly args: readonly string[];
  /** 1-based line in its script. */
  readonly line: number;
  /** Set when an argument cannot be known without running anything (a backtick command). */
  readonly dynamic?: string;
}

/** Splits a meta-command's argument text the way psql does: whitespace, `'…'` (with `''`), `"…"`, backticks. */
function metaArgs(text: string, variables: Readonly<Record<string, string>>): { args: string[]; dynamic?: string } {
  const args: string[] = [];
  let i = 0;
  let dynamic: string | undefined;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length || text[i] === '\\') break;
    let arg = '';
    while (i < text.length && !/\s/.test(text[i]) && text[i] !== '\\') {
      const c = text[i];
      if (c === "'") {
        i++;
        while (i < text.length) {
          if (text[i] === "'" && text[i + 1] === "'") {
            arg += "'";
            i += 2;
          } else if (text[i] === "'") {
            i++;
            break;
          } else arg += text[i++];
        }
      } else if (c === '`') {
        const end = text.indexOf('`', i + 1);
        dynamic = 'a backtick (shell) command in \\connect';
        i = end < 0 ? text.length : end + 1;
      } else if (c === ':' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 65))!;
        const name = m[0];
        if (name in variables) arg += variables[name];
        else arg += `:${name}`;
        i += 1 + name.length;
      } else {
        arg += c;
        i++;
      }
    }
    args.push(arg);
  }
  return { args, dynamic };
}

/**
 * Finds every `\c`/`\connect` in a psql script (or a `-c` string), in order. Linear in the text: quotes,
 * `$tag$` bodies, `--` and nested block comments are skipped as psql's lexer skips them.
 */
export function findConnects(text: string, variables: Readonly<Record<string, string>> = {}, command = false):
  ConnectCommand[] {
  if (command) {
    // `psql -c`: all SQL for the server, or one backslash command (the rest of the string is ignored) — and
    // no `:var` substitution (checked with the real psql 15).
    const m = /^\s*\\(c|connect)(?![A-Za-z])/.exec(text);
    if (!m) return [];
    const rest = text.slice(m[0].length);
    const end = rest.indexOf('\\');
    const { args, dynamic } = metaArgs(end < 0 ? rest.split('\n')[0] : rest.slice(0, end).split('\n')[0], {});
    return [{ args, line: 1, ...(dynamic ? { dynamic } : {}) }];
  }
  const found: ConnectCommand[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\n') line++;
        i++;
      }
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else {
          if (text[i] === '\n') line++;
          i++;
        }
      }
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 66));
      if (m && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const end = text.indexOf(m[0], i + m[0].length);
        const stop = end < 0 ? n : end + m[0].length;
        for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
        i = stop;
      } else i++;
    } else if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(text.slice(i, i + 32));
      const name = m?.[1] ?? '';
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      if (name === 'c' || name === 'connect') {
        const { args, dynamic } = metaArgs(text.slice(i + 1 + name.length, end), variables);
        found.push({ args, line, ...(dynamic ? { dynamic } : {}) });
      }
      // The rest of the line belongs to this meta-command up to a `\\` separator or the next backslash command.
      const next = text.indexOf('\\', i + 1 + name.length);
      i = next >= 0 && next < end ? next : end;
    } else i++;
  }
  return found;
}
