// The guarded tools: one module per tool family. Adding a tool = one file here + its golden rows.
import type { ToolModule } from '../types';
import { awsModule } from './aws';
import { helmModule } from './helm';
import { kubectlModule } from './kubectl';
import { mongoshModule } from './mongosh';
import { mysqlModule } from './mysql';
import { postgresModule } from './postgres';
import { redisModule } from './redis';
import { terraformModule } from './terraform';

/** Every tool module. */
export const MODULES: readonly ToolModule[] = [
  kubectlModule, helmModule, awsModule, terraformModule, postgresModule, mysqlModule, redisModule, mongoshModule,
];

const BY_TOOL = new Map<string, ToolModule>(MODULES.flatMap((m) => m.tools.map((t) => [t, m] as const)));

/** The module guarding an executable basename, if any. */
export function moduleFor(tool: string): ToolModule | undefined {
  return BY_TOOL.get(tool);
}

/** Every guarded executable name. */
export const GUARDED_TOOLS: readonly string[] = [...BY_TOOL.keys()];
