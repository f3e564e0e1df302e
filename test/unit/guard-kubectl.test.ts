import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { decide, type GuardDecision } from '../../src/core/guard/decide';
import { maskedCommand } from '../../src/core/guard/explain';
import { findCommands, kubectlModule, kubectlTree } from '../../src/core/guard/tools/kubectl';
import { asks, type VerdictCode } from '../../src/core/guard/types';
import { assertBounded, fixture, rng, tempDir, writeTree } from './helpers';

const FIX = (name: string): string => fixture('kubectl', name);
const home = tempDir('kube-home-');
const cwd = tempDir('kube-cwd-');
writeTree(home, { '.kube/config': fs.readFileSync(FIX('kubeconfig.yaml')) });
const bare = tempDir('kube-bare-'); // a home without any kubeconfig
const KUBERC = FIX('kuberc.yaml');
const PROD = 'https://api.prod.example.com:6443';
const ctxOf = (env: NodeJS.ProcessEnv = {}, h = home) => ({ env, home: h, cwd, files: nodeFiles });
const list = (...names: string[]): string => names.map(FIX).join(path.delimiter);

/** Splits a command line like a shell would for these rows: spaces, '…' and "…" quoting. */
function split(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let any = false;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (c === ' ') {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}

function run(line: string, env: NodeJS.ProcessEnv = {}, h = home): GuardDecision {
  return decide(split(line), { env, home: h, cwd, files: nodeFiles, judgeAlways: true });
}

/** A row: command line, expected verdict code, expected deciding target name ('' = do not check). */
type Row = [string, VerdictCode, string];

function table(title: string, rows: Row[], env: NodeJS.ProcessEnv = {}, h = home): void {
  describe(title, () => {
    for (const [line, code, target] of rows) {
      it(`${line} → ${code}${target ? ` @ ${target}` : ''}`, () => {
        const d = run(line, env, h);
        assert.strictEqual(d.verdict?.code, code, `verdict: ${JSON.stringify(d.verdict)}`);
        if (target) assert.strictEqual(d.target?.name, target, `targets: ${d.targets.map((t) => t.name).join(', ')}`);
      });
    }
  });
}

table('kubectl reads never ask', [
  ['kubectl get pods', 'readOnly', 'dev'],
  ['kubectl get pods -A -o wide', 'readOnly', 'dev'],
  ['kubectl --context prod-eu get pods', 'readOnly', 'prod-eu'],
  ['kubectl get deploy,svc -l app=web --context=prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl get --raw /api/v1/namespaces', 'readOnly', 'dev'],
  ['kubectl get pods --watch --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl describe pod web-1 --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl logs -f deploy/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl logs web-1 -c app --previous --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl top pod --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl top pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl top no --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl top node --sort-by=cpu --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl wait --for=condition=Ready pod/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl wait --for=delete pod/web --timeout=60s --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl rollout status deploy/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl rollout history deploy/web --revision=3 --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl auth can-i delete pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl auth can-i --list --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl auth whoami --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl events --for pod/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl explain deployment.spec --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl api-resources --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl api-versions --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl version --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl cluster-info --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl cluster-info dump --output-directory /tmp/x --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl diff -f app.yaml --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl plugin list --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl apply view-last-applied deploy/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl label pods web --list --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl annotate pods web --list --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl set env deploy/web --list --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl attach web-1 --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl attach web-1 -i=false --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl cp web-1:/var/log/app.log ./app.log --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl cp shop/web-1:/etc/config ./config --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl __complete delete pod "" --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl kustomize overlays/prod --context prod-eu', 'localOnly', 'prod-eu'],
  ['kubectl completion bash', 'noEffect', 'dev'],
  ['kubectl options', 'noEffect', 'dev'],
  ['kubectl help delete', 'noEffect', 'dev'],
  ['kubectl', 'noEffect', 'dev'],
  ['kubectl rollout', 'noEffect', 'dev'],
  ['kubectl set', 'noEffect', 'dev'],
  ['kubectl create secret --context prod-eu', 'noEffect', 'prod-eu'],
]);

table('kubectl config is local only', [
  ['kubectl config view', 'localOnly', 'dev'],
  ['kubectl config view --raw --context prod-eu', 'localOnly', 'prod-eu'],
  ['kubectl config use-context prod-eu', 'localOnly', 'dev'],
  ['kubectl config use prod-eu', 'localOnly', 'dev'],
  ['kubectl config delete-context prod-eu', 'localOnly', 'dev'],
  ['kubectl config set-context --current --namespace=x', 'localOnly', 'dev'],
  ['kubectl config set-credentials admin --token=abc', 'localOnly', 'dev'],
  ['kubectl --context prod-eu config get-contexts', 'localOnly', 'prod-eu'],
  ['kubectl config unset users.admin', 'localOnly', 'dev'],
  ['kubectl config frobnicate', 'localOnly', 'dev'],
]);

table('kubectl writes ask in production', [
  ['kubectl delete pod web-1 --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete ns shop --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete --all pods --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete -f app.yaml --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete --raw /api/v1/namespaces/x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl apply -f app.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl apply -k overlays/prod --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl apply --server-side -f app.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl apply --prune -l app=web -f dir --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl apply set-last-applied -f app.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl apply edit-last-applied deploy/web --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create -f app.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create deployment web --image=nginx --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create deploy web --image=nginx --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create cm cfg --from-literal=a=b --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create secret generic s --from-literal=password=x --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create token builder --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create ns tmp --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl create service clusterip web --tcp=80:8080 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl replace -f app.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl replace --force -f app.yaml --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl patch deploy web -p {} --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl edit deploy/web --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl scale deploy/web --replicas=0 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl autoscale deploy web --max=5 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl label pods web tier=x --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl annotate pods web a=b --overwrite --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set image deploy/web app=nginx:2 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set env deploy/web A=b --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set resources deploy/web --limits=cpu=1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set sa deploy/web builder --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set subject rolebinding admin --user=x --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set selector svc web app=x --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl taint nodes n1 k=v:NoSchedule --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl cordon n1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl uncordon n1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl drain n1 --ignore-daemonsets --delete-emptydir-data --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl expose deploy web --port=80 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl run tmp --image=busybox --rm -it --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl exec web-1 --context prod-eu -- ls', 'mutating', 'prod-eu'],
  ['kubectl exec -it web-1 --context prod-eu -- rm -rf /', 'mutating', 'prod-eu'],
  ['kubectl exec -it web-1 -- rm -rf / --context prod-eu', 'mutating', 'dev'],
  ['kubectl exec web-1 -c app --context prod-eu -- sh -c "echo hi"', 'mutating', 'prod-eu'],
  ['kubectl cp ./dump.sql db-0:/tmp/dump.sql --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl cp ./a shop/db-0:/tmp/a --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl debug web-1 -it --image=busybox --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl debug node/n1 -it --image=busybox --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl attach -i web-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl attach -it web-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl attach --stdin=true web-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl rollout restart deploy/web --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl rollout undo deploy/web --to-revision=2 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl rollout pause deploy/web --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl rollout resume deploy/web --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl auth reconcile -f rbac.yaml --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl certificate approve csr-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl certificate deny csr-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl port-forward svc/db 5432:5432 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl proxy --port=8001 --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl label pods web --list=false a=b --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl set image deploy/web app=x --local=false --context prod-eu', 'mutating', 'prod-eu'],
]);

table('unknown verbs, plugins, typos and alpha ask in production', [
  ['kubectl delte pod web --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl ctx prod-eu', 'unknown', 'dev'],
  ['kubectl neat get pod --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl cnpg destroy cluster-1 --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl alpha foo --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl rollout restat deploy/web --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl auth reconsile -f x --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl Get pods --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl DELETE pod x --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl --context prod-eu', 'noEffect', 'prod-eu'],
  // A flag kubectl has elsewhere (`--force` of delete) takes the next word at the root, as cobra reads it: the
  // verb is then "pod" (kubectl refuses the line; the guard asks).
  ['kubectl --force delete pod x --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl --frobnicate=1 delete pod x --context prod-eu', 'destructive', 'prod-eu'],
]);

table('a flag unknown everywhere before the verb is read both ways (a boolean of a newer release, or not)', [
  ['kubectl --frobnicate delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl -Z delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --frob --frob delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --frob x delete pod y --context prod-eu', 'destructive', 'prod-eu'],
  // The reading where --frob takes the next word finds no command: "unknown" outranks "mutating".
  ['kubectl --frob rollout --frob restart deploy/web --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl --frob create --frob secret generic s --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl --frob get pods --context prod-eu', 'unknown', 'prod-eu'],
  ['kubectl --frob=1 get pods --context prod-eu', 'readOnly', 'prod-eu'],
  // cobra lets an unknown flag take `--` as its value: "delete" is then the verb.
  ['kubectl --frob -- delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --frob=1 -- delete pod x --context prod-eu', 'noEffect', 'dev'],
  ['kubectl --context prod-eu --frob --dry-run=server delete pod x', 'destructive', 'prod-eu'],
  // Read both ways, --frob may also take --dry-run=server as its value: the worse reading wins.
  ['kubectl --frob delete --dry-run=server pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --frob=x delete --dry-run=server pod x --context prod-eu', 'noEffect', 'prod-eu'],
  // Past 32 readings (here: any "get" may be the verb) the line is unparseable.
  [`kubectl ${Array.from({ length: 40 }, (_, i) => `--f${i} get`).join(' ')} pods --context prod-eu`,
    'unparseable', 'prod-eu'],
]);

table('flags before and after the verb, bundles, = forms, repeated flags', [
  ['kubectl -n delete get pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl -n shop delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl -nshop delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl -n=shop delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --namespace=shop delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --context=prod-eu delete pod x', 'destructive', 'prod-eu'],
  ['kubectl --context prod-eu -v 6 delete pod x', 'destructive', 'prod-eu'],
  ['kubectl -v=6 --context prod-eu delete pod x', 'destructive', 'prod-eu'],
  ['kubectl --insecure-skip-tls-verify delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --insecure_skip_tls_verify delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --request-timeout 5s delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl --as admin --as-group system:masters delete pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --context dev --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --context prod-eu --context dev', 'destructive', 'dev'],
  [`kubectl -s ${PROD} delete pod x --context dev`, 'destructive', PROD],
  ['kubectl delete -it pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x -oyaml --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x -o=name --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --grace-period 0 --force --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --cascade --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --cascade=orphan --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete --selector=app=web pods --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl exec -ti web --context=prod-eu -- sh', 'mutating', 'prod-eu'],
  ['kubectl run -i --tty tmp --image=busybox --context prod-eu', 'mutating', 'prod-eu'],
]);

table('-h and --help anywhere never reach the cluster', [
  ['kubectl delete -h --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl -h delete pod x --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --help --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete -ih pod x --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --help=true --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --help=false --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --help=0 --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl exec web --context prod-eu -- rm -h', 'mutating', 'prod-eu'],
  ['kubectl delete pod x -l -h --context prod-eu', 'destructive', 'prod-eu'],
]);

table('--dry-run exactly as kubectl reads it', [
  ['kubectl delete pod x --dry-run --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=client --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=server --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=unchanged --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=1 --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=t --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=T --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=TRUE --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=true --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=True --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=0 --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=f --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=F --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=FALSE --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=false --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=False --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=none --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run= --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=Client --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=yes --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=tRUE --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run none --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry_run=server --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=client --dry-run=none --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --dry-run=none --dry-run --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x --dry-run=0 --dry-run=server --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl --dry-run=client delete pod x --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl apply -f x.yaml --dry-run=server --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl apply -f x.yaml --dry-run=False --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl apply --prune -f x --dry-run=client --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl create deploy web --image=x --dry-run=client -o yaml --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl run tmp --image=x --dry-run=client --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl drain n1 --dry-run=server --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl scale deploy/web --replicas=0 --dry-run --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl label pods web a=b --dry-run=client --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl set image deploy/web app=x --local -f d.yaml --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl patch -f d.yaml -p {} --local --context prod-eu', 'noEffect', 'prod-eu'],
  // Commands without --dry-run: the flag is unknown, so kubectl stops — but the guard still asks.
  ['kubectl rollout restart deploy/web --dry-run --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl exec web --dry-run -- rm -rf / --context prod-eu', 'mutating', 'prod-eu'],
]);

table('-- ends the flags', [
  ['kubectl exec web --context prod-eu -- rm -rf /', 'mutating', 'prod-eu'],
  ['kubectl get -- delete --context prod-eu', 'readOnly', 'dev'],
  ['kubectl --context prod-eu get -- delete', 'readOnly', 'prod-eu'],
  ['kubectl delete -- pod x --context prod-eu', 'destructive', 'dev'],
  ['kubectl delete --context prod-eu -- pod x', 'destructive', 'prod-eu'],
  ['kubectl -- delete pod x --context prod-eu', 'noEffect', 'dev'],
  ['kubectl --context prod-eu -- delete pod x', 'noEffect', 'prod-eu'],
  ['kubectl delete pod x -- --dry-run --context prod-eu', 'destructive', 'dev'],
  ['kubectl get pods -- --context prod-eu', 'readOnly', 'dev'],
]);

table('unknown flags are read both ways and the worse reading wins', [
  ['kubectl delete --bogus pod x --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --bogus --dry-run --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --bogus=1 --dry-run --context prod-eu', 'noEffect', 'prod-eu'],
  ['kubectl get pods --bogus --context prod-eu', 'readOnly', 'prod-eu'],
  ['kubectl get pods --bogus --context prod-eu --context dev', 'readOnly', 'dev'],
  ['kubectl delete pod x --bogus --context prod-eu', 'destructive', 'prod-eu'],
  ['kubectl delete pod x --context prod-eu --bogus --context dev', 'destructive', 'prod-eu'],
  ['kubectl apply -f x --frob -h --context prod-eu', 'mutating', 'prod-eu'],
  ['kubectl delete pod x -Z --dry-run=client --context prod-eu', 'destructive', 'prod-eu'],
]);

describe('kubectl target resolution', () => {
  // [command line, env, deciding target name, source (substring), unresolved (substring) | undefined]
  const rows: Array<[string, NodeJS.ProcessEnv, string, string, string?]> = [
    ['kubectl delete pod x', {}, 'dev', path.join(home, '.kube', 'config')],
    ['kubectl delete pod x --context prod-eu', {}, 'prod-eu', '--context flag'],
    ['kubectl delete pod x --context=', {}, 'dev', path.join(home, '.kube', 'config')],
    [`kubectl delete pod x --server ${PROD}`, {}, PROD, '--server flag'],
    ['kubectl delete pod x -s https://u:pw@api.prod.example.com', {}, 'https://api.prod.example.com', '--server flag'],
    ['kubectl delete pod x --server=https://k8s-prd.internal', {}, 'https://k8s-prd.internal', '--server flag'],
    ['kubectl delete pod x --cluster prod-eu-cluster', {}, 'prod-eu-cluster', '--cluster flag'],
    ['kubectl delete pod x --context corp --user prod-admin', {}, 'corp', '--context flag'],
    ['kubectl delete pod x -n live-shop', {}, 'dev', path.join(home, '.kube', 'config')],
    ['kubectl delete pod x --context nope', {}, 'nope', '--context flag', 'is not defined'],
    ['kubectl delete pod x --cluster nope', {}, 'dev', '--cluster flag', 'cluster "nope" is not defined'],
    ['kubectl delete pod x --user nope', {}, 'dev', '--user flag', 'user "nope" is not defined'],
    ['kubectl delete pod x --context dangling', {}, 'dangling', '', 'has no server'],
    ['kubectl delete pod x --kubeconfig /nonexistent/kc', {}, 'kubectl', '/nonexistent/kc', 'does not exist'],
    ['kubectl delete pod x', { KUBECONFIG: FIX('malformed.yaml') }, 'kubectl', FIX('malformed.yaml'), 'invalid YAML'],
    ['kubectl delete pod x', { KUBECONFIG: list('malformed.yaml', 'kubeconfig.yaml') }, 'kubectl',
      FIX('malformed.yaml'), 'invalid YAML'],
    ['kubectl delete pod x', { KUBECONFIG: list('duplicate-names.yaml') }, 'kubectl', FIX('duplicate-names.yaml'),
      'duplicate name'],
    ['kubectl delete pod x', { KUBECONFIG: FIX('duplicate-keys.yaml') }, 'prod-eu', FIX('duplicate-keys.yaml')],
    ['kubectl delete pod x', { KUBECONFIG: FIX('merge-key.yaml') }, 'app', FIX('merge-key.yaml')],
    ['kubectl delete pod x', { KUBECONFIG: list('no-current.yaml') }, 'kubectl', FIX('no-current.yaml'),
      'no current-context'],
    ['kubectl delete pod x --context dev', { KUBECONFIG: FIX('no-current.yaml') }, 'dev', '--context flag'],
    ['kubectl delete pod x', { KUBECONFIG: `/nope.yaml:${list('kubeconfig.yaml', 'second.yaml')}` }, 'dev',
      FIX('kubeconfig.yaml')],
    ['kubectl delete pod x', { KUBECONFIG: list('second.yaml', 'kubeconfig.yaml') }, 'live-us', FIX('second.yaml')],
    ['kubectl delete pod x', { KUBECONFIG: list('prod-first.yaml', 'kubeconfig.yaml') }, 'prod-eu',
      FIX('kubeconfig.yaml')],
    [`kubectl delete pod x --kubeconfig ${FIX('second.yaml')}`, { KUBECONFIG: list('kubeconfig.yaml') }, 'live-us',
      FIX('second.yaml')],
    ['kubectl delete pod x', { KUBECONFIG: '' }, 'dev', path.join(home, '.kube', 'config')],
  ];
  for (const [line, env, name, source, unresolved] of rows) {
    it(`${line} ${JSON.stringify(env)} → ${name}${unresolved ? ' (unresolved)' : ''}`, () => {
      const d = run(line, env);
      assert.strictEqual(d.target?.name, name, `targets: ${JSON.stringify(d.targets)}`);
      const t = unresolved ? d.targets.find((x) => x.unresolved) : d.target;
      assert.ok(t, `an unresolved target: ${JSON.stringify(d.targets)}`);
      assert.ok(t.source.includes(source), `source ${t.source}`);
      if (unresolved) assert.ok(t.unresolved?.includes(unresolved), `unresolved: ${t.unresolved}`);
      else assert.strictEqual(t.unresolved, undefined, `unresolved: ${t.unresolved}`);
      // A destructive command whose target is unresolved asks.
      assert.strictEqual(d.action, unresolved || d.environment === 'production' ? 'confirm' : 'run');
    });
  }

  it('classifies a dev context overridden by --server or --cluster as production', () => {
    for (const line of [`kubectl delete pod x --server ${PROD}`, 'kubectl --cluster prod-eu-cluster delete pod x',
      'kubectl delete pod x --cluster=prod-eu-cluster --context dev']) {
      const d = run(line);
      assert.strictEqual(d.environment, 'production', line);
      assert.strictEqual(d.action, 'confirm', line);
    }
    const dev = run('kubectl delete pod x --server https://api.dev.example.com:6443');
    assert.strictEqual(dev.environment, 'development');
    assert.strictEqual(dev.action, 'run');
  });

  it('a rule matching a namespace or user cannot lower a production cluster', () => {
    const rules = [{ match: '*sandbox*', environment: 'development' as const, origin: { type: 'settings' as const } }];
    const line = 'kubectl delete pod x --context prod-eu -n team-sandbox --user prod-admin';
    const d = decide(split(line), { ...ctxOf(), rules: [...rules, { ...rules[0], match: 'prod-admin' }] });
    assert.strictEqual(d.environment, 'production');
    assert.strictEqual(d.action, 'confirm');
  });

  it('a user rule that calls the context development cannot hide a production --server', () => {
    const rules = [{ match: 'dev*', environment: 'development' as const, origin: { type: 'settings' as const } }];
    const d = decide(split(`kubectl delete pod x --server ${PROD}`), { ...ctxOf(), rules });
    assert.strictEqual(d.environment, 'production');
    assert.strictEqual(d.action, 'confirm');
  });

  it('identifiers: context, cluster and server; user and namespace; details and the context line', () => {
    const a = kubectlModule.analyze('kubectl', split('delete pod x --user prod-admin -n shop'), ctxOf());
    const t = a.targets[0];
    assert.deepStrictEqual(t.identifiers, ['dev', 'dev-cluster', 'https://api.dev.example.com:6443']);
    // User and namespace: a target of their own under the same name, so a rule matching them cannot lower.
    assert.deepStrictEqual(a.targets.map((x) => [x.name, x.identifiers]), [
      ['dev', ['dev', 'dev-cluster', 'https://api.dev.example.com:6443']], ['dev', ['prod-admin', 'shop']],
    ]);
    assert.strictEqual(t.details.namespace, 'shop');
    assert.strictEqual(t.line, 6);
    assert.ok(t.details.kubeconfig.endsWith('config:6'));
    assert.strictEqual(run('kubectl delete pod x --user prod-admin').environment, 'production');
  });

  it('no kubeconfig at all: in-cluster service account, else unresolved (never localhost)', () => {
    const sa = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const inCluster = run('kubectl delete pod x', sa, bare);
    assert.strictEqual(inCluster.target?.name, 'in-cluster (https://10.0.0.1:443)');
    assert.strictEqual(inCluster.target?.unresolved, undefined);
    const none = run('kubectl delete pod x', {}, bare);
    assert.ok(none.target?.unresolved?.includes('localhost:8080'), none.target?.unresolved);
    assert.strictEqual(none.action, 'confirm');
    assert.strictEqual(run('kubectl get pods', {}, bare).action, 'run');
    const server = run('kubectl delete pod x --server https://api.prod.example.com', {}, bare);
    assert.strictEqual(server.target?.name, 'https://api.prod.example.com');
    assert.strictEqual(server.action, 'confirm');
  });

  it('fails closed on binary, unreadable and oversized kubeconfigs, within the time budget', function () {
    this.timeout(20000);
    const dir = tempDir('kube-bad-');
    const binary = path.join(dir, 'binary');
    fs.writeFileSync(binary, Buffer.from([0x61, 0x00, 0x62]));
    const bin = run('kubectl delete pod x', { KUBECONFIG: binary });
    assert.ok(bin.target?.unresolved?.includes('binary'), bin.target?.unresolved);
    assert.strictEqual(bin.action, 'confirm');
    const big = path.join(dir, 'big');
    fs.writeFileSync(big, `current-context: dev\ncontexts:\n${'- a\n'.repeat(400_000)}`);
    const t0 = Date.now();
    const b = run('kubectl delete pod x', { KUBECONFIG: big });
    assertBounded(Date.now() - t0, 'kubeconfig');
    assert.ok(b.target?.unresolved?.includes('too large'), b.target?.unresolved);
    const huge = path.join(dir, 'huge');
    fs.writeFileSync(huge, `current-context: dev\nx: ${'a'.repeat(17 * 1024 * 1024)}\n`);
    const h = run('kubectl delete pod x', { KUBECONFIG: huge });
    assert.ok(h.target?.unresolved?.includes('too large'), h.target?.unresolved);
    // A large but ordinary kubeconfig (4,000 clusters with their CA data) is read and decided in time.
    const lines = ['current-context: c0', 'contexts:'];
    for (let i = 0; i < 4000; i++) lines.push(`- name: c${i}`, '  context:', `    cluster: k${i}`, `    user: u${i}`);
    lines.push('clusters:');
    const ca = `    certificate-authority-data: ${'QUJD'.repeat(300)}`;
    for (let i = 0; i < 4000; i++) {
      lines.push(`- name: k${i}`, '  cluster:', `    server: https://api-${i}.prod.example.com`, ca);
    }
    const large = path.join(dir, 'large');
    fs.writeFileSync(large, lines.join('\n'));
    const t1 = Date.now();
    const l = run('kubectl delete pod x --context c3999', { KUBECONFIG: large });
    assertBounded(Date.now() - t1, 'kubeconfig');
    assert.strictEqual(l.target?.unresolved, undefined);
    assert.deepStrictEqual(l.target?.identifiers.slice(0, 3), ['c3999', 'k3999', 'https://api-3999.prod.example.com']);
    // Just under the limit, read three ways (kuberc, an unknown flag): parsed once, decided in time.
    const near = path.join(dir, 'near');
    fs.writeFileSync(near, `current-context: dev\nx:\n${'- a\n'.repeat(78_000)}`);
    const t2 = Date.now();
    const n = run('kubectl delete pod x --bogus --context prod-eu', { KUBECONFIG: near, KUBERC });
    assertBounded(Date.now() - t2, 'kubeconfig');
    assert.ok(n.targets.every((t) => t.unresolved), JSON.stringify(n.targets));
    // A directory where a kubeconfig belongs.
    const d = run('kubectl delete pod x', { KUBECONFIG: dir });
    assert.ok(d.target?.unresolved?.includes('directory'), d.target?.unresolved);
  });
});

describe('kubectl kuberc: aliases and defaults are resolved before judging', () => {
  const krHome = tempDir('kube-kr-');
  writeTree(krHome, {
    '.kube/config': fs.readFileSync(FIX('kubeconfig.yaml')), '.kube/kuberc': fs.readFileSync(KUBERC),
  });
  const rows: Array<[string, NodeJS.ProcessEnv, VerdictCode, string]> = [
    ['kubectl rmp web-1 --context prod-eu', {}, 'destructive', 'prod-eu'],
    ['kubectl rmp web-1 --dry-run=client --context prod-eu', {}, 'noEffect', 'prod-eu'],
    ['kubectl getn pods --context prod-eu', {}, 'readOnly', 'prod-eu'],
    ['kubectl mk web --image=nginx --context prod-eu', {}, 'mutating', 'prod-eu'],
    ['kubectl proddel pod x', {}, 'destructive', 'prod-eu'],
    ['kubectl proddel pod x --context dev', {}, 'destructive', 'dev'],
    ['kubectl dryrm pod x --context prod-eu', {}, 'noEffect', 'prod-eu'],
    ['kubectl dryrm pod x --dry-run=none --context prod-eu', {}, 'destructive', 'prod-eu'],
    // The default --context of `apply` makes a plain apply production (older kubectl: dev; the worse wins).
    ['kubectl apply -f app.yaml', {}, 'mutating', 'prod-eu'],
    ['kubectl apply -f app.yaml --context dev', {}, 'mutating', 'dev'],
    // A default dry run only protects where kuberc is in force: without it the command is real.
    ['kubectl scale deploy/web --replicas=0 --context prod-eu', {}, 'mutating', 'prod-eu'],
    ['kubectl drain n1', {}, 'mutating', 'dev'],
    ['kubectl rmp web-1 --context prod-eu', { KUBERC: 'off' }, 'unknown', 'prod-eu'],
    ['kubectl rmp web-1 --context prod-eu', { KUBECTL_KUBERC: 'false' }, 'unknown', 'prod-eu'],
    ['kubectl apply -f app.yaml', { KUBERC: 'off' }, 'mutating', 'dev'],
    // Only KUBECTL_KUBERC=false turns the feature gate off (kubectl compares the lower-cased word).
    ['kubectl rmp web-1 --context prod-eu', { KUBECTL_KUBERC: '0' }, 'destructive', 'prod-eu'],
    ['kubectl apply -f app.yaml', { KUBECTL_KUBERC: 'FALSE' }, 'mutating', 'dev'],
  ];
  for (const [line, env, code, target] of rows) {
    it(`${line} ${JSON.stringify(env)} → ${code} @ ${target}`, () => {
      const d = run(line, env, krHome);
      assert.strictEqual(d.verdict?.code, code, JSON.stringify(d.verdict));
      assert.strictEqual(d.target?.name, target, d.targets.map((t) => t.name).join(', '));
    });
  }

  it('the drain default namespace is an identifier (live-ops reads as production)', () => {
    const d = run('kubectl drain n1', {}, krHome);
    assert.ok(d.targets.some((t) => t.identifiers.includes('live-ops')), JSON.stringify(d.targets));
    assert.strictEqual(d.environment, 'production');
  });

  it('--kuberc and KUBERC name the file; flags the user gave win over the defaults', () => {
    const d = run(`kubectl --kuberc=${KUBERC} rmp web-1 --context prod-eu`);
    assert.strictEqual(d.verdict?.code, 'destructive');
    assert.strictEqual(run(`kubectl rmp web-1 --kuberc ${KUBERC} --context prod-eu`).verdict?.code, 'destructive');
    assert.strictEqual(run('kubectl rmp web-1 --context prod-eu', { KUBERC }).verdict?.code, 'destructive');
    const a = run('kubectl apply -f x.yaml', { KUBERC });
    assert.strictEqual(a.target?.name, 'prod-eu');
    assert.ok(a.target?.source.includes('kuberc'), a.target?.source);
    // searchInArgs: `-n…` anywhere (even after --) counts as the namespace given.
    const k = kubectlModule.analyze('kubectl', split('drain n1 -nkube-system'), ctxOf({ KUBERC }));
    assert.ok(!k.targets.some((t) => t.identifiers.includes('live-ops')), JSON.stringify(k.targets));
  });

  it('a kuberc that does not parse is ignored as kubectl ignores it, and reported', () => {
    const dir = tempDir('kube-krbad-');
    writeTree(dir, { '.kube/config': fs.readFileSync(FIX('kubeconfig.yaml')), '.kube/kuberc': 'aliases: [\n' });
    const d = run('kubectl delete pod x --context prod-eu', {}, dir);
    assert.strictEqual(d.verdict?.code, 'destructive');
    assert.ok(d.problems.some((p) => p.message.includes('kuberc')), JSON.stringify(d.problems));
  });
});

describe('findCommands: every reading of unknown flags before the command', () => {
  const paths = (line: string): string[] =>
    findCommands(kubectlTree(), split(line)).found
      .map((f) => `${f.cmd.path}${f.unknownWord ? ` ?${f.unknownWord}` : ''}`);
  // cobra's own reading first; a command without subcommands shows its first argument as the "unknown word".
  const rows: Array<[string, string[]]> = [
    ['delete pod x', ['delete ?pod']],
    ['--frob delete pod x', [' ?pod', 'delete ?pod']],
    ['--force delete pod x', [' ?pod']],
    ['--frob rollout --frob restart deploy/web',
      [' ?deploy/web', 'rollout restart ?deploy/web', 'rollout ?deploy/web']],
    ['--frob create --frob secret generic s',
      [' ?generic', 'create secret generic ?s', 'create secret ?s', 'create ?generic']],
    ['--frob=1 delete pod x', ['delete ?pod']],
    ['-n --frob delete pod x', ['delete ?pod']],
    ['--frob -- delete', ['delete']],
    ['--frob', ['']],
    ['-- delete', ['']],
  ];
  for (const [line, expected] of rows) {
    it(`${line} → ${expected.join(' | ')}`, () => assert.deepStrictEqual(paths(line), expected));
  }
});

describe('kubeconfig YAML read as go-yaml reads it: merge keys in document order', () => {
  const DEV = 'https://api.dev.example.com:6443';
  // [fixture, --context or '', target name, cluster, server] — each proven with kubectl in kubectl-grammar.test.ts.
  const rows: Array<[string, string, string, string, string]> = [
    ['merge-after-key.yaml', '', 'dev', 'prod-eu-cluster', PROD],
    ['merge-top.yaml', '', 'prod-eu', 'prod-eu-cluster', PROD],
    ['merge-top.yaml', 'dev', 'dev', 'dev-cluster', DEV],
    ['merge-server.yaml', '', 'dev', 'dev-cluster', PROD],
    ['merge-list.yaml', '', 'first', 'prod-eu-cluster', PROD],
    ['merge-list.yaml', 'last-merge', 'last-merge', 'prod-eu-cluster', PROD],
    ['merge-list.yaml', 'key-after', 'key-after', 'dev-cluster', DEV],
    ['merge-key.yaml', '', 'app', 'prod-eu-cluster', PROD],
  ];
  for (const [file, context, name, cluster, server] of rows) {
    it(`${file}${context ? ` --context ${context}` : ''} → ${name} on ${cluster} (${server})`, () => {
      const d = run(`kubectl delete pod x${context ? ` --context ${context}` : ''}`, { KUBECONFIG: FIX(file) });
      assert.strictEqual(d.target?.name, name, JSON.stringify(d.targets));
      assert.strictEqual(d.target?.details.cluster, cluster);
      assert.strictEqual(d.target?.details.server, server);
      assert.strictEqual(d.target?.unresolved, undefined);
      assert.strictEqual(d.environment, server === PROD ? 'production' : 'development');
      assert.strictEqual(d.action, server === PROD ? 'confirm' : 'run');
    });
  }

  it('a merge kubectl refuses, or an anchor that contains itself, leaves the target unresolved', () => {
    const dir = tempDir('kube-merge-');
    const base = fs.readFileSync(FIX('kubeconfig.yaml'), 'utf8');
    const cases: Array<[string, string]> = [
      ['scalar', `${base}x:\n  <<: 5\n`],
      ['null', base.replace('kind: Config', 'kind: Config\n<<: ~')],
      ['alias of a list', base.replace('kind: Config', 'kind: Config\ns: &s [{a: 1}]\n<<: *s')],
      ['self', base.replace('    namespace: team', '    <<: &a {namespace: team, <<: *a}')],
    ];
    for (const [what, text] of cases) {
      const file = path.join(dir, what.replace(/ /g, '-'));
      fs.writeFileSync(file, text);
      const d = run('kubectl delete pod x', { KUBECONFIG: file });
      if (what === 'scalar') {
        // The guard reads only the fields kubectl's config uses: kubectl refuses this file, the guard's reading
        // of it does not matter.
        assert.strictEqual(d.target?.name, 'dev', what);
        continue;
      }
      assert.ok(d.target?.unresolved, `${what}: ${JSON.stringify(d.targets)}`);
      assert.strictEqual(d.action, 'confirm', what);
    }
  });

  it('a merge-key bomb in a kubeconfig is too complex to check, decided in time', () => {
    const t0 = Date.now();
    const d = run('kubectl delete pod x --context dev', { KUBECONFIG: FIX('merge-bomb.yaml') });
    assertBounded(Date.now() - t0, 'merge-key bomb');
    assert.ok(d.target?.unresolved?.includes('too complex'), d.target?.unresolved);
    assert.strictEqual(d.action, 'confirm');
    assert.strictEqual(run('kubectl get pods', { KUBECONFIG: FIX('merge-bomb.yaml') }).action, 'run');
  });

  it('many aliases are resolved in one pass (4,000 contexts sharing an anchor)', () => {
    const lines = ['current-context: c0', 'x-ctx: &ctx {cluster: dev-cluster, user: u}', 'contexts:'];
    for (let i = 0; i < 4000; i++) lines.push(`- name: c${i}`, '  context: *ctx');
    lines.push('clusters:', '- name: dev-cluster', '  cluster: {server: "https://api.dev.example.com:6443"}');
    const file = path.join(tempDir('kube-alias-'), 'config');
    fs.writeFileSync(file, lines.join('\n'));
    const t0 = Date.now();
    const d = run('kubectl delete pod x --context c3999', { KUBECONFIG: file });
    assertBounded(Date.now() - t0, 'aliases');
    assert.strictEqual(d.target?.details.server, 'https://api.dev.example.com:6443');
  });

  it('several large kubeconfigs together are "too large to check" (one budget for the list and the readings)',
    function () {
      this.timeout(20000);
      const dir = tempDir('kube-big-');
      // Double-quoted text is the slowest to parse: 9 MB of it fit the budget alone, not twice.
      const big = (name: string, ctxName: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, `current-context: ${ctxName}\nx: "${'A'.repeat(9 * 1024 * 1024)}"\n`);
        return file;
      };
      const a = big('a', 'dev');
      const b = big('b', 'prod-eu');
      const kc = FIX('kubeconfig.yaml');
      const t0 = Date.now();
      const one = run('kubectl delete pod x', { KUBECONFIG: [a, kc].join(path.delimiter) });
      assertBounded(Date.now() - t0, 'one large kubeconfig');
      assert.strictEqual(one.target?.name, 'dev');
      assert.strictEqual(one.target?.unresolved, undefined);
      const t1 = Date.now();
      const two = run('kubectl delete pod x', { KUBECONFIG: [a, b, kc].join(path.delimiter) });
      assertBounded(Date.now() - t1, 'two large kubeconfigs');
      assert.ok(two.target?.unresolved?.includes('too large'), two.target?.unresolved);
      assert.strictEqual(two.action, 'confirm');
      // Two readings with different --kubeconfig (an unknown flag may take one as its value) share the budget.
      const t2 = Date.now();
      const both = run(`kubectl delete pod x --kubeconfig ${a} --bogus --kubeconfig ${b}`);
      assertBounded(Date.now() - t2, 'two readings');
      assert.ok(both.targets.some((t) => t.unresolved?.includes('too large')), JSON.stringify(both.targets));
    });
});

