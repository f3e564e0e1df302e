// helm (v3.19 and v4 documentation; helm is not installable here, so there is no oracle test: the flags are the
// documented ones of helm.sh/docs/helm). helm parses like kubectl (cobra + pflag) but does not treat `_` as `-`.
// Target: `--kube-context` else HELM_KUBECONTEXT, `--kube-apiserver` else HELM_KUBEAPISERVER, `--kubeconfig`
// else KUBECONFIG, `-n` else HELM_NAMESPACE; the token (`--kube-token`, HELM_KUBETOKEN) is a secret. helm reads
// the global flags twice (an early pflag pass over the whole line, then cobra's): both readings are targets.
// Where the docs are silent, helm's source (pkg/cmd/root.go, flags.go) is the reference.
import { type FlagDef, flagsFromSpec, goBool, lastFlag, type ParsedArgs, parseArgs } from '../grammar';
import type { Problem } from '../../types';
import {
  type GuardTarget, type ShimFastPath, type ToolAnalysis, type ToolContext, type ToolModule, verdict, type Verdict,
  worstVerdict,
} from '../types';
import { buildTree, type Cmd, findCommands, type Tree } from './kubectl';
import { type KubeSelection, newKubeCache, resolveKube, type Sourced } from './kubeTarget';

/**
 * helm's global flags (`helm --help`, v3.19; `--content-cache`, `--color` from v4), then the hidden ones of
 * `addKlogFlags`: klog/v2's `InitFlags` with `_` turned into `-`, through pflag's PFlagFromGoFlag (Go booleans
 * take a value only with `=`, the one-letter `v` is also `-v`).
 */
export const HELM_GLOBAL_SPEC = `,burst-limit= ,debug ,kube-apiserver= ,kube-as-group= ,kube-as-user= ,kube-ca-file=
  ,kube-context= ,kube-insecure-skip-tls-verify ,kube-tls-server-name= ,kube-token= ,kubeconfig= n,namespace= ,qps=
  ,registry-config= ,repository-cache= ,repository-config= ,content-cache= ,color= ,colour=
  ,log-dir= ,log-file= ,log-file-max-size= ,logtostderr ,alsologtostderr v,v= ,add-dir-header ,skip-headers
  ,one-output ,skip-log-headers ,stderrthreshold= ,vmodule= ,log-backtrace-at=`;

const VALUES = 'f,values= ,set= ,set-string= ,set-file= ,set-json= ,set-literal=';
const CHART = `,version= ,verify ,keyring= ,repo= ,username= ,password= ,cert-file= ,key-file= ,insecure-skip-tls-verify
  ,plain-http ,ca-file= ,pass-credentials ,devel`;
const INSTALL = `,create-namespace ,dry-run=? ,force ,no-hooks ,replace ,timeout= ,wait=? ,wait-for-jobs g,generate-name
  ,name-template= ,description= ,dependency-update ,disable-openapi-validation ,atomic ,skip-crds
  ,render-subchart-notes l,labels= ,enable-dns ,hide-notes ,hide-secret ,skip-schema-validation ,take-ownership
  ,rollback-on-failure ,server-side=? ,force-conflicts ,force-replace o,output= ,post-renderer= ,post-renderer-args=
  ${VALUES} ${CHART}`;
const GET = ',revision= o,output= a,all ,template=';
const REPO_AUTH = ',username= ,password= ,password-stdin ,cert-file= ,key-file= ,ca-file= ,insecure-skip-tls-verify';

