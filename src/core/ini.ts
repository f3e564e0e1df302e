/** One INI section with its keys and 1-based line numbers. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly values: Map<string, { value: string; line: number }>;
}

/**
 * Parses the AWS shared-config dialect of INI. A library (`ini`) would split dotted section names
 * (`[profile team.prod]`) into nested objects and drop line numbers, and does not know AWS's indented
 * sub-keys, so this small parser keeps exactly what the AWS CLI reads. Malformed lines are returned, not thrown.
 */
export function parseIni(text: string): { sections: IniSection[]; errors: Array<{ line: number; message: string }> } {
  const sections: IniSection[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  let current: IniSection | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = /^\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(line);
      if (!m || m[1] === '') {
        errors.push({ line: i + 1, message: `malformed section header: ${line.slice(0, 60)}` });
        current = undefined;
        continue;
      }
      current = { name: m[1], line: i + 1, values: new Map() };
      sections.push(current);
      continue;
    }
    // Indented lines continue the previous key (AWS nested values such as `s3 =\n  max_concurrency = 4`).
    if (/^\s/.test(raw) && current) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push({ line: i + 1, message: 'expected "key = value"' });
      continue;
    }
    if (!current) {
      errors.push({ line: i + 1, message: 'key outside of any [section]' });
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).replace(/\s[#;].*$/, '').trim();
    current.values.set(key, { value, line: i + 1 });
  }
  return { sections, errors };
}
