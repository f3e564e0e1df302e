// kubectl and oc. The grammar is kubectl 1.32's own, as data: global flags from `kubectl options`, each
// command's flags from `kubectl <command> --help`, flags that take a value only with `=` (NoOptDefVal:
// `--dry-run`, `--validate`, `--cascade`) proven by behaviour; test/system/kubectl-grammar.test.ts compares all
// of it with the installed binary. The command is found the way cobra finds it (only the flags of each level are
// known there; an unknown `--flag` or `-x` takes the next word, and one the tool has nowhere is also read as a
// boolean of a newer release), then the rest is parsed with pflag like the command's own flag set. kuberc
// aliases and defaults are applied before judging, one reading per kuberc document some kubectl release uses,
// next to the reading without kuberc. Secrets in the command run in a container (`exec … -- redis-cli -a PW`)
// are found by that tool's own module. `oc` is kubectl plus the OpenShift verbs of its documentation (oc is not
// installable here).
import { flagsFromSpec, goBool, type Grammar, lastFlag, type ParsedArgs, parseArgs } from '../grammar';
import {
  type ShimFastPath, type ToolAnalysis, type ToolContext, type ToolModule, verdict, type Verdict,
  worstVerdict,
} from '../types';
import { isSecretKey, maskArgv } from '../../mask';
import type { Problem } from '../../types';
import type { GuardTarget } from '../types';
import {
  type Kuberc, kubercCandidates, loadKubercs, type KubeSelection, newKubeCache, resolveKube, type Sourced,
} from './kubeTarget';

/** `kubectl options` (1.32): the flags every command takes. */
export const KUBECTL_GLOBAL_SPEC = `,as= ,as-group= ,as-uid= ,cache-dir= ,certificate-authority= ,client-certificate=
  ,client-key= ,cluster= ,context= ,disable-compression ,insecure-skip-tls-verify ,kubeconfig= ,log-flush-frequency=
  ,match-server-version n,namespace= ,password= ,profile= ,profile-output= ,request-timeout= s,server=
  ,tls-server-name= ,token= ,user= ,username= v,v= ,vmodule= ,warnings-as-errors`;

/** Global flags of newer kubectl releases the installed 1.32 does not have (`--kuberc`: 1.33+). */
export const KUBECTL_NEWER_GLOBAL_SPEC = ',kuberc=';

/**
 * Each command's own flags (`kubectl <command> --help`, 1.32), in `flagsFromSpec` form: `s,long=` takes a value,
 * `=?` takes one only when attached, no suffix is boolean. Every command also has `-h, --help`.
 */