/** Each command's own flags (helm.sh docs, v3.19), in `flagsFromSpec` form. */
export const HELM_COMMANDS: Readonly<Record<string, string>> = {
  install: INSTALL,
  upgrade: `${INSTALL} i,install ,reuse-values ,reset-values ,reset-then-reuse-values ,history-max= ,cleanup-on-fail
    ,max-history=`,
  uninstall: ',dry-run ,keep-history ,no-hooks ,timeout= ,wait=? ,cascade= ,description= ,ignore-not-found',
  rollback: ',cleanup-on-fail ,dry-run ,force ,history-max= ,no-hooks ,recreate-pods ,timeout= ,wait=? ,wait-for-jobs',
  test: ',filter= ,logs ,timeout= ,hide-notes',
  template: `${INSTALL} a,api-versions= ,include-crds ,is-upgrade ,kube-version= ,output-dir= ,release-name
    s,show-only= ,skip-tests ,validate`,
  list: `a,all A,all-namespaces d,date ,deployed ,failed ,filter= m,max= ,no-headers ,offset= o,output= ,pending
    r,reverse l,selector= q,short ,superseded ,time-format= ,uninstalled ,uninstalling`,
  status: ',revision= o,output= ,show-desc ,show-resources', history: ',max= o,output=',
  get: '', 'get all': GET, 'get hooks': GET, 'get manifest': GET, 'get metadata': GET, 'get notes': GET,
  'get values': GET,
  show: '', 'show all': `,jsonpath= ${CHART}`, 'show chart': CHART, 'show crds': CHART, 'show readme': CHART,
  'show values': `,jsonpath= ${CHART}`,
  search: '', 'search hub': ',endpoint= ,fail-on-no-result ,list-repo-url ,max-col-width= o,output=',
  'search repo': ',devel ,fail-on-no-result ,max-col-width= o,output= r,regexp ,version= l,versions',
  repo: '', 'repo add': `,allow-deprecated-repos ,force-update ,no-update ,pass-credentials ,timeout= ${REPO_AUTH}`,
  'repo index': ',merge= ,url= ,json', 'repo list': 'o,output=', 'repo remove': '',
  'repo update': ',fail-on-repo-update-fail',
  dependency: '', 'dependency build': ',keyring= ,skip-refresh ,verify', 'dependency list': ',max-col-width=',
  'dependency update': ',keyring= ,skip-refresh ,verify',
  plugin: '', 'plugin install': ',version= ,verify ,keyring=', 'plugin list': '', 'plugin uninstall': '',
  'plugin update': '',
  registry: '',
  'registry login': ',insecure ,plain-http u,username= p,password= ,password-stdin ,cert-file= ,key-file= ,ca-file=',
  'registry logout': '',
  pull: `${CHART} d,destination= ,prov ,untar ,untardir=`,
  push: ',ca-file= ,cert-file= ,key-file= ,insecure-skip-tls-verify ,plain-http ,username= ,password=',
  package: ',app-version= u,dependency-update d,destination= ,key= ,keyring= ,passphrase-file= ,sign ,version=',
  lint: `${VALUES} ,quiet ,strict ,with-subcharts ,kube-version= ,skip-schema-validation`,
  create: 'p,starter=', env: '', version: ',client ,short ,template=', verify: ',keyring=', completion: '',
  'completion bash': ',no-descriptions', 'completion zsh': ',no-descriptions', 'completion fish': ',no-descriptions',
  'completion powershell': ',no-descriptions', help: '',
  // The helm-diff plugin: `helm diff upgrade …` renders and compares, never applies.
  diff: '',
};

const HELM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  list: ['ls'], history: ['hist'], uninstall: ['un', 'delete', 'del'], pull: ['fetch'],
  dependency: ['dep', 'dependencies'], show: ['inspect'], 'repo list': ['ls'], 'repo remove': ['rm'],
  'plugin list': ['ls'], 'plugin uninstall': ['rm', 'remove'],
};

type Kind = 'read' | 'local' | 'help' | 'write' | 'delete' | 'group';

/** What each command does: reads pass, release changes ask. */
const KIND: Readonly<Record<string, Kind>> = {
  install: 'write', upgrade: 'write', rollback: 'write', test: 'write', uninstall: 'delete',
  template: 'read', list: 'read', status: 'read', history: 'read', get: 'group', show: 'group', search: 'group',
  lint: 'read', version: 'read', env: 'read', verify: 'read', diff: 'read',
  repo: 'group', dependency: 'group', plugin: 'group', registry: 'group', pull: 'local', push: 'local',
  package: 'local',
  create: 'local', completion: 'help', help: 'help',
};

