// Command-line grammars as data, read the way each tool's own parser reads them. `parseArgs` walks Go's pflag
// (kubectl, oc, helm), GNU getopt_long (PostgreSQL tools), Python's argparse (aws) and Go's flag package
// (terraform). Three tools have parsers with quirks a shared walker would blur, proven against their binaries:
// MariaDB's my_getopt (case-insensitive names, `--a.host=`, chained `--skip-`/`--loose-` prefixes), redis-cli's
// hand-written loop (stops at the command, `-` refused, cluster mode) and mongosh's yargs configuration
// (no camel-case expansion, booleans eat `true`/`false`): their modules read argv with their own readers from the
// same `Grammar` data. Reading "the verb" as the first argument is how guards let `kubectl -n x delete …`
// through; reading `-tAc SQL` as one flag is how they let `psql -tAc 'DROP …'` through.

/** Whether a flag takes a value: never, always (next argument or attached), or only when attached (`--f=v`). */
export type ArgKind = 'none' | 'required' | 'optional';

/** One flag of a tool. */
export interface FlagDef {
  /** Canonical name the module asks for (usually the first long name). */
  readonly name: string;
  /** Long spellings without dashes (`context`, `kube-context`). */
  readonly long?: readonly string[];
  /** One-character spelling without the dash (`n`). */
  readonly short?: string;
  readonly arg: ArgKind;
  /** The value is a secret (password, token): masked wherever the command is shown. */
  readonly secret?: boolean;
  /** argparse `nargs='+'`: takes every following argument up to the next option. */
  readonly multi?: boolean;
  /** Matched only when spelled in full, never as an abbreviation (a wrapper's option, read before the tool). */
  readonly exactOnly?: boolean;
}

/** Which real parser a grammar follows (`mysql`, `redis` and `yargs` grammars are read by their modules). */
export type GrammarStyle = 'pflag' | 'getopt' | 'mysql' | 'argparse' | 'goflag' | 'redis' | 'yargs';


/** A tool's flags and the parser that reads them. */
export interface Grammar {
  readonly style: GrammarStyle;
  readonly flags: readonly FlagDef[];
  /** Unique prefixes of long names are accepted (getopt_long, argparse; `--comm` for `--command`). */
  readonly abbreviations?: boolean;
  /** Parsing stops at the first positional argument (Go's flag package, redis-cli, POSIXLY_CORRECT). */
  readonly stopAtPositional?: boolean;
  /** `_` and `-` are the same in long names (kubectl's normalizer, my_getopt). */
  readonly underscoreIsDash?: boolean;
}

/** One flag occurrence. */
export interface ParsedFlag {
  readonly name: string;
  /** The value; for `none` flags `'true'` (or what `=` gave); `undefined` for an optional flag given bare. */
  readonly value?: string;
  /** Index in argv of the flag token. */
  readonly index: number;
  /** Index in argv of the value when it is a separate argument, or the flag's own index when attached. */
  readonly valueIndex?: number;
}

/** An argv read by a grammar. */
export interface ParsedArgs {
  /** Every flag occurrence, in order (repeated flags appear repeatedly). */
  readonly flags: readonly ParsedFlag[];
  /** Positional arguments with their argv indices, including those after `--`. */
  readonly positionals: ReadonlyArray<{ readonly value: string; readonly index: number }>;
  /** How many positionals came before `--` (all of them when there was none). */
  readonly dashAt: number;
  /** Flags the grammar does not know (the real tool would usually refuse them). */
  readonly unknown: ReadonlyArray<{ readonly raw: string; readonly index: number }>;
  /** What the real parser would reject (a value missing at the end, an ambiguous prefix). */
  readonly errors: readonly string[];
  /** argv indices holding secret values. */
  readonly secrets: readonly number[];
}

/** How to treat flags the grammar does not know: the module may parse twice and take the worse reading. */
export interface ParseOptions {
  /** An unknown flag without `=` takes the next argument as its value (default: it takes none). */
  readonly unknownTakesValue?: boolean;
  /** `POSIXLY_CORRECT` and friends: stop at the first positional even for a permuting parser. */
  readonly stopAtPositional?: boolean;
}

interface Index {
  readonly long: Map<string, FlagDef>;
  readonly short: Map<string, FlagDef>;
  readonly longNames: readonly string[];
}

const indexCache = new WeakMap<Grammar, Index>();