export const KUBECTL_COMMANDS: Readonly<Record<string, string>> = {
  'create': `,allow-missing-template-keys ,dry-run=? ,edit ,field-manager= f,filename= k,kustomize= o,output= ,raw=
    R,recursive ,save-config l,selector= ,show-managed-fields ,template= ,validate=? ,windows-line-endings`,
  'create clusterrole': `,aggregation-rule= ,allow-missing-template-keys ,dry-run=? ,field-manager=
    ,non-resource-url= o,output= ,resource= ,resource-name= ,save-config ,show-managed-fields ,template=
    ,validate=? ,verb=`,
  'create clusterrolebinding': `,allow-missing-template-keys ,clusterrole= ,dry-run=? ,field-manager= ,group=
    o,output= ,save-config ,serviceaccount= ,show-managed-fields ,template= ,user= ,validate=?`,
  'create configmap': `,allow-missing-template-keys ,append-hash ,dry-run=? ,field-manager= ,from-env-file=
    ,from-file= ,from-literal= o,output= ,save-config ,show-managed-fields ,template= ,validate=?`,
  'create cronjob': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,image= o,output= ,restart=
    ,save-config ,schedule= ,show-managed-fields ,template= ,validate=?`,
  'create deployment': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,image= o,output= ,port=
    r,replicas= ,save-config ,show-managed-fields ,template= ,validate=?`,
  'create ingress': `,allow-missing-template-keys ,annotation= ,class= ,default-backend= ,dry-run=? ,field-manager=
    o,output= ,rule= ,save-config ,show-managed-fields ,template= ,validate=?`,
  'create job': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,from= ,image= o,output= ,save-config
    ,show-managed-fields ,template= ,validate=?`,
  'create namespace': `,allow-missing-template-keys ,dry-run=? ,field-manager= o,output= ,save-config
    ,show-managed-fields ,template= ,validate=?`,
  'create poddisruptionbudget': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,max-unavailable=
    ,min-available= o,output= ,save-config ,selector= ,show-managed-fields ,template= ,validate=?`,
  'create priorityclass': `,allow-missing-template-keys ,description= ,dry-run=? ,field-manager= ,global-default
    o,output= ,preemption-policy= ,save-config ,show-managed-fields ,template= ,validate=? ,value=`,
  'create quota': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,hard= o,output= ,save-config ,scopes=
    ,show-managed-fields ,template= ,validate=?`,
  'create role': `,allow-missing-template-keys ,dry-run=? ,field-manager= o,output= ,resource= ,resource-name=
    ,save-config ,show-managed-fields ,template= ,validate=? ,verb=`,
  'create rolebinding': `,allow-missing-template-keys ,clusterrole= ,dry-run=? ,field-manager= ,group= o,output=
    ,role= ,save-config ,serviceaccount= ,show-managed-fields ,template= ,user= ,validate=?`,
  'create secret': ``,
  'create secret docker-registry': `,allow-missing-template-keys ,append-hash ,docker-email= ,docker-password=
    ,docker-server= ,docker-username= ,dry-run=? ,field-manager= ,from-file= o,output= ,save-config
    ,show-managed-fields ,template= ,validate=?`,
  'create secret generic': `,allow-missing-template-keys ,append-hash ,dry-run=? ,field-manager= ,from-env-file=
    ,from-file= ,from-literal= o,output= ,save-config ,show-managed-fields ,template= ,type= ,validate=?`,
  'create secret tls': `,allow-missing-template-keys ,append-hash ,cert= ,dry-run=? ,field-manager= ,key= o,output=
    ,save-config ,show-managed-fields ,template= ,validate=?`,
  'create service': ``,
  'create service clusterip': `,allow-missing-template-keys ,clusterip= ,dry-run=? ,field-manager= o,output=
    ,save-config ,show-managed-fields ,tcp= ,template= ,validate=?`,
  'create service externalname': `,allow-missing-template-keys ,dry-run=? ,external-name= ,field-manager= o,output=
    ,save-config ,show-managed-fields ,tcp= ,template= ,validate=?`,
  'create service loadbalancer': `,allow-missing-template-keys ,dry-run=? ,field-manager= o,output= ,save-config
    ,show-managed-fields ,tcp= ,template= ,validate=?`,
  'create service nodeport': `,allow-missing-template-keys ,dry-run=? ,field-manager= ,node-port= o,output=
    ,save-config ,show-managed-fields ,tcp= ,template= ,validate=?`,
  'create serviceaccount': `,allow-missing-template-keys ,dry-run=? ,field-manager= o,output= ,save-config
    ,show-managed-fields ,template= ,validate=?`,
  'create token': `,allow-missing-template-keys ,audience= ,bound-object-kind= ,bound-object-name=
    ,bound-object-uid= ,duration= o,output= ,show-managed-fields ,template=`,
  'expose': `,allow-missing-template-keys ,cluster-ip= ,dry-run=? ,external-ip= ,field-manager= f,filename=
    k,kustomize= l,labels= ,load-balancer-ip= ,name= o,output= ,override-type= ,overrides= ,port= ,protocol=
    R,recursive ,save-config ,selector= ,session-affinity= ,show-managed-fields ,target-port= ,template= ,type=`,
  'run': `,allow-missing-template-keys ,annotations= ,attach ,cascade=? ,command ,dry-run=? ,env= ,expose
    ,field-manager= f,filename= ,force ,grace-period= ,image= ,image-pull-policy= k,kustomize= l,labels=
    ,leave-stdin-open o,output= ,override-type= ,overrides= ,pod-running-timeout= ,port= ,privileged q,quiet
    R,recursive ,restart= ,rm ,save-config ,show-managed-fields i,stdin ,template= ,timeout= t,tty ,wait`,
  'set': ``,
  'set env': `,all ,allow-missing-template-keys c,containers= ,dry-run=? e,env= ,field-manager= f,filename= ,from=
    ,keys= k,kustomize= ,list ,local o,output= ,overwrite ,prefix= R,recursive ,resolve l,selector=
    ,show-managed-fields ,template=`,
  'set image': `,all ,allow-missing-template-keys ,dry-run=? ,field-manager= f,filename= k,kustomize= ,local
    o,output= R,recursive l,selector= ,show-managed-fields ,template=`,
  'set resources': `,all ,allow-missing-template-keys c,containers= ,dry-run=? ,field-manager= f,filename=
    k,kustomize= ,limits= ,local o,output= R,recursive ,requests= l,selector= ,show-managed-fields ,template=`,
  'set selector': `,all ,allow-missing-template-keys ,dry-run=? ,field-manager= f,filename= ,local o,output=
    R,recursive ,resource-version= ,show-managed-fields ,template=`,
  'set serviceaccount': `,all ,allow-missing-template-keys ,dry-run=? ,field-manager= f,filename= k,kustomize=
    ,local o,output= R,recursive ,show-managed-fields ,template=`,
  'set subject': `,all ,allow-missing-template-keys ,dry-run=? ,field-manager= f,filename= ,group= k,kustomize=
    ,local o,output= R,recursive l,selector= ,serviceaccount= ,show-managed-fields ,template= ,user=`,
  'explain': `,api-version= o,output= ,recursive`,
  'get': `A,all-namespaces ,allow-missing-template-keys ,chunk-size= ,field-selector= f,filename= ,ignore-not-found
    k,kustomize= L,label-columns= ,no-headers o,output= ,output-watch-events ,raw= R,recursive l,selector=
    ,server-print ,show-kind ,show-labels ,show-managed-fields ,sort-by= ,subresource= ,template= w,watch
    ,watch-only`,
  'edit': `,allow-missing-template-keys ,field-manager= f,filename= k,kustomize= o,output= ,output-patch
    R,recursive ,save-config ,show-managed-fields ,subresource= ,template= ,validate=? ,windows-line-endings`,
  'delete': `,all A,all-namespaces ,cascade=? ,dry-run=? ,field-selector= f,filename= ,force ,grace-period=
    ,ignore-not-found i,interactive k,kustomize= ,now o,output= ,raw= R,recursive l,selector= ,timeout= ,wait`,
  'rollout': ``,
  'rollout history': `,allow-missing-template-keys f,filename= k,kustomize= o,output= R,recursive ,revision=
    l,selector= ,show-managed-fields ,template=`,
  'rollout pause': `,allow-missing-template-keys ,field-manager= f,filename= k,kustomize= o,output= R,recursive
    l,selector= ,show-managed-fields ,template=`,
  'rollout restart': `,allow-missing-template-keys ,field-manager= f,filename= k,kustomize= o,output= R,recursive
    l,selector= ,show-managed-fields ,template=`,
  'rollout resume': `,allow-missing-template-keys ,field-manager= f,filename= k,kustomize= o,output= R,recursive
    l,selector= ,show-managed-fields ,template=`,
  'rollout status': `f,filename= k,kustomize= R,recursive ,revision= l,selector= ,timeout= w,watch`,
  'rollout undo': `,allow-missing-template-keys ,dry-run=? f,filename= k,kustomize= o,output= R,recursive
    l,selector= ,show-managed-fields ,template= ,to-revision=`,
  'scale': `,all ,allow-missing-template-keys ,current-replicas= ,dry-run=? f,filename= k,kustomize= o,output=
    R,recursive ,replicas= ,resource-version= l,selector= ,show-managed-fields ,template= ,timeout=`,
  'autoscale': `,allow-missing-template-keys ,cpu-percent= ,dry-run=? ,field-manager= f,filename= k,kustomize=
    ,max= ,min= ,name= o,output= R,recursive ,save-config ,show-managed-fields ,template=`,
  'certificate': ``,
  'certificate approve': `,allow-missing-template-keys f,filename= ,force k,kustomize= o,output= R,recursive
    ,show-managed-fields ,template=`,
  'certificate deny': `,allow-missing-template-keys f,filename= ,force k,kustomize= o,output= R,recursive
    ,show-managed-fields ,template=`,
  'cluster-info': ``,
  'cluster-info dump': `A,all-namespaces ,allow-missing-template-keys ,namespaces= o,output= ,output-directory=
    ,pod-running-timeout= ,show-managed-fields ,template=`,
  'top': ``,
  'top node': `,no-headers l,selector= ,show-capacity ,sort-by= ,use-protocol-buffers`,
  'top pod': `A,all-namespaces ,containers ,field-selector= ,no-headers l,selector= ,sort-by= ,sum
    ,use-protocol-buffers`,
  'cordon': `,dry-run=? l,selector=`,
  'uncordon': `,dry-run=? l,selector=`,
  'drain': `,chunk-size= ,delete-emptydir-data ,disable-eviction ,dry-run=? ,force ,grace-period=
    ,ignore-daemonsets ,pod-selector= l,selector= ,skip-wait-for-delete-timeout= ,timeout=`,
  'taint': `,all ,allow-missing-template-keys ,dry-run=? ,field-manager= o,output= ,overwrite l,selector=
    ,show-managed-fields ,template= ,validate=?`,
  'describe': `A,all-namespaces ,chunk-size= f,filename= k,kustomize= R,recursive l,selector= ,show-events`,
  'logs': `,all-containers ,all-pods c,container= f,follow ,ignore-errors ,insecure-skip-tls-verify-backend
    ,limit-bytes= ,max-log-requests= ,pod-running-timeout= ,prefix p,previous l,selector= ,since= ,since-time=
    ,tail= ,timestamps`,
  'attach': `c,container= ,pod-running-timeout= q,quiet i,stdin t,tty`,
  'exec': `c,container= f,filename= ,pod-running-timeout= q,quiet i,stdin t,tty`,
  'port-forward': `,address= ,pod-running-timeout=`,
  'proxy': `,accept-hosts= ,accept-paths= ,address= ,api-prefix= ,append-server-path ,disable-filter ,keepalive=
    p,port= ,reject-methods= ,reject-paths= u,unix-socket= w,www= P,www-prefix=`,
  'cp': `c,container= ,no-preserve ,retries=`,
  'auth': ``,
  'auth can-i': `A,all-namespaces ,list ,no-headers q,quiet ,subresource=`,
  'auth reconcile': `,allow-missing-template-keys ,dry-run=? f,filename= k,kustomize= o,output= R,recursive
    ,remove-extra-permissions ,remove-extra-subjects ,show-managed-fields ,template=`,
  'auth whoami': `,allow-missing-template-keys o,output= ,show-managed-fields ,template=`,
  'debug': `,arguments-only ,attach c,container= ,copy-to= ,custom= ,env= f,filename= ,image= ,image-pull-policy=
    ,keep-annotations ,keep-init-containers ,keep-labels ,keep-liveness ,keep-readiness ,keep-startup ,profile=
    q,quiet ,replace ,same-node ,set-image= ,share-processes i,stdin ,target= t,tty`,
  'events': `A,all-namespaces ,allow-missing-template-keys ,chunk-size= ,for= ,no-headers o,output=
    ,show-managed-fields ,template= ,types= w,watch`,
  'diff': `,concurrency= ,field-manager= f,filename= ,force-conflicts k,kustomize= ,prune ,prune-allowlist=
    R,recursive l,selector= ,server-side ,show-managed-fields`,
  'apply': `,all ,allow-missing-template-keys ,cascade=? ,dry-run=? ,field-manager= f,filename= ,force
    ,force-conflicts ,grace-period= k,kustomize= ,openapi-patch o,output= ,overwrite ,prune ,prune-allowlist=
    R,recursive l,selector= ,server-side ,show-managed-fields ,subresource= ,template= ,timeout= ,validate=? ,wait`,
  'apply edit-last-applied': `,allow-missing-template-keys ,field-manager= f,filename= k,kustomize= o,output=
    R,recursive ,show-managed-fields ,template= ,validate=? ,windows-line-endings`,
  'apply set-last-applied': `,allow-missing-template-keys ,create-annotation ,dry-run=? f,filename= o,output=
    ,show-managed-fields ,template=`,
  'apply view-last-applied': `,all f,filename= k,kustomize= o,output= R,recursive l,selector=`,
  'patch': `,allow-missing-template-keys ,dry-run=? ,field-manager= f,filename= k,kustomize= ,local o,output=
    p,patch= ,patch-file= R,recursive ,show-managed-fields ,subresource= ,template= ,type=`,
  'replace': `,allow-missing-template-keys ,cascade=? ,dry-run=? ,field-manager= f,filename= ,force ,grace-period=
    k,kustomize= o,output= ,raw= R,recursive ,save-config ,show-managed-fields ,subresource= ,template= ,timeout=
    ,validate=? ,wait`,
  'wait': `,all A,all-namespaces ,allow-missing-template-keys ,field-selector= f,filename= ,for= ,local o,output=
    R,recursive l,selector= ,show-managed-fields ,template= ,timeout=`,
  'kustomize': `,as-current-user ,enable-alpha-plugins ,enable-helm e,env= ,helm-api-versions= ,helm-command=
    ,helm-debug ,helm-kube-version= ,load-restrictor= ,mount= ,network ,network-name= o,output=`,
  'label': `,all A,all-namespaces ,allow-missing-template-keys ,dry-run=? ,field-manager= ,field-selector=
    f,filename= k,kustomize= ,list ,local o,output= ,overwrite R,recursive ,resource-version= l,selector=
    ,show-managed-fields ,template=`,
  'annotate': `,all A,all-namespaces ,allow-missing-template-keys ,dry-run=? ,field-manager= ,field-selector=
    f,filename= k,kustomize= ,list ,local o,output= ,overwrite R,recursive ,resource-version= l,selector=
    ,show-managed-fields ,template=`,
  'completion': ``,
  'api-resources': `,api-group= ,cached ,categories= ,namespaced ,no-headers o,output= ,sort-by= ,verbs=`,
  'api-versions': ``,
  'config': ``,
  'config current-context': ``,
  'config delete-cluster': ``,
  'config delete-context': ``,
  'config delete-user': ``,
  'config get-clusters': ``,
  'config get-contexts': `,no-headers o,output=`,
  'config get-users': ``,
  'config rename-context': ``,
  'config set': `,set-raw-bytes`,
  'config set-cluster': `,certificate-authority= ,embed-certs ,insecure-skip-tls-verify ,proxy-url= ,server=
    ,tls-server-name=`,
  'config set-context': `,cluster= ,current ,namespace= ,user=`,
  'config set-credentials': `,auth-provider= ,auth-provider-arg= ,client-certificate= ,client-key= ,embed-certs
    ,exec-api-version= ,exec-arg= ,exec-command= ,exec-env= ,exec-interactive-mode= ,exec-provide-cluster-info
    ,password= ,token= ,username=`,
  'config unset': ``,
  'config use-context': ``,
  'config view': `,allow-missing-template-keys ,flatten ,merge ,minify o,output= ,raw ,show-managed-fields
    ,template=`,
  'plugin': ``,
  'plugin list': `,name-only`,
  'version': `,client o,output=`,
  'alpha': ``,
  'options': ``,
  'help': ``,
};

/** Command aliases (`Aliases:` in the help), by command path. */
export const KUBECTL_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'create configmap': ['cm'], 'create cronjob': ['cj'], 'create deployment': ['deploy'], 'create ingress': ['ing'],
  'create namespace': ['ns'], 'create poddisruptionbudget': ['pdb'], 'create priorityclass': ['pc'],
  'create quota': ['resourcequota'], 'create service': ['svc'], 'create serviceaccount': ['sa'],
  'set serviceaccount': ['sa'], 'top node': ['nodes', 'no'], 'top pod': ['pods', 'po'], 'config use-context': ['use'],
};

/**
 * Commands of kubectl releases newer than the installed one, known from their documentation, and cobra's hidden
 * shell-completion commands (they only read).
 */
const KUBECTL_NEWER_COMMANDS: Readonly<Record<string, string>> = {
  __complete: '', __completeNoDesc: '',
  kuberc: '', 'kuberc view': ',kuberc= o,output=',
  'kuberc set': ',appendarg= ,command= ,kuberc= ,name= ,option= ,overwrite ,prependarg= ,section=',
  'alpha kuberc': '', 'alpha kuberc view': ',kuberc= o,output=',
  'alpha kuberc set': ',appendarg= ,command= ,kuberc= ,name= ,option= ,overwrite ,prependarg= ,section=',
};

/**
 * OpenShift's `oc` commands beyond kubectl's (oc 4.x documentation). Flags are those the guard needs; others are
 * unknown and read both ways.
 */
const OC_COMMANDS: Readonly<Record<string, string>> = {
  login: 'u,username= p,password= ,token= ,certificate-authority= ,insecure-skip-tls-verify w,web ,callback-port=',
  logout: '', whoami: 't,show-token c,show-context ,show-server ,show-console', status: ',suggest o,output=',
  project: 'q,short', projects: 'q,short', 'new-project': ',description= ,display-name= ,skip-config-write',
  'new-app': 'e,env= o,output= ,dry-run=? l,labels= ,name= ,as-deployment-config',
  'new-build': 'e,env= o,output= ,dry-run=? ,name=',
  'start-build': 'F,follow w,wait ,from-build= ,from-dir= ,from-file= ,from-repo= e,env=', 'cancel-build': ',state=',
  'import-image': ',all ,confirm ,from= ,dry-run', tag: 'd,delete ,source= ,alias',
  rollback: ',dry-run ,to-version= o,output=',
  rsh: 'c,container= t,tty T,no-tty', rsync: 'c,container= ,delete ,exclude= ,include= ,progress ,no-perms w,watch',
  process: 'f,filename= p,param= o,output= ,local l,labels= ,param-file= ,parameters', extract: ',to= ,confirm ,keys=',
  observe: '', idle: ',all ,dry-run ,resource-names-file= l,selector=', 'get-token': '',
  adm: '', 'adm top': '', 'adm prune': '', 'adm policy': '', 'adm drain': ',dry-run=? ,force',
  'adm inspect': ',dest-dir=',
  'adm node-logs': '', 'adm must-gather': ',dest-dir= ,image=', 'adm release': '', 'adm release info': '',
  policy: '', 'policy who-can': '', 'policy scc-subject-review': '', 'policy scc-review': '',
  image: '', 'image info': '', 'image extract': '', 'image mirror': ',dry-run', 'image append': ',dry-run',
  registry: '', 'registry login': '', 'registry info': '', secrets: '', serviceaccounts: '',
  'serviceaccounts get-token': '', 'serviceaccounts new-token': '', 'serviceaccounts create-kubeconfig': '',
  'rollout latest': ',dry-run=?', 'rollout retry': '', 'rollout cancel': '',
};

const OC_ALIASES: Readonly<Record<string, readonly string[]>> = { serviceaccounts: ['sa'] };

/** How a command behaves, for the verdict. */
type Kind = 'read' | 'local' | 'help' | 'write' | 'delete' | 'group' | 'tunnel' | 'login';

/** What each command path does (kubectl 1.32 and oc 4.x); a path not here is a group or unknown. */
const KIND: Readonly<Record<string, Kind>> = {
  get: 'read', describe: 'read', logs: 'read', top: 'group', 'top node': 'read', 'top pod': 'read', wait: 'read',
  'rollout status': 'read', 'rollout history': 'read', 'auth can-i': 'read', 'auth whoami': 'read', events: 'read',
  explain: 'read', 'api-resources': 'read', 'api-versions': 'read', version: 'read', 'cluster-info': 'read',
  'cluster-info dump': 'read', diff: 'read', kustomize: 'local', completion: 'help', options: 'help', help: 'help',
  plugin: 'group', 'plugin list': 'read', 'apply view-last-applied': 'read', __complete: 'read',
  __completeNoDesc: 'read',
  config: 'local', kuberc: 'local', 'alpha kuberc': 'local',
  create: 'write', expose: 'write', run: 'write', set: 'group', edit: 'write', delete: 'delete', rollout: 'group',
  'rollout restart': 'write', 'rollout undo': 'write', 'rollout pause': 'write', 'rollout resume': 'write',
  scale: 'write', autoscale: 'write', certificate: 'group', 'certificate approve': 'write', 'certificate deny': 'write',
  cordon: 'write', uncordon: 'write', drain: 'write', taint: 'write', attach: 'write', exec: 'write',
  'port-forward': 'tunnel', proxy: 'tunnel', cp: 'write', auth: 'group', 'auth reconcile': 'write', debug: 'write',
  apply: 'write', 'apply edit-last-applied': 'write', 'apply set-last-applied': 'write', patch: 'write',
  replace: 'write', label: 'write', annotate: 'write', alpha: 'group',
  // oc
  login: 'login', logout: 'login', whoami: 'read', status: 'read', project: 'local', projects: 'read',
  'new-project': 'write', 'new-app': 'write', 'new-build': 'write', 'start-build': 'write', 'cancel-build': 'write',
  'import-image': 'write', tag: 'write', rollback: 'write', rsh: 'write', rsync: 'write', process: 'read',
  extract: 'read', observe: 'write', idle: 'write', 'get-token': 'read', adm: 'write', 'adm top': 'read',
  'adm prune': 'delete', 'adm policy': 'write', 'adm drain': 'write', 'adm inspect': 'read', 'adm node-logs': 'read',
  'adm must-gather': 'write', 'adm release': 'group', 'adm release info': 'read', policy: 'write',
  'policy who-can': 'read', 'policy scc-subject-review': 'read', 'policy scc-review': 'read', image: 'group',
  'image info': 'read', 'image extract': 'read', 'image mirror': 'write', 'image append': 'write', registry: 'group',
  'registry login': 'local', 'registry info': 'read', secrets: 'write', serviceaccounts: 'write',
  'serviceaccounts get-token': 'read', 'serviceaccounts new-token': 'write',
  'serviceaccounts create-kubeconfig': 'read',
  'rollout latest': 'write', 'rollout retry': 'write', 'rollout cancel': 'write',
};

/** A command of a cobra tree: its grammar (global + own flags) and its subcommands. */
export interface Cmd {
  readonly path: string;
  readonly name: string;
  readonly grammar: Grammar;
  readonly children: Map<string, Cmd>;
  /** A command the guard knows by name only (oc's): its own flags are partly unknown. */
  readonly partial: boolean;
}

/** A tree's root, as `buildTree` makes it: it also knows every flag spelling of the tree. */
export interface Tree extends Cmd {
  /** Every flag spelling (`--name`, `-x`) of any command, read from the specs without building each grammar. */
  readonly allFlags: () => ReadonlySet<string>;
}

const HELP = ' h,help';

/** A cobra command tree from flag specs by command path (`''` is the root), with aliases and secret flags. */
export function buildTree(specs: Readonly<Record<string, string>>, aliases: Readonly<Record<string, readonly string[]>>,
  global: string, partial: ReadonlySet<string> = new Set(), secretFlags: readonly string[] = ['password', 'token'],
  underscoreIsDash = true): Tree {
  const nodes = new Map<string, Cmd>();
  let globalFlags: ReturnType<typeof flagsFromSpec> | undefined;
  const make = (p: string): Cmd => {
    const existing = nodes.get(p);
    if (existing) return existing;
    // A command's grammar is read from its spec when first needed (a decision needs one or two of ~150).
    let grammar: Grammar | undefined;
    const cmd: Cmd = {
      path: p, name: p.split(' ').pop() ?? '', children: new Map(), partial: partial.has(p),
      get grammar(): Grammar {
        if (!grammar) {
          // A command's own flag hides an inherited one of the same name, shorthand included (pflag's
          // AddFlagSet skips names that exist): `kubectl config set-cluster --server` has no `-s`.
          const own = flagsFromSpec(`${specs[p] ?? ''}${HELP}`, secretFlags);
          const names = new Set(own.flatMap((f) => f.long ?? []));
          globalFlags ??= flagsFromSpec(global, secretFlags);
          const inherited = globalFlags.filter((f) => !(f.long ?? []).some((l) => names.has(l)));
          grammar = { style: 'pflag', underscoreIsDash, flags: [...inherited, ...own] };
        }
        return grammar;
      },
    };
    nodes.set(p, cmd);
    if (p !== '') {
      const parent = make(p.split(' ').slice(0, -1).join(' '));
      parent.children.set(cmd.name, cmd);
      for (const a of aliases[p] ?? []) parent.children.set(a, cmd);
    }
    return cmd;
  };
  for (const p of Object.keys(specs)) make(p);
  let all: Set<string> | undefined;
  const allFlags = (): ReadonlySet<string> => {
    if (!all) {
      all = new Set(['--help', '-h']);
      for (const spec of [global, ...Object.values(specs)]) {
        for (const entry of spec.trim().split(/\s+/)) {
          const [short, ...long] = entry.replace(/=\??$/, '').split(',');
          if (short) all.add(`-${short}`);
          for (const l of long) all.add(`--${l}`);
        }
      }
    }
    return all;
  };
  return Object.assign(make(''), { allFlags });
}

const GLOBAL = `${KUBECTL_GLOBAL_SPEC} ${KUBECTL_NEWER_GLOBAL_SPEC}`;
let kubectlTreeBuilt: Tree | undefined;
let ocTreeBuilt: Tree | undefined;
const KUBECTL_TREE = (): Tree =>
  (kubectlTreeBuilt ??= buildTree({ ...KUBECTL_COMMANDS, ...KUBECTL_NEWER_COMMANDS }, KUBECTL_ALIASES, GLOBAL));
const OC_TREE = (): Tree => (ocTreeBuilt ??= buildTree({ ...KUBECTL_COMMANDS, ...OC_COMMANDS },
  { ...KUBECTL_ALIASES, ...OC_ALIASES }, KUBECTL_GLOBAL_SPEC, new Set(Object.keys(OC_COMMANDS))));

/** A flag definition looked up as pflag does (`_` is `-`). */
function lookup(g: Grammar, token: string): { arg: string } | undefined {
  if (token.startsWith('--')) {
    const name = g.underscoreIsDash ? token.slice(2).replace(/_/g, '-') : token.slice(2);
    return g.flags.find((f) => f.long?.includes(name));
  }
  return g.flags.find((f) => f.short === token.slice(1));
}

/**
 * cobra's stripFlags/argsMinusFirstX: `--name` without `=` that is not a NoOptDefVal flag (unknown ones
 * included) and `-x` alone take the next word; returns the positions of the words that may be subcommands.
 */
function commandWords(args: readonly string[], g: Grammar): number[] {
  const out: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const s = args[i];
    if (s === '--') break;
    const needsValue = (): boolean => (lookup(g, s)?.arg ?? 'required') === 'required';
    const takesNext = !s.includes('=') && (s.startsWith('--') || (s.startsWith('-') && s.length === 2)) && needsValue();
    if (takesNext) {
      i++; // cobra: `--flag value`; at the end there is no value to skip
      continue;
    }
    if (s !== '' && !s.startsWith('-')) out.push(i);
  }
  return out;
}

/** cobra's Find: the command and the argument positions left for its flag parser. */
export function findCommand(root: Cmd, args: readonly string[]): { cmd: Cmd; kept: number[]; unknownWord?: string } {
  let cmd = root;
  const kept = args.map((_, i) => i);
  for (;;) {
    const view = kept.map((i) => args[i]);
    const ws = commandWords(view, cmd.grammar);
    if (ws.length === 0) return { cmd, kept };
    const word = view[ws[0]];
    const child = cmd.children.get(word);
    if (!child) return { cmd, kept, unknownWord: word };
    kept.splice(ws[0], 1);
    cmd = child;
  }
}

/** One way cobra may find the command: the command, the argument positions left for its flags, an unknown word. */
export interface Found {
  readonly cmd: Cmd;
  readonly kept: readonly number[];
  readonly unknownWord?: string;
}

/**
 * The positions where cobra may find the next command word when the grammar does not know every flag. A flag
 * unknown at this level takes the next word (cobra's rule for flags the binary does not know there); a name the
 * tool has nowhere in its tree may also be a boolean of a release the grammar does not cover (helm's hidden
 * `--logtostderr`), so it is read both ways and each word right after one is a candidate, up to the first word
 * no flag can take. Walks both states at once: linear in the arguments.
 */
function candidateWords(args: readonly string[], g: Grammar, known: ReadonlySet<string>): number[] {
  const out: number[] = [];
  let states = new Set<boolean>([false]); // whether the word at hand is the value of the flag before it
  for (let i = 0; i < args.length && states.size > 0; i++) {
    const s = args[i];
    const next = new Set<boolean>();
    for (const isValue of states) {
      if (isValue) {
        next.add(false);
      } else if (s === '--') {
        // this reading has no command word
      } else if (!s.includes('=') && (s.startsWith('--') || (s.startsWith('-') && s.length === 2))) {
        const def = lookup(g, s);
        if (def) next.add(def.arg === 'required');
        else if (known.has(normalized(g, s))) next.add(true);
        else next.add(true).add(false);
      } else if (s !== '' && !s.startsWith('-')) {
        out.push(i); // this reading ends here
      } else {
        next.add(false);
      }
    }
    states = next;
  }
  return out;
}

/** A flag token as the grammar names it (`--dry_run` is `--dry-run` where `_` is `-`). */
function normalized(g: Grammar, token: string): string {
  return g.underscoreIsDash && token.startsWith('--') ? `--${token.slice(2).replace(/_/g, '-')}` : token;
}

/** At most this many readings of where the command is; beyond, the command line is "unparseable". */
const MAX_FINDS = 32;
/** Words parsed over all readings of one command line: a long line gets fewer readings, so the work is bounded. */
const MAX_READ_WORDS = 200_000;

/**
 * cobra's Find for every reading of the flags the grammar does not know (see candidateWords). The first is
 * cobra's own reading (unknown flags take a value); `truncated` when there were more readings than the guard
 * reads (MAX_FINDS, fewer for a long line).
 */
export function findCommands(root: Tree, args: readonly string[]): { found: Found[]; truncated: boolean } {
  const max = Math.max(2, Math.min(MAX_FINDS, Math.floor(MAX_READ_WORDS / Math.max(1, args.length))));
  const literal = findCommand(root, args);
  // A reading is its command and the argument positions taken as command words; those that differ only in
  // which unknown word is shown judge alike.
  const key = (path: string, removed: readonly number[], unknown: boolean): string =>
    `${path}\u0000${unknown}\u0000${[...removed].sort((x, y) => x - y).join(',')}`;
  const literalKept = new Set(literal.kept);
  const literalRemoved = args.map((_, i) => i).filter((i) => !literalKept.has(i));
  const found: Found[] = [literal];
  const seen = new Set([key(literal.cmd.path, literalRemoved, literal.unknownWord !== undefined)]);
  let truncated = false;
  const known = root.allFlags();
  const add = (f: Found, removed: readonly number[]): void => {
    const k = key(f.cmd.path, removed, f.unknownWord !== undefined);
    if (seen.has(k)) return;
    if (found.length >= max) truncated = true;
    else {
      seen.add(k);
      found.push(f);
    }
  };
  const walk = (cmd: Cmd, kept: readonly number[], removed: readonly number[]): void => {
    if (truncated) return;
    const view = kept.map((i) => args[i]);
    const words = candidateWords(view, cmd.grammar, known);
    // A command without subcommands reads every word as an argument: one reading, as cobra's.
    if (words.length === 0 || cmd.children.size === 0) {
      add({ cmd, kept, ...(words.length ? { unknownWord: view[words[0]] } : {}) }, removed);
      return;
    }
    let unknownAdded = false;
    for (const w of words) {
      if (truncated) return;
      const child = cmd.children.get(view[w]);
      if (child) walk(child, kept.filter((_, j) => j !== w), [...removed, kept[w]]);
      else if (!unknownAdded) {
        // Every unknown word here is the same reading (`cmd`, nothing removed): once is enough.
        add({ cmd, kept, unknownWord: view[w] }, removed);
        unknownAdded = true;
      }
    }
  };
  walk(root, args.map((_, i) => i), []);
  return { found, truncated };
}

/** One argument after kuberc: its text and its index in the real argv (-1 when kuberc added it). */
interface Arg {
  readonly value: string;
  readonly index: number;
}

/** One way kubectl may read the command (without kuberc, with one kuberc file). */
interface Reading {
  readonly args: readonly Arg[];
  /** Where selections that kuberc set came from. */
  readonly synthetic: ReadonlyMap<string, string>;
  readonly alias?: string;
}

function lastSourced(p: ParsedArgs, args: readonly Arg[], synthetic: ReadonlyMap<string, string>, name: string,
  label: string): Sourced | undefined {
  const f = lastFlag(p, name);
  if (!f || f.value === undefined) return undefined;
  const orig = args[f.index]?.index ?? -1;
  return { value: f.value, source: orig < 0 ? synthetic.get(name) ?? `kuberc default --${name}` : `${label} flag` };
}

/** What the flags select (the last occurrence of each wins, as in pflag). */
function selection(p: ParsedArgs, args: readonly Arg[], synthetic: ReadonlyMap<string, string>): KubeSelection {
  const s = (name: string, label: string): Sourced | undefined => lastSourced(p, args, synthetic, name, label);
  return {
    kubeconfig: s('kubeconfig', '--kubeconfig'), context: s('context', '--context'), cluster: s('cluster', '--cluster'),
    user: s('user', '--user'), server: s('server', '--server'), namespace: s('namespace', '--namespace'),
  };
}

/** kubectl's GetDryRunStrategy: `true` when nothing is sent for real. Invalid values read as a real run. */
export function kubectlDryRun(p: ParsedArgs): boolean {
  const f = lastFlag(p, 'dry-run');
  if (!f) return false;
  if (f.value === undefined || f.value === 'unchanged') return true; // bare --dry-run (NoOptDefVal) = client
  const b = goBool(f.value);
  if (b !== undefined) return b;
  return f.value === 'client' || f.value === 'server';
}

function boolFlag(p: ParsedArgs, name: string): boolean {
  const f = lastFlag(p, name);
  return !!f && goBool(f.value ?? 'true') === true;
}

/** `[ns/]pod:path` as kubectl cp reads it (a colon not at the start, at most one slash before it). */
function isPodSpec(arg: string): boolean {
  const i = arg.indexOf(':');
  return i > 0 && arg.slice(0, i).split('/').length <= 2;
}

/** Whether every subcommand below a group only reads. */
function onlyReads(cmd: Cmd): boolean {
  return [...cmd.children.values()].every((c) => ['read', 'local', 'help'].includes(KIND[c.path] ?? '')
    && onlyReads(c));
}

/** The verdict of one reading. */
function judgeReading(tool: string, cmd: Cmd, p: ParsedArgs, unknownWord: string | undefined, alias?: string,
  secret: ReadonlySet<number> = new Set()): Verdict {
  const verb = `${tool} ${cmd.path}`.trim();
  const shown = alias ? `${tool} ${alias} (kuberc alias of ${cmd.path})` : verb;
  if (boolFlag(p, 'help')) return verdict('noEffect', `${verb} --help`);
  if (cmd.path === '') {
    if (unknownWord === undefined) return verdict('noEffect', `${tool} (prints help)`);
    return verdict('unknown', `${tool} ${unknownWord}: not a ${tool} command (a plugin or a typo)`);
  }
  const kind: Kind | undefined = KIND[cmd.path]
    ?? (cmd.path.startsWith('config') ? 'local' : cmd.children.size > 0 ? 'group'
      : cmd.path.startsWith('create') || cmd.path.startsWith('set ') ? 'write' : undefined);
  if (unknownWord !== undefined && kind === 'group') {
    // A group whose subcommands all only read (top, plugin) just prints its help for an unknown word.
    if (onlyReads(cmd)) return verdict('readOnly', `${verb} ${unknownWord}`);
    return verdict('unknown', `${verb} ${unknownWord}: not a known ${verb} subcommand`);
  }
  const has = (name: string): boolean => cmd.grammar.flags.some((f) => f.name === name);
  switch (kind) {
    case 'read': return verdict('readOnly', shown);
    case 'local': return verdict('localOnly', shown);
    case 'help': return verdict('noEffect', shown);
    case 'group': return verdict('noEffect', `${verb} (prints help)`);
    case 'login': return verdict('harmlessWrite', `${shown} (the user's own session)`);
    case undefined: return verdict('unknown', `${shown}: not in the guard's table`);
    default: break;
  }
  if (has('dry-run') && kubectlDryRun(p)) return verdict('noEffect', `${shown} --dry-run`);
  if (has('local') && boolFlag(p, 'local')) return verdict('noEffect', `${shown} --local`);
  const pos = p.positionals.slice(0, p.dashAt).map((x) => x.value);
  if (['label', 'annotate', 'set env'].includes(cmd.path) && boolFlag(p, 'list')) {
    return verdict('readOnly', `${shown} --list`);
  }
  if (cmd.path === 'attach' && !boolFlag(p, 'stdin')) return verdict('readOnly', `${shown} (output only, no -i)`);
  if ((cmd.path === 'cp' || cmd.path === 'rsync') && pos.length === 2 && isPodSpec(pos[0]) && !isPodSpec(pos[1])) {
    return verdict('readOnly', `${shown} from a pod`);
  }
  if (kind === 'tunnel') {
    return verdict('mutating', `${shown}: opens a tunnel into the cluster that other tools can write through`);
  }
  if (kind === 'delete') return verdict('destructive', shown);
  if (cmd.path === 'apply' && boolFlag(p, 'prune')) return verdict('destructive', `${shown} --prune`);
  if (cmd.path === 'replace' && boolFlag(p, 'force')) {
    return verdict('destructive', `${shown} --force (deletes and recreates)`);
  }
  if (cmd.path === 'tag' && boolFlag(p, 'delete')) return verdict('destructive', `${shown} --delete`);
  if (cmd.path === 'exec' || cmd.path === 'rsh') {
    // The command shown is masked like the command line (`redis-cli -a ***`).
    const inner = p.positionals.slice(p.dashAt);
    const masked = maskArgv(inner.map((x) => x.value), inner.flatMap((x, k) => (secret.has(x.index) ? [k] : [])));
    const command = masked.join(' ');
    return verdict('mutating', shown, command ? { statement: command.slice(0, 200) } : {});
  }
  return verdict('mutating', shown);
}

