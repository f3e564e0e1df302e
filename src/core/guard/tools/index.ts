// The guarded tools: one module per tool family. Adding a tool = one file here + its golden rows.
// Modules are loaded on first use: a kubectl decision never evaluates the aws tables or the SQL judge, and
// `prod-guard detect` loads none of them.
import type { ToolModule } from '../types';

/** Each module file, the executables it guards, and how to load it. */
const FAMILIES: ReadonlyArray<{ readonly tools: readonly string[]; readonly load: () => ToolModule }> = [
  { tools: ['kubectl', 'oc'], load: () => (require('./kubectl') as { kubectlModule: ToolModule }).kubectlModule },
  { tools: ['helm'], load: () => (require('./helm') as { helmModule: ToolModule }).helmModule },
  { tools: ['aws'], load: () => (require('./aws') as { awsModule: ToolModule }).awsModule },
  { tools: ['terraform'], load: () => (require('./terraform') as { terraformModule: ToolModule }).terraformModule },
  {
    tools: ['psql', 'pg_restore', 'dropdb', 'dropuser', 'createdb', 'createuser', 'vacuumdb', 'reindexdb', 'clusterdb',
      'pgbench', 'pg_dump', 'pg_dumpall', 'vacuumlo', 'pg_recvlogical', 'pg_receivewal', 'pg_basebackup', 'pg_isready'],
    load: () => (require('./postgres') as { postgresModule: ToolModule }).postgresModule,
  },
  {
    tools: ['mysql', 'mariadb', 'mysqladmin', 'mariadb-admin', 'mysqldump', 'mariadb-dump'],
    load: () => (require('./mysql') as { mysqlModule: ToolModule }).mysqlModule,
  },
  { tools: ['redis-cli'], load: () => (require('./redis') as { redisModule: ToolModule }).redisModule },
  { tools: ['mongosh', 'mongo'], load: () => (require('./mongosh') as { mongoshModule: ToolModule }).mongoshModule },
];

const BY_TOOL = new Map(FAMILIES.flatMap((f) => f.tools.map((t) => [t, f] as const)));
const loaded = new Map<(typeof FAMILIES)[number], ToolModule>();

/** The module guarding an executable basename, if any (loaded now if it was not yet). */
export function moduleFor(tool: string): ToolModule | undefined {
  const family = BY_TOOL.get(tool);
  if (!family) return undefined;
  let m = loaded.get(family);
  if (!m) {
    m = family.load();
    loaded.set(family, m);
  }
  return m;
}

/** Whether an executable basename is guarded, without loading its module. */
export function isGuarded(tool: string): boolean {
  return BY_TOOL.has(tool);
}

/** Every guarded executable name. */
export const GUARDED_TOOLS: readonly string[] = [...BY_TOOL.keys()];