describe('kuberc documents: kubectl uses one, and which depends on its release', () => {
  const A1 = 'apiVersion: kubectl.config.k8s.io/v1alpha1\nkind: Preference\n';
  const B1 = 'apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n';
  const prodDelete = 'overrides:\n- command: delete\n  flags:\n  - name: context\n    default: prod-eu\n';
  const prodApplyB = 'defaults:\n- command: apply\n  options:\n  - name: context\n    default: prod-eu\n';
  const dir = tempDir('kube-krdocs-');
  const file = (name: string, text: string): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  // [command line, env, verdict, deciding target]
  const rows: Array<[string, NodeJS.ProcessEnv, VerdictCode, string]> = [
    // The first (empty) document is the one in force: a real delete, not the second document's dry run.
    [`kubectl delete pod x --kuberc=${FIX('kuberc-two-docs.yaml')} --context prod-eu`, {}, 'destructive', 'prod-eu'],
    [`kubectl delete pod x --kuberc ${FIX('kuberc-two-docs.yaml')} --context prod-eu`, {}, 'destructive', 'prod-eu'],
    ['kubectl delete pod x --context prod-eu', { KUBERC: FIX('kuberc-two-docs.yaml') }, 'destructive', 'prod-eu'],
    // Even a single dry-run document keeps the reading without kuberc (older kubectl, feature gate off).
    [`kubectl delete pod x --kuberc=${FIX('kuberc-v1alpha1.yaml')} --context prod-eu`, {}, 'destructive', 'prod-eu'],
    [`kubectl zap web --kuberc=${FIX('kuberc-v1alpha1.yaml')}`, {}, 'destructive', 'prod-eu'],
    [`kubectl zap web --kuberc=${FIX('kuberc-v1alpha1.yaml')} --dry-run=server`, {}, 'noEffect', 'prod-eu'],
    // Bad YAML, another kind and a wrong type are skipped: the last document sends delete to prod-eu.
    [`kubectl delete pod x --kuberc=${FIX('kuberc-skipped.yaml')}`, {}, 'destructive', 'prod-eu'],
    // The release that added v1beta1 takes the last v1alpha1 document when there is no v1beta1 one.
    [`kubectl delete pod x --kuberc=${file('ab', `${A1}---\n${A1}${prodDelete}`)}`, {}, 'destructive', 'prod-eu'],
    [`kubectl delete pod x --kuberc=${file('aab', `${A1}---\n${A1}${prodDelete}---\n${B1}`)}`, {}, 'destructive',
      'dev'],
    [`kubectl delete pod x --kuberc=${file('ap', `${A1}${prodDelete}---\n${A1}`)}`, {}, 'destructive', 'prod-eu'],
    // 1.33 skips v1beta1 (it uses the v1alpha1 document), newer releases take v1beta1: both readings count.
    [`kubectl apply -f x --kuberc=${file('ba', `${B1}${prodApplyB}---\n${A1}`)}`, {}, 'mutating', 'prod-eu'],
    [`kubectl apply -f x --kuberc=${file('ab2', `${A1}---\n${B1}${prodApplyB}`)}`, {}, 'mutating', 'prod-eu'],
    // A v1alpha1 document's `defaults` is an unknown field (ignored), a v1beta1 document's `overrides` too.
    [`kubectl delete pod x --kuberc=${file('mix', `${A1}${prodDelete.replace('overrides', 'defaults')}`)}`, {},
      'destructive', 'dev'],
    // `<<` after a key overrides it here too.
    [`kubectl delete pod x --kuberc=${file('merge', `${A1}overrides:\n- command: delete\n  flags:\n`
      + '  - name: context\n    default: dev\n    <<: {default: prod-eu}\n')}`, {}, 'destructive', 'prod-eu'],
    [`kubectl delete pod x --kuberc=${file('sep', `${A1}${prodDelete}--- x\n`)}`, {}, 'destructive', 'dev'],
  ];
  for (const [line, env, code, target] of rows) {
    it(`${line.replace(dir, '…').replace(FIX(''), '')} → ${code} @ ${target}`, () => {
      const d = run(line, env);
      assert.strictEqual(d.verdict?.code, code, JSON.stringify(d.verdict));
      assert.strictEqual(d.target?.name, target, d.targets.map((t) => t.name).join(', '));
    });
  }

  it('reports a kuberc without any valid document (kubectl ignores it)', () => {
    const d = run(`kubectl delete pod x --kuberc=${file('none', 'kind: Other\n---\naliases: [\n')}`);
    assert.ok(d.problems.some((p) => /no valid Preference/.test(p.message)), JSON.stringify(d.problems));
    const sep = run(`kubectl delete pod x --kuberc=${file('sep2', `${A1}--- x\n`)}`);
    assert.ok(sep.problems.some((p) => /separator/.test(p.message)), JSON.stringify(sep.problems));
  });

  it('a merge-key bomb in ~/.kube/kuberc is too complex to check: the command asks, in time', () => {
    const h = tempDir('kube-krbomb-');
    const bomb = fs.readFileSync(FIX('merge-bomb.yaml'), 'utf8').split('\n').slice(0, 12).join('\n');
    writeTree(h, { '.kube/config': fs.readFileSync(FIX('kubeconfig.yaml')), '.kube/kuberc': `${bomb}\n${A1}` });
    const t0 = Date.now();
    const d = run('kubectl delete pod x', {}, h);
    assertBounded(Date.now() - t0, 'kuberc bomb');
    assert.ok(d.targets.some((t) => t.name === 'kuberc' && t.unresolved?.includes('too complex')),
      JSON.stringify(d.targets));
    assert.strictEqual(d.action, 'confirm');
  });
});