/** Keys whose values are secrets in `KEY=value` arguments (`--from-literal`, `--env`, `set env`). */
const SECRET_KEY = /pass|pwd|secret|token|key|credential|auth|private|cert/i;

/** `kubectl config set-credentials` flags whose values are credentials. */
const CREDENTIAL_FLAGS = ['token', 'password', 'auth-provider-arg', 'exec-env'];

/** `kubectl config set PROPERTY VALUE`: properties whose values are credentials. */
const SECRET_PROPERTY = /(token|password|key-data)$|auth-provider\.config\.[^.]*secret/i;

/** A Secret as a kubectl resource argument: `secret`, `secrets/db`, `Secret.v1`, `secrets.v1./db`. */
const SECRET_RESOURCE = /^secrets?(\.v1\.?)?(\/|$)/i;

/** argv indices of secrets the grammar cannot mark by flag: literals of a Secret, secret-looking assignments. */
function extraSecrets(cmd: Cmd, p: ParsedArgs, args: readonly string[], ctx: ToolContext): number[] {
  const out: number[] = [];
  const isSecretCmd = cmd.path.startsWith('create secret') || cmd.path === 'secrets';
  const before = p.positionals.slice(0, p.dashAt);
  for (const f of p.flags) {
    if (f.valueIndex === undefined || f.value === undefined) continue;
    const key = f.value.split('=')[0];
    const secretKey = SECRET_KEY.test(key);
    if ((f.name === 'from-literal' && (isSecretCmd || secretKey)) || f.name === 'docker-password'
      || (['env', 'param'].includes(f.name) && secretKey)
      || (cmd.path === 'config set-credentials' && CREDENTIAL_FLAGS.includes(f.name))) {
      out.push(f.valueIndex);
    }
    // A patch of a Secret carries its data (`{"stringData":{"password":…}}`); of an unnamed type (`-f`), when
    // it has data.
    if (cmd.path === 'patch' && f.name === 'patch'
      && (SECRET_RESOURCE.test(before[0]?.value ?? '') || /stringData|\bdata\b/.test(f.value))) {
      out.push(f.valueIndex);
    }
  }
  if (['set env', 'run', 'new-app', 'new-build'].includes(cmd.path) || cmd.path.startsWith('create')) {
    for (const x of before) {
      if (/^[A-Za-z_][\w.-]*=/.test(x.value) && SECRET_KEY.test(x.value.split('=')[0])) out.push(x.index);
    }
  }
  if (cmd.path === 'config set' && before.length >= 2 && SECRET_PROPERTY.test(before[0].value)) {
    out.push(before[1].index);
  }
  // The command run in a container: `exec POD -- CMD`, `run … -- CMD`, `debug … -- CMD`, `oc rsh POD CMD` (oc
  // reads no flag after the pod).
  // Without `--` (kubectl refuses `exec POD CMD -a x`; it is still shown) the words after the pod's.
  let inner: number[] = [];
  const pod = p.positionals[0]?.index ?? args.length;
  const container = ['exec', 'run', 'debug'].includes(cmd.path);
  if (container && p.dashAt < p.positionals.length) inner = p.positionals.slice(p.dashAt).map((x) => x.index);
  else if (container || cmd.path === 'rsh') {
    const from = container ? p.positionals[1]?.index ?? args.length : pod + 1;
    for (let k = from; k < args.length; k++) if (inner.length || args[k] !== '--') inner.push(k);
  }
  if (inner.length > 0) for (const k of innerSecrets(inner.map((i) => args[i]), ctx)) out.push(inner[k]);
  return out;
}