function indexOf(g: Grammar): Index {
  let ix = indexCache.get(g);
  if (!ix) {
    const long = new Map<string, FlagDef>();
    const short = new Map<string, FlagDef>();
    for (const f of g.flags) {
      for (const l of f.long ?? []) long.set(g.underscoreIsDash ? l.replace(/_/g, '-') : l, f);
      if (f.short) short.set(f.short, f);
    }
    ix = { long, short, longNames: [...long.keys()] };
    indexCache.set(g, ix);
  }
  return ix;
}

/** Finds a long flag by exact name, else (when allowed) by unique prefix; `ambiguous` when several match. */
function findLong(g: Grammar, ix: Index, name: string): FlagDef | 'ambiguous' | undefined {
  const key = g.underscoreIsDash ? name.replace(/_/g, '-') : name;
  const exact = ix.long.get(key);
  if (exact) return exact;
  if (!g.abbreviations || key === '') return undefined;
  const defs = new Set<FlagDef>();
  for (const l of ix.longNames) if (l.startsWith(key) && !ix.long.get(l)!.exactOnly) defs.add(ix.long.get(l)!);
  if (defs.size === 1) return [...defs][0];
  return defs.size > 1 ? 'ambiguous' : undefined;
}

/** A negative number is a value, not a flag, for argparse and yargs. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** argparse never takes `-x` as the value of the flag before it; getopt and pflag do. */
function refusesDashValue(g: Grammar): boolean {
  return g.style === 'argparse';
}

function looksLikeFlag(a: string): boolean {
  return a.startsWith('-') && a.length > 1 && !NEGATIVE_NUMBER.test(a);
}

/**
 * Reads argv (without the tool name) as the tool's own parser does (pflag, getopt, argparse, goflag; the other
 * styles are read as getopt would, which their modules do not rely on). Never throws: what the real parser would
 * reject is reported in `errors` and `unknown`, and the module decides what that means (usually: ask).
 */
export function parseArgs(argv: readonly string[], g: Grammar, opts: ParseOptions = {}): ParsedArgs {
  const ix = indexOf(g);
  const flags: ParsedFlag[] = [];
  const positionals: Array<{ value: string; index: number }> = [];
  const unknown: Array<{ raw: string; index: number }> = [];
  const errors: string[] = [];
  const secrets: number[] = [];
  let dashAt = -1;
  const stop = opts.stopAtPositional ?? g.stopAtPositional ?? false;
  const add = (def: FlagDef, value: string | undefined, index: number, valueIndex?: number): void => {
    flags.push({ name: def.name, value, index, valueIndex });
    if (def.secret && valueIndex !== undefined) secrets.push(valueIndex);
  };
  const unknownFlag = (raw: string, i: number, attached: boolean): number => {
    unknown.push({ raw, index: i });
    if (!attached && opts.unknownTakesValue && i + 1 < argv.length) return i + 1;
    return i;
  };

  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      dashAt = positionals.length;
      for (let j = i + 1; j < argv.length; j++) positionals.push({ value: argv[j], index: j });
      break;
    }
    const isFlag = a.length > 1 && a.startsWith('-') && !(g.style === 'argparse' && NEGATIVE_NUMBER.test(a));
    if (!isFlag) {
      positionals.push({ value: a, index: i });
      if (stop) {
        for (let j = i + 1; j < argv.length; j++) positionals.push({ value: argv[j], index: j });
        break;
      }
      continue;
    }
    // Long flags; Go's flag package reads every flag this way (one or two dashes, no bundling, no abbreviation).
    if (a.startsWith('--') || g.style === 'goflag') {
      const body = a.replace(g.style === 'goflag' ? /^--?/ : /^--/, '');
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const def = g.style === 'goflag' ? ix.long.get(name) ?? ix.short.get(name) : findLong(g, ix, name);
      if (def === 'ambiguous') {
        errors.push(`${a}: ambiguous abbreviation`);
        unknown.push({ raw: a, index: i });
        continue;
      }
      if (!def) {
        i = unknownFlag(a, i, eq >= 0);
        continue;
      }
      if (eq >= 0) add(def, body.slice(eq + 1), i, i);
      else if (def.arg === 'none') add(def, 'true', i);
      else if (def.arg === 'optional') add(def, undefined, i);
      else if (def.multi) {
        let j = i + 1;
        const start = j;
        while (j < argv.length && !looksLikeFlag(argv[j])) j++;
        for (let k = start; k < j; k++) add(def, argv[k], i, k);
        if (j === start) errors.push(`${a} needs a value`);
        i = j - 1;
      } else if (i + 1 < argv.length && !(refusesDashValue(g) && looksLikeFlag(argv[i + 1]))) {
        add(def, argv[i + 1], i, i + 1);
        i++;
      } else errors.push(`${a} needs a value`);
      continue;
    }
    // One dash: short flags, possibly bundled (`-it`, `-tAc SQL`, `-sNe SQL`, `-pSECRET`).
    if (g.style === 'argparse') {
      const def = ix.short.get(a.slice(1, 2));
      if (!def) {
        i = unknownFlag(a, i, false);
        continue;
      }
      if (def.arg === 'none') add(def, 'true', i);
      else if (a.length > 2) add(def, a.slice(a[2] === '=' ? 3 : 2), i, i);
      else if (i + 1 < argv.length && !looksLikeFlag(argv[i + 1])) {
        add(def, argv[i + 1], i, i + 1);
        i++;
      } else errors.push(`${a} needs a value`);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      const def = ix.short.get(c);
      if (!def) {
        // The real parser stops here with "unknown option"; the rest of the token is unreadable.
        i = unknownFlag(`-${c}`, i, k + 1 < a.length);
        break;
      }
      const rest = a.slice(k + 1);
      if (g.style === 'pflag' && rest.startsWith('=') && def.arg !== 'required' && rest.length > 1) {
        add(def, rest.slice(1), i, i); // -i=false
        break;
      }
      if (def.arg === 'none') {
        add(def, 'true', i);
        continue;
      }
      if (def.arg === 'optional') {
        if (rest === '') add(def, undefined, i);
        else add(def, g.style === 'pflag' && rest.startsWith('=') ? rest.slice(1) : rest, i, i);
        break;
      }
      if (rest !== '') add(def, g.style === 'pflag' && rest.startsWith('=') ? rest.slice(1) : rest, i, i);
      else if (i + 1 < argv.length) {
        add(def, argv[i + 1], i, i + 1);
        i++;
      } else errors.push(`-${c} needs a value`);
      break;
    }
  }
  return { flags, positionals, dashAt: dashAt < 0 ? positionals.length : dashAt, unknown, errors, secrets };
}