function kindOf(path: string): Kind | undefined {
  if (KIND[path]) return KIND[path];
  const top = path.split(' ')[0];
  if (['get', 'show', 'search'].includes(top)) return 'read';
  if (['repo', 'dependency', 'plugin', 'registry'].includes(top)) return 'local';
  if (top === 'completion') return 'help';
  return undefined;
}

const TREE: Tree = buildTree(HELM_COMMANDS, HELM_ALIASES, HELM_GLOBAL_SPEC, new Set(), ['password', 'kube-token'],
  false);

/** helm's dry run: install/upgrade take `client|server|true` (bare = client); uninstall/rollback are booleans. */
export function helmDryRun(path: string, p: ParsedArgs): boolean {
  const f = lastFlag(p, 'dry-run');
  if (!f) return false;
  if (path === 'install' || path === 'upgrade' || path === 'template') {
    return f.value === undefined || f.value === 'client' || f.value === 'server' || f.value === 'true';
  }
  return goBool(f.value ?? 'true') === true;
}

function boolFlag(p: ParsedArgs, name: string): boolean {
  const f = lastFlag(p, name);
  return !!f && goBool(f.value ?? 'true') === true;
}

function judge(cmd: Cmd, p: ParsedArgs, unknownWord: string | undefined): Verdict {
  const verb = `helm ${cmd.path}`.trim();
  if (boolFlag(p, 'help')) return verdict('noEffect', `${verb} --help`);
  if (cmd.path === '') {
    if (unknownWord === undefined) return verdict('noEffect', 'helm (prints help)');
    return verdict('unknown', `helm ${unknownWord}: not a helm command (a plugin or a typo)`);
  }
  const kind = kindOf(cmd.path);
  if (kind === 'group') {
    if (unknownWord === undefined) return verdict('noEffect', `${verb} (prints help)`);
    // Every helm group's subcommands read or stay local: an unknown word there only prints the group's help.
    const sub = kindOf(`${cmd.path} ${unknownWord}`);
    if (sub === 'read') return verdict('readOnly', `${verb} ${unknownWord}`);
    if (sub === 'local' || sub === 'help') return verdict('localOnly', `${verb} ${unknownWord}`);
    return verdict('unknown', `${verb} ${unknownWord}: not a known subcommand`);
  }
  switch (kind) {
    case 'read': return verdict('readOnly', verb);
    case 'local': return verdict('localOnly', verb);
    case 'help': return verdict('noEffect', verb);
    case undefined: return verdict('unknown', `${verb}: not in the guard's table`);
    default: break;
  }
  if (helmDryRun(cmd.path, p)) return verdict('noEffect', `${verb} --dry-run`);
  if (kind === 'delete') return verdict('destructive', verb);
  if (cmd.path === 'upgrade' && boolFlag(p, 'force')) {
    return verdict('mutating', `${verb} --force (replaces resources)`);
  }
  return verdict('mutating', verb);
}

/** `--set key=value` flags: a value is masked when its key looks like a credential. */
const SECRET_KEY = /pass|secret|token|key|credential|auth|private|cert/i;
const SET_FLAGS = ['set', 'set-string', 'set-literal', 'set-json'];

function secretIndices(p: ParsedArgs): number[] {
  const out = [...p.secrets];
  for (const f of p.flags) {
    if (f.valueIndex === undefined || f.value === undefined) continue;
    if (SET_FLAGS.includes(f.name) && SECRET_KEY.test(f.value)) out.push(f.valueIndex);
  }
  return out;
}