/** Shells whose `-c STRING` runs a command line. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'mksh']);

type ModuleLookup = (tool: string) => ToolModule | undefined;

/** Nesting of command lines read inside others (`exec … -- sh -c "kubectl exec … -- …"`): bounded. */
let innerDepth = 0;

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/**
 * Offsets (into `words`) of the secrets in a command run inside a container. A guarded tool's own module finds
 * its secrets (`redis-cli -a PW`, `mysql -pPW`, `psql postgres://u:PW@h`); `NAME=value` assignments with a secret
 * name (`env MYSQL_PWD=…`), credential options of other tools, and a shell's `-c STRING` holding any of these
 * are masked too.
 */
function innerSecrets(words: readonly string[], ctx: ToolContext): number[] {
  const out: number[] = [];
  if (innerDepth >= 3) return out;
  let i = 0;
  if (basename(words[0] ?? '') === 'env') for (i = 1; i < words.length && words[i].startsWith('-');) i++;
  for (; i < words.length && /^[A-Za-z_]\w*=/.test(words[i]); i++) {
    if (SECRET_KEY.test(words[i].split('=')[0])) out.push(i);
  }
  if (i >= words.length) return out;
  const tool = basename(words[i]);
  const rest = words.slice(i + 1);
  innerDepth++;
  try {
    if (SHELLS.has(tool)) {
      // `sh -c STRING`, `bash -o pipefail -ec STRING`: the string is the first word after the options.
      let k = 0;
      let c = false;
      for (; k < rest.length && /^[-+]/.test(rest[k]) && rest[k] !== '--'; k++) {
        if (/^[-+]o$|^[-+]O$/.test(rest[k])) k++;
        else if (/^-[a-zA-Z]*c/.test(rest[k])) c = true;
      }
      if (rest[k] === '--') k++;
      if (c && k < rest.length && shellLines(rest[k]).some((seg) => innerSecrets(seg, ctx).length > 0)) {
        out.push(i + 1 + k);
      }
      return out;
    }
    const module = (require('./index') as { moduleFor: ModuleLookup }).moduleFor(tool);
    if (module) {
      for (const k of module.analyze(tool, rest, ctx).secretArgs) out.push(i + 1 + k);
      return out;
    }
    // Another tool: its credential options (`--password=x`, `--api-key x`).
    for (let k = 0; k < rest.length; k++) {
      const [name, value] = rest[k].split(/=(.*)/s);
      if (!name.startsWith('-') || !isSecretKey(name)) continue;
      if (value !== undefined) out.push(i + 1 + k);
      else if (k + 1 < rest.length) out.push(i + 1 + ++k);
    }
    return out;
  } catch {
    // A module that fails on this command line: every word of it may be a secret.
    return words.map((_, k) => k);
  } finally {
    innerDepth--;
  }
}

