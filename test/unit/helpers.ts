import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Repository root (tests run from out/test/unit). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Absolute path of a file under test/fixtures. */
export function fixture(...parts: string[]): string {
  return path.join(ROOT, 'test', 'fixtures', ...parts);
}

/** A fresh temporary directory, removed after the current test file by `cleanup`. */
const made: string[] = [];
export function tempDir(prefix = 'pg-unit-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Writes files (relative path → content) under a directory, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

after(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * Asserts that something finished without hanging. Not a speed goal (those are measured by `npm run bench`): the
 * bound is ten times the 2 s decision budget, so a loaded CI machine passes while a quadratic or exponential path
 * (minutes on these inputs) fails.
 */
export function assertBounded(ms: number, what: string): void {
  if (ms >= 20_000) throw new Error(`${what}: ${Math.round(ms)} ms — it should finish in well under 2 s`);
}

/** Splits a test command line as a POSIX shell would (single and double quotes, backslashes). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      has = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; line[j] !== '"'; j++) {
        if (line[j] === '\\' && ['"', '\\', '$', '`'].includes(line[j + 1])) j++;
        cur += line[j];
      }
      i = j;
      has = true;
    } else if (c === '\\') {
      cur += line[++i];
      has = true;
    } else if (c === ' ') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** A deterministic pseudo-random generator (mulberry32), so a failing property case can be reproduced. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