table('oc: kubectl plus the OpenShift verbs', [
  ['oc get pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc delete project shop --context prod-eu', 'destructive', 'prod-eu'],
  ['oc status --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc whoami --show-token', 'readOnly', 'dev'],
  ['oc projects', 'readOnly', 'dev'],
  ['oc project', 'localOnly', 'dev'],
  ['oc project shop', 'localOnly', 'dev'],
  ['oc login -u me -p secret https://api.prod.example.com:6443', 'harmlessWrite', 'dev'],
  ['oc logout', 'harmlessWrite', 'dev'],
  ['oc new-project shop --context prod-eu', 'mutating', 'prod-eu'],
  ['oc new-app nginx --context prod-eu', 'mutating', 'prod-eu'],
  ['oc start-build web --follow --context prod-eu', 'mutating', 'prod-eu'],
  ['oc rollout latest dc/web --context prod-eu', 'mutating', 'prod-eu'],
  ['oc rollout status dc/web --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc rollback web --context prod-eu', 'mutating', 'prod-eu'],
  ['oc rsh web-1 --context prod-eu', 'mutating', 'prod-eu'],
  ['oc rsync ./dir web-1:/tmp --context prod-eu', 'mutating', 'prod-eu'],
  ['oc rsync web-1:/tmp ./dir --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc adm top pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc adm prune images --confirm --context prod-eu', 'destructive', 'prod-eu'],
  ['oc adm policy add-cluster-role-to-user cluster-admin eve --context prod-eu', 'mutating', 'prod-eu'],
  ['oc adm drain n1 --context prod-eu', 'mutating', 'prod-eu'],
  ['oc policy who-can delete pods --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc policy add-role-to-user admin eve --context prod-eu', 'mutating', 'prod-eu'],
  ['oc process -f tpl.yaml --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc extract secret/db --to=. --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc tag web:latest web:prod --context prod-eu', 'mutating', 'prod-eu'],
  ['oc tag -d web:old --context prod-eu', 'destructive', 'prod-eu'],
  ['oc idle web --context prod-eu', 'mutating', 'prod-eu'],
  ['oc image mirror a b --context prod-eu', 'mutating', 'prod-eu'],
  ['oc image info quay.io/x --context prod-eu', 'readOnly', 'prod-eu'],
  ['oc observe pods --context prod-eu -- ./script.sh', 'mutating', 'prod-eu'],
  ['oc frobnicate --context prod-eu', 'unknown', 'prod-eu'],
  ['oc config use-context prod-eu', 'localOnly', 'dev'],
  ['oc delete pod x --dry-run=0 --context prod-eu', 'destructive', 'prod-eu'],
  ['oc delete pod x --dry-run=1 --context prod-eu', 'noEffect', 'prod-eu'],
]);