/** The simple commands of a shell command line, as words (quotes and backslashes as sh reads them; no expansion). */
function shellLines(script: string): string[][] {
  const lines: string[][] = [];
  let words: string[] = [];
  let cur = '';
  let any = false;
  const endWord = (): void => {
    if (any) words.push(cur);
    cur = '';
    any = false;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === '\'' || ch === '"') {
      const end = script.indexOf(ch, i + 1);
      const stop = end < 0 ? script.length : end;
      cur += script.slice(i + 1, stop);
      any = true;
      i = stop;
    } else if (ch === '\\' && i + 1 < script.length) {
      cur += script[++i];
      any = true;
    } else if (/[;&|\n()]/.test(ch)) {
      endWord();
      if (words.length) lines.push(words);
      words = [];
    } else if (/\s/.test(ch)) {
      endWord();
    } else {
      cur += ch;
      any = true;
    }
  }
  endWord();
  if (words.length) lines.push(words);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// kuberc

/** kuberc's searchInArgs: whether the user gave the flag (its heuristics included, e.g. `-in` counts as `-n`). */
function searchInArgs(name: string, short: string | undefined, args: readonly string[]): boolean {
  for (const a of args) {
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return true;
    if (!short) continue;
    if (a.startsWith(`-${short}`)) return true;
    if (/^-[a-zA-Z]+$/.test(a) && a.slice(1).includes(short)) return true;
  }
  return false;
}