function fromFlagOrEnv(p: ParsedArgs, flag: string, env: string, ctx: ToolContext): Sourced | undefined {
  const f = lastFlag(p, flag);
  if (f && f.value !== undefined) return { value: f.value, source: `--${flag} flag` };
  const v = ctx.env[env];
  return v !== undefined && v !== '' ? { value: v, source: `env:${env}` } : undefined;
}

const GLOBAL_FLAGS = flagsFromSpec(HELM_GLOBAL_SPEC, ['kube-token']);
const GLOBAL_LONG = new Map(GLOBAL_FLAGS.flatMap((d) => (d.long ?? []).map((l) => [l, d] as const)));
const GLOBAL_SHORT = new Map(GLOBAL_FLAGS.filter((d) => d.short).map((d) => [d.short!, d] as const));

/**
 * helm's early parse (newRootCmdWithConfig: `flags.ParseErrorsAllowlist.UnknownFlags = true; flags.Parse(args)`):
 * before cobra finds the command, pflag reads the whole command line with the global flags only and sets helm's
 * settings; the command's own parse later changes only those it sees again. So `uninstall r --description
 * --kube-apiserver=URL` reaches URL although the command's parse reads it as the description. An unknown flag
 * takes the next word only when it does not start with `-` (stripUnknownFlagValue); `--help`/`-h` (not defined
 * yet), a missing value, an invalid boolean or bad syntax end the parse. Returns each flag's last value and the
 * argv indices of secret values (`--kube-token`) it read.
 */
export function helmEarlyGlobals(argv: readonly string[]): { values: Map<string, string>; secrets: number[] } {
  const out = new Map<string, string>();
  const secrets: number[] = [];
  const done = { values: out, secrets };
  const set = (def: FlagDef, value: string, at: number): void => {
    out.set(def.name, value);
    if (def.secret) secrets.push(at);
  };
  const skipUnknownValue = (i: number): number => (i + 1 < argv.length && !argv[i + 1].startsWith('-') ? i + 1 : i);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.length < 2 || !a.startsWith('-')) continue;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const body = a.slice(2);
      if (body[0] === '-' || body[0] === '=') return done; // bad flag syntax
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const def = GLOBAL_LONG.get(name);
      if (!def) {
        if (name === 'help') return done;
        if (eq < 0) i = skipUnknownValue(i);
        continue;
      }
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (def.arg !== 'required') value = 'true';
      else if (i + 1 < argv.length) value = argv[++i];
      else return done;
      if (def.arg === 'none' && goBool(value) === undefined) return done;
      set(def, value, i);
      continue;
    }
    const token = i;
    for (let sh = a.slice(1); sh.length > 0;) {
      const def = GLOBAL_SHORT.get(sh[0]);
      const attached = sh.length > 2 && sh[1] === '=';
      if (!def) {
        if (sh[0] === 'h') return done;
        if (attached) break;
        i = skipUnknownValue(i); // every unknown letter of a bundle may drop the next word
        sh = sh.slice(1);
        continue;
      }
      let value: string;
      let at = token;
      if (attached) [value, sh] = [sh.slice(2), ''];
      else if (def.arg !== 'required') [value, sh] = ['true', sh.slice(1)];
      else if (sh.length > 1) [value, sh] = [sh.slice(1), ''];
      else if (i + 1 < argv.length) [value, sh, at] = [argv[++i], '', i];
      else return done;
      if (def.arg === 'none' && goBool(value) === undefined) return done;
      set(def, value, at);
    }
  }
  return done;
}

/** The flags whose value the early parse may set behind the command's parse, and their selection fields. */
const EARLY: ReadonlyArray<readonly [string, 'kubeconfig' | 'context' | 'server' | 'namespace']> = [
  ['kubeconfig', 'kubeconfig'], ['kube-context', 'context'], ['kube-apiserver', 'server'], ['namespace', 'namespace'],
];