describe('secrets in kubectl and oc command lines', () => {
  const rows: Array<[string, number[]]> = [
    ['kubectl --token s3cr3t get pods', [1]],
    ['kubectl --token=s3cr3t get pods', [0]],
    ['kubectl get pods --password pw --username me', [3]],
    ['kubectl --password=pw get pods', [0]],
    ['kubectl --client-key /home/me/key.pem get pods', []],
    ['kubectl create secret generic s --from-literal=password=hunter2 --from-literal=user=me', [4, 5]],
    ['kubectl create secret generic s --from-literal password=hunter2', [5]],
    ['kubectl create configmap c --from-literal=db_password=x --from-literal=color=blue', [3]],
    ['kubectl create secret docker-registry r --docker-password=pw --docker-username=me', [4]],
    ['kubectl set env deploy/web API_TOKEN=abc MODE=fast', [3]],
    ['kubectl run x --image=i --env=DB_PASSWORD=p --env=A=b', [3]],
    ['kubectl config set-credentials admin --token=abc --username=me', [3]],
    ['kubectl get pods -- --token x', []],
    ['oc login -u me -p pw https://api', [4]],
    ['oc login --token=sha256~abc --server=https://api', [1]],
    ['oc login -ppw', [1]],
    // The command run in a container: the guarded tool's own module finds its secrets.
    ['kubectl exec db-0 -- redis-cli -a hunter2 FLUSHALL', [5]],
    ['kubectl exec -it db-0 -c redis -- redis-cli -h 127.0.0.1 -a hunter2 FLUSHALL', [10]],
    ['kubectl exec db-0 -- mysql -phunter2 -e "DROP DATABASE x"', [4]],
    ['kubectl exec db-0 -- mysql --password=hunter2', [4]],
    ['kubectl exec db-0 -- /usr/bin/redis-cli -a hunter2 FLUSHALL', [5]],
    ['kubectl exec db-0 -- env MYSQL_PWD=hunter2 mysql -e x', [4]],
    ['kubectl exec db-0 -- PGPASSWORD=hunter2 psql -c "drop table x"', [3]],
    ['kubectl exec db-0 -- sh -c "redis-cli -a hunter2 FLUSHALL"', [5]],
    ['kubectl exec db-0 -- bash -o pipefail -ec "PGPASSWORD=hunter2 psql -c \'drop table x\'"', [7]],
    ['kubectl exec db-0 -- sh -c "cd /tmp; mysql -uroot -phunter2 app"', [5]],
    ['kubectl exec db-0 -- sh -c "ls -la"', []],
    ['kubectl exec db-0 -- redis-cli FLUSHALL', []],
    ['kubectl exec db-0 -- kubectl --token=abc get pods', [4]],
    ['kubectl exec db-0 -- some-cli --api-key=abc --password x --user u', [4, 6]],
    ['kubectl exec db-0 redis-cli -a hunter2', [4]],
    ['kubectl run tmp --image=redis redis-cli -a hunter2', [5]],
    ['kubectl run tmp --image=redis --rm -it -- redis-cli -h redis -a hunter2 FLUSHALL', [10]],
    ['kubectl run tmp --image=mysql --command -- mysql -phunter2', [6]],
    ['kubectl debug -it db-0 --image=busybox -- mongosh --password hunter2', [7]],
    ['oc rsh db-0 mysql -phunter2', [3]],
    ['oc rsh -c db db-0 -- mysql -phunter2', [6]],
    ['oc exec db-0 -- redis-cli -a hunter2', [5]],
    // kubectl config set: credential properties.
    ['kubectl config set users.admin.token abc', [3]],
    ['kubectl config set users.admin.password pw', [3]],
    ['kubectl config set users.admin.client-key-data LS0tLS1', [3]],
    ['kubectl config set users.sso.auth-provider.config.client-secret s3', [3]],
    ['kubectl config set users.sso.auth-provider.config.refresh-token s3', [3]],
    ['kubectl config set --set-raw-bytes users.admin.client-key-data LS0tLS1', [4]],
    ['kubectl config set clusters.prod.server https://api', []],
    ['kubectl config set users.admin.username me', []],
    // A patch of a Secret carries its data.
    ['kubectl patch secret db -p \'{"stringData":{"password":"hunter2"}}\'', [4]],
    ['kubectl patch secret/db --patch=\'{"data":{"tls.key":"LS0t"}}\'', [2]],
    ['kubectl patch secrets db --type merge -p \'{"stringData":{"x":"y"}}\'', [6]],
    ['kubectl patch -f s.yaml -p \'{"stringData":{"password":"x"}}\'', [4]],
    ['kubectl patch deploy web -p \'{"spec":{"replicas":2}}\'', []],
  ];
  for (const [line, expected] of rows) {
    it(`${line} → ${JSON.stringify(expected)}`, () => {
      const argv = split(line);
      const a = kubectlModule.analyze(argv[0], argv.slice(1), { env: {}, home, cwd, files: nodeFiles });
      assert.deepStrictEqual(a.secretArgs, expected);
    });
  }

  it('no password in the command or the verdict shown in the confirmation and the audit', () => {
    for (const [line] of rows.filter(([l]) => l.includes('hunter2'))) {
      const argv = split(`${line} --context prod-eu`);
      const d = decide(argv, { env: {}, home, cwd, files: nodeFiles, judgeAlways: true });
      const shown = `${maskedCommand(argv, d)} ${JSON.stringify(d.verdict)}`;
      assert.ok(!shown.includes('hunter2'), shown);
    }
  });
});