/** Applies one kuberc's options (alias or defaults) as kubectl's `Flags().Set` does; undefined when kubectl fails. */
function kubercOptions(cmd: Cmd, options: ReadonlyArray<{ name: string; default: string }>, userArgs: readonly string[],
  origin: string, synthetic: Map<string, string>): Arg[] | undefined {
  const out: Arg[] = [];
  for (const o of options) {
    const def = cmd.grammar.flags.find((f) => f.long?.includes(o.name));
    if (!def) return undefined; // kubectl: invalid flag … for command — it stops
    if (searchInArgs(o.name, def.short, userArgs)) continue;
    out.push({ value: `--${o.name}=${o.default}`, index: -1 });
    synthetic.set(def.name, `${origin} (kuberc --${o.name}=${o.default})`);
  }
  return out;
}

/** The command line as kubectl reads it with this kuberc, or undefined when kuberc changes nothing. */
function applyKuberc(root: Cmd, kr: Kuberc, args: readonly Arg[]): Reading | undefined {
  if (args.length === 0) return undefined;
  const values = args.map((a) => a.value);
  const found = findCommand(root, values);
  const synthetic = new Map<string, string>();
  if (found.cmd.path === '' && found.unknownWord !== undefined) {
    const at = values.findIndex((v) => !v.startsWith('-'));
    const alias = kr.aliases.find((a) => a.name === values[at]);
    if (!alias || !/^[a-zA-Z]+$/.test(alias.name) || root.children.has(alias.name)) return undefined;
    const words = alias.command.trim().split(/\s+/);
    const target = findCommand(root, words);
    if (target.unknownWord !== undefined || target.cmd.path === '') return undefined;
    const opts = kubercOptions(target.cmd, alias.options, values, kr.file, synthetic);
    if (!opts) return undefined;
    const pathWords = target.cmd.path.split(' ').map((w) => ({ value: w, index: -1 }));
    const added = (vs: readonly string[]): Arg[] => vs.map((v) => ({ value: v, index: -1 }));
    const rebuilt = [...opts, ...args.slice(0, at), ...pathWords, ...added(alias.prependArgs), ...args.slice(at + 1),
      ...added(alias.appendArgs)];
    // The alias word itself is shown as the verb; keep its index for nothing secret.
    return { args: rebuilt, synthetic, alias: alias.name };
  }
  if (found.unknownWord !== undefined && found.cmd.path === '') return undefined;
  const extra: Arg[] = [];
  for (const d of kr.defaults) {
    const dc = findCommand(root, d.command.trim().split(/\s+/));
    if (dc.unknownWord !== undefined || dc.cmd.path === '' || dc.cmd.name !== found.cmd.name) continue;
    const opts = kubercOptions(found.cmd, d.options, values, kr.file, synthetic);
    if (!opts) return undefined;
    extra.push(...opts);
  }
  return extra.length ? { args: [...extra, ...args], synthetic } : undefined;
}

