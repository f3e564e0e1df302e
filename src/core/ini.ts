// INI files as Python's `configparser.RawConfigParser` reads them (strict mode, `=` and `:` delimiters, `#`/`;`
// whole-line comments, no inline comments, indented continuation lines, `[DEFAULT]`): the AWS CLI (v1 and v2)
// reads `~/.aws/config`, `~/.aws/credentials` and `~/.aws/cli/alias` this way. A library (`ini`) would split
// dotted section names (`[profile team.prod]`), drop line numbers and read indentation differently, so this
// small parser keeps exactly what the CLI reads. Errors are returned, never thrown; the parser keeps going after
// one so every bad line can be reported, but configparser (and so the CLI) refuses the whole file on any of them.

/** One INI section with its keys and 1-based line numbers. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly values: Map<string, { value: string; line: number }>;
}

/** A parsed INI file: its sections in file order, the `[DEFAULT]` keys, and every line configparser refuses. */
export interface IniFile {
  readonly sections: IniSection[];
  /** `[DEFAULT]` keys: configparser adds them to every section that lacks them. */
  readonly defaults: Map<string, { value: string; line: number }>;
  /** Any error makes configparser refuse the file (the AWS CLI then stops: "Unable to parse config file"). */
  readonly errors: Array<{ line: number; message: string }>;
}

/** Python's whitespace (`str.isspace`, `\s` in a str pattern): JavaScript's `\s` lacks \x1c-\x1f and \x85. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const NON_SPACE = new RegExp(`[^${PY_SPACE}]`);
/** configparser's OPTCRE: the first `=` or `:` splits name and value (`role_arn: arn:aws:…` is `role_arn`). */
const OPTION = new RegExp(`^(.*?)[${PY_SPACE}]*([=:])[${PY_SPACE}]*(.*)$`, 's');

function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

/**
 * Parses INI text the way `configparser.RawConfigParser().read()` does (Python 3.11): keys lower-cased, section
 * names kept exactly (`[ profile x ]` is the section " profile x "), values with continuation lines joined by
 * `\n`, repeated sections and keys refused. Linear in the text length.
 */
export function parseIni(text: string): IniFile {
  const sections: IniSection[] = [];
  const defaults: IniSection = { name: 'DEFAULT', line: 0, values: new Map() };
  const errors: Array<{ line: number; message: string }> = [];
  const seenSections = new Set<string>();
  const seenKeys = new Set<string>();
  // The value being read as lines (joined at the end), keyed like the section's map.
  const pending = new Map<IniSection, Map<string, string[]>>();
  let cur: IniSection | undefined;
  let key: string | undefined;
  let indent = 0;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const stripped = pyStrip(raw);
    const comment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = comment ? '' : stripped;
    if (value === '') {
      // An empty line (not a comment) belongs to the value being read, if one is: `key =\n\n  more`.
      if (!comment && cur && key) pending.get(cur)?.get(key)?.push('');
      continue;
    }
    const level = raw.search(NON_SPACE);
    if (cur && key && level > indent) {
      pending.get(cur)?.get(key)?.push(value);
      continue;
    }
    indent = level;
    const header = /^\[(.+)\]/.exec(value);
    if (header) {
      const name = header[1];
      key = undefined;
      if (name === 'DEFAULT') {
        cur = defaults;
        continue;
      }
      if (seenSections.has(name)) errors.push({ line: i + 1, message: `section [${name}] is repeated` });
      seenSections.add(name);
      cur = { name, line: i + 1, values: new Map() };
      sections.push(cur);
      continue;
    }
    if (!cur) {
      const message = value.startsWith('[') ? `malformed section header: ${value.slice(0, 60)}`
        : 'key outside of any [section]';
      errors.push({ line: i + 1, message });
      continue;
    }
    const m = OPTION.exec(value);
    if (!m || m[1] === '') {
      errors.push({ line: i + 1, message: 'expected "name = value"' });
      // configparser still records an empty name (and reads no continuation for it).
      key = m ? '' : key;
      if (!m) continue;
    }
    const name = m[1].replace(new RegExp(`[${PY_SPACE}]+$`), '').toLowerCase();
    const id = `${cur.name}\u0000${name}`;
    if (seenKeys.has(id)) errors.push({ line: i + 1, message: `"${name}" is repeated in [${cur.name}]` });
    seenKeys.add(id);
    let forSection = pending.get(cur);
    if (!forSection) pending.set(cur, (forSection = new Map()));
    forSection.set(name, [pyStrip(m[3])]);
    cur.values.set(name, { value: '', line: i + 1 });
    key = name;
  }
  for (const [section, values] of pending) {
    for (const [k, parts] of values) {
      const entry = section.values.get(k);
      if (entry) entry.value = parts.join('\n').replace(new RegExp(`[${PY_SPACE}]+$`), '');
    }
  }
  return { sections, defaults: defaults.values, errors };
}

/** Python's `shlex.split` (POSIX mode, no comments), or `undefined` where it raises (an open quote). */
export function shlexSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === '\\') {
      if (i + 1 >= s.length) return undefined;
      cur += s[++i];
      has = true;
    } else if (/[ \t\r\n]/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) return undefined;
  if (has) out.push(cur);
  return out;
}