describe('kubectl fast path comes from the same grammar', () => {
  const fp = kubectlModule.fastPath!.kubectl;
  it('value and boolean flags are the global grammar', () => {
    for (const f of ['--context', '-n', '--namespace', '-s', '--server', '--kubeconfig', '--token', '-v', '--kuberc']) {
      assert.ok(fp.valueFlags.includes(f), f);
    }
    for (const f of ['--insecure-skip-tls-verify', '--match-server-version', '--warnings-as-errors']) {
      assert.ok(fp.booleanFlags.includes(f), f);
    }
    assert.ok(!fp.booleanFlags.includes('-h'));
  });
  it('every fast-path verb is judged never to ask, whatever follows', () => {
    for (const v of fp.readOnlyVerbs) {
      for (const tail of ['', 'x', 'x --context prod-eu', 'rm -rf']) {
        const d = run(`kubectl ${v} ${tail}`);
        assert.ok(!asks(d.verdict!), `${v} ${tail}: ${d.verdict?.code}`);
      }
    }
    for (const v of kubectlModule.fastPath!.oc.readOnlyVerbs) {
      const d = run(`oc ${v} x y`);
      assert.ok(!asks(d.verdict!), `oc ${v}: ${d.verdict?.code}`);
    }
  });
});

describe('property: flags in any order around a destructive production command', () => {
  const rand = rng(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // [spellings, may stand before the verb]: cobra finds the verb with the global flags only, so a boolean
  // command flag (`--force`, bare `--dry-run`) before it would swallow the verb (kubectl then refuses to run).
  const groups: ReadonlyArray<[ReadonlyArray<readonly string[]>, boolean]> = [
    [[['--context', 'prod-eu'], ['--context=prod-eu']], true],
    [[['-n', 'x'], ['-nx'], ['-n=x'], ['--namespace', 'x'], ['--namespace=x']], true],
    [[['-o', 'yaml'], ['-oyaml'], ['--output=yaml']], true],
    [[['--force'], ['--force=true']], false],
    [[['--grace-period', '0'], ['--grace-period=0']], true],
    [[['--wait=false'], ['--cascade'], ['--cascade=foreground']], false],
    [[['-v', '6'], ['-v=6'], ['--v', '6']], true],
    [[['--insecure-skip-tls-verify'], ['--request-timeout', '5s']], true],
  ];
  const real = ['none', '0', 'false', 'False', 'F', 'f'].map((v) => [`--dry-run=${v}`]);
  const dryValues = ['client', 'server', '1', 't', 'True', 'TRUE', 'unchanged'];
  const dry = [['--dry-run'], ...dryValues.map((v) => [`--dry-run=${v}`])];

  function build(dryRun: ReadonlyArray<readonly string[]>): string[] {
    const chosen = groups.filter(() => rand() < 0.8).map(([g, before]) => ({ words: [...pick(g)], before }));
    let at = 0;
    // The dry-run spellings keep their order (the last one wins); `--dry-run=…` may stand before the verb.
    const dryItems = dryRun.map((d) => ({ words: [...d], before: d[0].includes('=') }));
    for (let i = chosen.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    for (const d of dryItems) {
      at += Math.floor(rand() * (chosen.length - at + 1));
      chosen.splice(at++, 0, d);
    }
    // The verb goes before the first item that may not precede it; its arguments anywhere after it.
    const firstAfter = chosen.findIndex((c) => !c.before);
    const verbAt = Math.floor(rand() * ((firstAfter < 0 ? chosen.length : firstAfter) + 1));
    const items = chosen.map((c) => c.words);
    items.splice(verbAt, 0, ['delete']);
    const p1 = verbAt + 1 + Math.floor(rand() * (items.length - verbAt));
    items.splice(p1, 0, ['pod']);
    const p2 = p1 + 1 + Math.floor(rand() * (items.length - p1));
    items.splice(p2, 0, ['web-1']);
    if (!items.some((w) => w[0].startsWith('--context'))) items.push(['--context', 'prod-eu']);
    return items.flat();
  }

  it('a boolean command flag before the verb hides it from kubectl: still asks', () => {
    const d = decide(split('kubectl --force delete pod web-1 --context prod-eu'), ctxOf());
    assert.strictEqual(d.verdict?.code, 'unknown');
    assert.strictEqual(d.action, 'confirm');
    const b = decide(split('kubectl --frobnicate delete pod web-1 --context prod-eu'), ctxOf());
    assert.strictEqual(b.verdict?.code, 'destructive');
    assert.strictEqual(b.action, 'confirm');
  });

  it('always asks with a dry-run value that means a real run (400 permutations)', () => {
    for (let n = 0; n < 400; n++) {
      const argv = build(rand() < 0.3 ? [] : [pick(real), ...(rand() < 0.3 ? [pick(dry), pick(real)] : [])]);
      const d = decide(['kubectl', ...argv], { env: {}, home, cwd, files: nodeFiles });
      assert.strictEqual(d.action, 'confirm', `kubectl ${argv.join(' ')} → ${d.verdict?.code} @ ${d.environment}`);
      assert.strictEqual(d.verdict?.code, 'destructive', argv.join(' '));
    }
  });

  it('never asks when the last dry-run value means dry (400 permutations)', () => {
    for (let n = 0; n < 400; n++) {
      const argv = build(rand() < 0.3 ? [pick(dry)] : [pick(real), pick(dry)]);
      const d = decide(['kubectl', ...argv], { env: {}, home, cwd, files: nodeFiles });
      assert.strictEqual(d.action, 'run', `kubectl ${argv.join(' ')} → ${d.verdict?.code}`);
      assert.strictEqual(d.verdict?.code, 'noEffect', argv.join(' '));
    }
  });
});