/** `--kuberc` as kubectl finds it before parsing: `--kuberc PATH` or any argument containing `--kuberc=`. */
function explicitKuberc(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--kuberc') return argv[i + 1];
    if (a.includes('--kuberc=')) return a.split('=')[1] || undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

function targetKey(t: GuardTarget): string {
  return `${t.name}\u0000${t.source}\u0000${t.identifiers.join(',')}\u0000${t.unresolved ?? ''}`;
}

/** Reads one kubectl/oc command line (without the tool name). */
export function analyzeKube(tool: string, argv: readonly string[], ctx: ToolContext): ToolAnalysis {
  const root = tool === 'oc' ? OC_TREE() : KUBECTL_TREE();
  const base: Reading = { args: argv.map((value, index) => ({ value, index })), synthetic: new Map() };
  const readings: Reading[] = [];
  const problems: Problem[] = [];
  const extraTargets: GuardTarget[] = [];
  const cache = newKubeCache();
  let withBase = true;
  if (tool === 'kubectl') {
    const cand = kubercCandidates(explicitKuberc(argv), ctx);
    const loaded = loadKubercs(cand.files, ctx.files, cache);
    problems.push(...loaded.problems);
    if (loaded.tooLarge) {
      extraTargets.push({
        kind: 'kubernetes', name: 'kuberc', identifiers: [], details: {}, source: loaded.tooLarge.split(': ')[0],
        unresolved: loaded.tooLarge,
      });
    }
    // Each kuberc document some kubectl release uses is a reading; the command without kuberc (older kubectl,
    // feature off, a document the guard reads differently) is one too, even with --kuberc. Only a word that is
    // an alias in every reading of kuberc drops it: without kuberc it would be a plugin.
    let allAliased = loaded.kubercs.length > 0;
    for (const kr of loaded.kubercs) {
      const r = applyKuberc(root, kr, base.args);
      if (r) readings.push(r);
      allAliased &&= r?.alias !== undefined;
    }
    withBase = !allAliased;
  }
  if (withBase) readings.unshift(base);

  const verdicts: Verdict[] = [];
  const targets = new Map<string, GuardTarget>();
  for (const t of extraTargets) targets.set(targetKey(t), t);
  const secrets = new Set<number>();
  const resolved = new Map<string, { targets: GuardTarget[]; problems: Problem[] }>();
  let verb = '';
  for (const r of readings) {
    const values = r.args.map((a) => a.value);
    const finds = findCommands(root, values);
    if (finds.truncated) {
      verdicts.push(verdict('unparseable', `${tool}: too many ways to read the flags before the command`));
    }
    for (const found of finds.found) {
      const view = found.kept.map((i) => r.args[i]);
      const viewValues = view.map((a) => a.value);
      const first = parseArgs(viewValues, found.cmd.grammar);
      const parses = first.unknown.length > 0
        ? [first, parseArgs(viewValues, found.cmd.grammar, { unknownTakesValue: true })] : [first];
      verb ||= r.alias ? `${r.alias} → ${found.cmd.path}` : found.cmd.path || found.unknownWord || '';
      for (const p of parses) {
        const secretView = new Set([...p.secrets, ...extraSecrets(found.cmd, p, viewValues, ctx)]);
        verdicts.push(judgeReading(tool, found.cmd, p, found.unknownWord, r.alias, secretView));
        for (const i of secretView) {
          const orig = view[i]?.index ?? i;
          if (orig >= 0) secrets.add(orig);
        }
        const sel = selection(p, view, r.synthetic);
        const key = JSON.stringify(sel);
        let res = resolved.get(key);
        if (!res) {
          res = resolveKube(sel, ctx, cache);
          resolved.set(key, res);
          for (const pr of res.problems) {
            if (!problems.some((x) => x.source === pr.source && x.message === pr.message)) problems.push(pr);
          }
        }
        for (const t of res.targets) targets.set(targetKey(t), t);
      }
    }
  }
  const worst = worstVerdict(verdicts, verdict('unknown', `${tool}: nothing to judge`));
  return {
    verb, targets: [...targets.values()], problems, readsStdin: false, secretArgs: [...secrets].sort((a, b) => a - b),
    judge: () => worst,
  };
}

function fastPath(tool: 'kubectl' | 'oc'): ShimFastPath {
  const root = tool === 'oc' ? OC_TREE() : KUBECTL_TREE();
  const valueFlags: string[] = [];
  const booleanFlags: string[] = [];
  for (const f of root.grammar.flags) {
    const spellings = [...(f.long ?? []).map((l) => `--${l}`), ...(f.short ? [`-${f.short}`] : [])];
    if (f.arg === 'required') valueFlags.push(...spellings);
    else if (f.arg === 'none') booleanFlags.push(...spellings.filter((s) => s !== '-h' && s !== '--help'));
  }
  // Only verbs that read whatever follows them (help is a read too); no group whose subcommands write.
  const readOnlyVerbs = ['get', 'describe', 'logs', 'explain', 'api-resources', 'api-versions', 'version', 'events',
    'wait', 'diff', 'kustomize', 'cluster-info', 'top', 'config', 'completion', 'options', 'help', 'plugin'];
  if (tool === 'oc') readOnlyVerbs.push('whoami', 'status', 'projects', 'project', 'process', 'extract', 'get-token');
  return { valueFlags, booleanFlags, readOnlyVerbs };
}

/** kubectl and oc. */
export const kubectlModule: ToolModule = {
  tools: ['kubectl', 'oc'],
  analyze: (tool, argv, ctx) => analyzeKube(tool === 'oc' ? 'oc' : 'kubectl', argv, ctx),
  fastPath: { kubectl: fastPath('kubectl'), oc: fastPath('oc') },
};

/** The command tree's grammar of one command path, for the grammar oracle. */
export function kubectlGrammarOf(path: string, tool: 'kubectl' | 'oc' = 'kubectl'): Grammar | undefined {
  let cmd: Cmd | undefined = tool === 'oc' ? OC_TREE() : KUBECTL_TREE();
  for (const w of path.split(' ').filter(Boolean)) cmd = cmd?.children.get(w);
  return cmd?.grammar;
}

/** The kubectl (or oc) command tree, for tests. */
export function kubectlTree(tool: 'kubectl' | 'oc' = 'kubectl'): Tree {
  return tool === 'oc' ? OC_TREE() : KUBECTL_TREE();
}