/** The last value given to a flag (last one wins, as in every guarded tool), or undefined. */
export function lastValue(p: ParsedArgs, name: string): string | undefined {
  for (let k = p.flags.length - 1; k >= 0; k--) if (p.flags[k].name === name) return p.flags[k].value;
  return undefined;
}

/** The last occurrence of any of the names (for flags whose spellings are different flags in the grammar). */
export function lastFlag(p: ParsedArgs, ...names: string[]): ParsedFlag | undefined {
  for (let k = p.flags.length - 1; k >= 0; k--) if (names.includes(p.flags[k].name)) return p.flags[k];
  return undefined;
}

/** Every value of a flag, in order. */
export function allValues(p: ParsedArgs, name: string): string[] {
  return p.flags.filter((f) => f.name === name && f.value !== undefined).map((f) => f.value!);
}

/** Whether a flag was given at all. */
export function hasFlag(p: ParsedArgs, name: string): boolean {
  return p.flags.some((f) => f.name === name);
}

/** The value of a boolean flag as Go's strconv.ParseBool reads it; `undefined` when not given or invalid. */
export function goBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** The positional values before `--`. */
export function words(p: ParsedArgs): string[] {
  return p.positionals.slice(0, p.dashAt).map((x) => x.value);
}

/**
 * Flags from a compact getopt-like spec: space-separated entries `s,long,alias` with a suffix on the entry —
 * `=` takes a value, `=?` takes one only when attached, none is boolean; an empty short part (`,csv`) means
 * long only, a one-letter entry (`x`) short only. The name is the first long spelling, else the letter.
 */
export function flagsFromSpec(spec: string, secrets: readonly string[] = []): FlagDef[] {
  return spec.trim().split(/\s+/).map((entry) => {
    const arg: ArgKind = entry.endsWith('=?') ? 'optional' : entry.endsWith('=') ? 'required' : 'none';
    const body = entry.replace(/=\??$/, '');
    const [short, ...long] = body.split(',');
    const name = long[0] ?? short;
    return {
      name, arg, ...(short ? { short } : {}), ...(long.length ? { long } : {}),
      ...(secrets.includes(name) ? { secret: true } : {}),
    };
  });
}
