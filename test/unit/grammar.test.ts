import * as assert from 'assert';
import { flagsFromSpec, goBool, type Grammar, parseArgs } from '../../src/core/guard/grammar';

/** A row: argv, expected positionals, expected flags as `name=value` (`name` alone for an optional flag given bare). */
type Row = [string[], string[], string[], { errors?: number; unknown?: string[]; secrets?: number[] }?];

function check(g: Grammar, rows: Row[], opts: Parameters<typeof parseArgs>[2] = {}): void {
  for (const [argv, positionals, flags, extra] of rows) {
    it(`${g.style}: ${JSON.stringify(argv)}`, () => {
      const p = parseArgs(argv, g, opts);
      assert.deepStrictEqual(p.positionals.map((x) => x.value), positionals);
      assert.deepStrictEqual(p.flags.map((f) => (f.value === undefined ? f.name : `${f.name}=${f.value}`)), flags);
      assert.strictEqual(p.errors.length, extra?.errors ?? 0, `errors: ${p.errors.join('; ')}`);
      assert.deepStrictEqual(p.unknown.map((u) => u.raw), extra?.unknown ?? []);
      if (extra?.secrets) assert.deepStrictEqual(p.secrets, extra.secrets);
    });
  }
}

describe('grammar: Go pflag (kubectl)', () => {
  const g: Grammar = {
    style: 'pflag',
    underscoreIsDash: true,
    flags: [
      ...flagsFromSpec('n,namespace= ,context= s,server= i,stdin t,tty ,dry-run=? o,output= ,token= ,force'),
    ].map((f) => (f.name === 'token' ? { ...f, secret: true } : f)),
  };
  check(g, [
    [['-n', 'x', 'delete', 'pod', 'p'], ['delete', 'pod', 'p'], ['namespace=x']],
    [['-nx', 'get'], ['get'], ['namespace=x']],
    [['-n=x', 'get'], ['get'], ['namespace=x']],
    [['delete', '--context=prod', 'pod'], ['delete', 'pod'], ['context=prod']],
    [['--context', 'prod', 'delete'], ['delete'], ['context=prod']],
    [['--context', '--dry-run', 'delete'], ['delete'], ['context=--dry-run']], // pflag takes the next argument whatever it is
    [['--dry-run', 'delete', 'pod'], ['delete', 'pod'], ['dry-run']],
    [['--dry-run=none', 'delete'], ['delete'], ['dry-run=none']],
    [['--dry_run=0', 'delete'], ['delete'], ['dry-run=0']], // kubectl normalizes _ to -
    [['exec', '-it', 'p', '--', 'rm', '--context', 'x'], ['exec', 'p', 'rm', '--context', 'x'], ['stdin=true', 'tty=true']],
    [['-in', 'kube-system', 'get', 'delete'], ['get', 'delete'], ['stdin=true', 'namespace=kube-system']],
    [['-it=false', 'x'], ['x'], ['stdin=true', 'tty=false']],
    [['--force=false', 'delete'], ['delete'], ['force=false']],
    [['-sprod', 'get'], ['get'], ['server=prod']],
    [['get', '-n'], ['get'], [], { errors: 1 }],
    [['--bogus', 'delete'], ['delete'], [], { unknown: ['--bogus'] }],
    [['-q', 'delete'], ['delete'], [], { unknown: ['-q'] }],
    [['--token', 'abc', 'get'], ['get'], ['token=abc'], { secrets: [1] }],
    [['--token=abc', 'get'], ['get'], ['token=abc'], { secrets: [0] }],
    [['-', 'x'], ['-', 'x'], []],
  ]);
  it('unknown flags may be read as taking a value (the worse reading is the module\'s choice)', () => {
    const p = parseArgs(['--bogus', 'get', 'delete', 'pod'], g, { unknownTakesValue: true });
    assert.deepStrictEqual(p.positionals.map((x) => x.value), ['delete', 'pod']);
  });
});

describe('grammar: GNU getopt_long (psql)', () => {
  const g: Grammar = { style: 'getopt', abbreviations: true, flags: flagsFromSpec('c,command= d,dbname= t,tuples-only A,no-align ,csv ?,help=? h,host= v,set,variable= e,echo-queries E,echo-hidden') };
  check(g, [
    [['-tAc', 'DROP TABLE t', '-h', 'prod'], [], ['tuples-only=true', 'no-align=true', 'command=DROP TABLE t', 'host=prod']],
    [['-c', '-h'], [], ['command=-h']], // a required value is the next argument even when it looks like a flag
    [['-cDROP TABLE t'], [], ['command=DROP TABLE t']],
    [['--comm=DROP TABLE t'], [], ['command=DROP TABLE t']],
    [['--comm', 'x', 'db'], ['db'], ['command=x']],
    [['--c', 'x'], ['x'], [], { errors: 1, unknown: ['--c'] }], // ambiguous: command, csv
    [['--cs'], [], ['csv=true']],
    [['--help'], [], ['help']],
    [['--help=commands'], [], ['help=commands']],
    [['db', '-c', 'x', 'user'], ['db', 'user'], ['command=x']],
    [['--set', 'A=1', '--variable=B=2'], [], ['set=A=1', 'set=B=2']],
    [['--var', 'X=1'], [], ['set=X=1']],
    [['--', '-c', 'x'], ['-c', 'x'], []],
    [['-E', 'x'], ['x'], ['echo-hidden=true']],
  ]);
  it('POSIXLY_CORRECT stops at the first positional', () => {
    const p = parseArgs(['db', '-c', 'x'], g, { stopAtPositional: true });
    assert.deepStrictEqual(p.positionals.map((x) => x.value), ['db', '-c', 'x']);
  });
});

describe('grammar: argparse (aws)', () => {
  const g: Grammar = { style: 'argparse', abbreviations: true, flags: flagsFromSpec(',profile= ,region= ,debug ,instance-ids=') };
  g.flags.forEach((f) => f.name === 'instance-ids' && Object.assign(f, { multi: true }));
  check(g, [
    [['--prof', 'prod', 'ec2', 'describe-instances'], ['ec2', 'describe-instances'], ['profile=prod']],
    [['ec2', 'terminate-instances', '--instance-ids', 'i-1', 'i-2', '--profile=p'], ['ec2', 'terminate-instances'], ['instance-ids=i-1', 'instance-ids=i-2', 'profile=p']],
    [['--profile', '--debug'], [], ['debug=true'], { errors: 1 }], // argparse never takes `--x` as a value
    [['--region', '-1'], [], ['region=-1']],
  ]);
});

describe('grammar: Go flag (terraform)', () => {
  const g: Grammar = { style: 'goflag', stopAtPositional: true, flags: flagsFromSpec(',auto-approve ,var= ,destroy ,lock') };
  check(g, [
    [['-auto-approve', '--var', 'a=1', 'plan.tfplan'], ['plan.tfplan'], ['auto-approve=true', 'var=a=1']],
    [['-lock=false', 'x', '-destroy'], ['x', '-destroy'], ['lock=false']],
    [['-destroy=false'], [], ['destroy=false']],
    [['-nope'], [], [], { unknown: ['-nope'] }],
  ]);
});

describe('goBool reads booleans as Go strconv.ParseBool does', () => {
  const rows: Array<[string | undefined, boolean | undefined]> = [
    ['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true],
    ['0', false], ['f', false], ['F', false], ['FALSE', false], ['false', false], ['False', false],
    ['yes', undefined], ['tRuE', undefined], ['', undefined], [undefined, undefined],
  ];
  for (const [v, b] of rows) it(String(v), () => assert.strictEqual(goBool(v), b));
});
