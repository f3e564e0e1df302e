/** Flags of a tool that take a value (`--context X`, `--context=X`, `-n X`, `-nX`). */
export interface FlagSpec {
  /** Long flags that take a value, without dashes: `context`, `namespace`. */
  readonly long: ReadonlySet<string>;
  /** Short flags that take a value, without the dash: `n`, `c`. */
  readonly short: ReadonlySet<string>;
  /** Go-style tools (terraform) write single-dash long flags: `-chdir=DIR`. */
  readonly singleDashLong?: boolean;
}

/** An argv split into flags (last value wins, all values kept) and positionals, wherever the flags stand. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Every value of every flag, by name without dashes (`context` → ['a', 'b']). Boolean flags get `''`. */
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

/**
 * Splits argv the way the tools' own parsers do: flags may come before or after the verb, `--flag=value` and
 * `--flag value` are the same, `--` ends the flags. Reading the verb as "the first argument" is how existing
 * guards let `kubectl -n x delete …` slip through.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    const list = flags.get(k) ?? [];
    list.push(v);
    flags.set(k, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (spec.singleDashLong && a.startsWith('-') && a.length > 2)) {
      const body = a.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq >= 0) add(body.slice(0, eq), body.slice(eq + 1));
      else if (spec.long.has(body) && i + 1 < argv.length) add(body, argv[++i]);
      else add(body, '');
    } else if (a.startsWith('-') && a.length > 1) {
      const letter = a[1];
      if (spec.short.has(letter)) {
        if (a.length > 2) add(letter, a.slice(a[2] === '=' ? 3 : 2));
        else if (i + 1 < argv.length) add(letter, argv[++i]);
        else add(letter, '');
      } else {
        // Bundled boolean short flags (`-it`): each letter is a flag.
        for (const c of a.slice(1)) add(c, '');
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags };
}

/** The last value of any of the given flag names (`context`, or `n`/`namespace`). */
export function flagValue(parsed: ParsedArgs, ...names: string[]): string | undefined {
  let found: string | undefined;
  for (const n of names) {
    const v = parsed.flags.get(n);
    if (v && v.length > 0) found = v[v.length - 1];
  }
  return found;
}

/** Every value of the given flags, in order (`-c` may repeat). */
export function flagValues(parsed: ParsedArgs, ...names: string[]): string[] {
  return names.flatMap((n) => [...(parsed.flags.get(n) ?? [])]);
}

/** Whether a flag was given at all. */
export function hasFlag(parsed: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => parsed.flags.has(n));
}