/** Reads one helm command line (without the tool name). */
export function analyzeHelm(argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const finds = findCommands(TREE, argv);
  const early = helmEarlyGlobals(argv);
  const verdicts: Verdict[] = [];
  if (finds.truncated) {
    verdicts.push(verdict('unparseable', 'helm: too many ways to read the flags before the command'));
  }
  const targets = new Map<string, GuardTarget>();
  const problems: Problem[] = [];
  const secrets = new Set<number>(early.secrets);
  const seen = new Set<string>();
  const cache = newKubeCache();
  const resolve = (sel: KubeSelection): void => {
    const key = JSON.stringify(sel);
    if (seen.has(key)) return;
    seen.add(key);
    const r = resolveKube(sel, ctx, cache);
    for (const t of r.targets) targets.set(JSON.stringify([t.name, t.source, t.identifiers, t.unresolved ?? '']), t);
    for (const pr of r.problems) {
      if (!problems.some((x) => x.source === pr.source && x.message === pr.message)) problems.push(pr);
    }
  };
  for (const found of finds.found) {
    const view = found.kept.map((i) => argv[i]);
    const first = parseArgs(view, found.cmd.grammar);
    const parses = first.unknown.length > 0
      ? [first, parseArgs(view, found.cmd.grammar, { unknownTakesValue: true })] : [first];
    for (const p of parses) {
      verdicts.push(judge(found.cmd, p, found.unknownWord));
      for (const i of secretIndices(p)) secrets.add(found.kept[i]);
      const kubeconfig = lastFlag(p, 'kubeconfig');
      const sel: KubeSelection = {
        kubeconfig: kubeconfig?.value !== undefined
          ? { value: kubeconfig.value, source: '--kubeconfig flag' } : undefined,
        context: fromFlagOrEnv(p, 'kube-context', 'HELM_KUBECONTEXT', ctx),
        server: fromFlagOrEnv(p, 'kube-apiserver', 'HELM_KUBEAPISERVER', ctx),
        namespace: fromFlagOrEnv(p, 'namespace', 'HELM_NAMESPACE', ctx),
      };
      resolve(sel);
      // What the early parse set and this parse did not see stays in force: another target.
      const overridden: Record<string, Sourced> = {};
      for (const [flag, field] of EARLY) {
        const v = early.values.get(flag);
        if (v !== undefined && !lastFlag(p, flag)) {
          overridden[field] = { value: v, source: `--${flag} flag (helm's early global-flag parse)` };
        }
      }
      if (Object.keys(overridden).length > 0) resolve({ ...sel, ...overridden });
    }
  }
  const worst = worstVerdict(verdicts, verdict('unknown', 'helm: nothing to judge'));
  const found = finds.found[0];
  return {
    verb: found.cmd.path || found.unknownWord || '', targets: [...targets.values()], problems, readsStdin: false,
    secretArgs: [...secrets].sort((a, b) => a - b), judge: () => worst,
  };
}

function fastPath(): ShimFastPath {
  const valueFlags: string[] = [];
  const booleanFlags: string[] = [];
  for (const f of TREE.grammar.flags) {
    const spellings = [...(f.long ?? []).map((l) => `--${l}`), ...(f.short ? [`-${f.short}`] : [])];
    if (f.arg === 'required') valueFlags.push(...spellings);
    else if (f.arg === 'none') booleanFlags.push(...spellings.filter((s) => s !== '-h' && s !== '--help'));
  }
  const readOnlyVerbs = ['list', 'ls', 'status', 'get', 'history', 'hist', 'show', 'inspect', 'template', 'search',
    'lint',
    'version', 'env', 'verify', 'repo', 'dependency', 'dep', 'dependencies', 'pull', 'fetch', 'package', 'create',
    'completion', 'help', 'diff'];
  return { valueFlags, booleanFlags, readOnlyVerbs };
}

/** helm. */
export const helmModule: ToolModule = {
  tools: ['helm'],
  analyze: (_tool, argv, ctx) => analyzeHelm(argv, ctx),
  fastPath: { helm: fastPath() },
};
