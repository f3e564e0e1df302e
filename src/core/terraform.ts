// The Terraform workspace of a folder, read as terraform 1.11 reads it (`terraform workspace show`, checked in
// test/system/terraform-workspace.test.ts): TF_WORKSPACE, else `<TF_DATA_DIR or .terraform>/environment`
// (trimmed; empty means `default`), else `default`; plus what `terraform init` recorded about the backend
// (bucket, key, HCP organization and workspace…). The status bar's signal and the guard's target share it.
import * as path from 'path';
import type { Files } from './files';
import type { DetectorResult, Problem } from './types';

/** Whether Go's url.PathEscape leaves the name unchanged (terraform's check on TF_WORKSPACE). */
export function validWorkspaceName(name: string): boolean {
  return /^[A-Za-z0-9\-_.~$&+,:;=@]+$/.test(name);
}

/** A folder's workspace: its name, where it was read, and why it could not be (then it is unknown). */
export interface TerraformWorkspace {
  readonly workspace: string;
  /** `env:TF_WORKSPACE`, the `environment` file, or the folder itself (the implicit `default`). */
  readonly source: string;
  readonly line?: number;
  readonly unresolved?: string;
  readonly dataDir: string;
}

/** The workspace terraform uses in `dir`. Problems (an unreadable file) are pushed to `problems`. */
export function terraformWorkspace(dir: string, env: NodeJS.ProcessEnv, files: Files, problems: Problem[]): TerraformWorkspace {
  const dataDir = path.resolve(dir, env.TF_DATA_DIR || '.terraform');
  const fromEnv = env.TF_WORKSPACE;
  if (fromEnv) {
    return {
      workspace: fromEnv, source: 'env:TF_WORKSPACE', dataDir,
      ...(validWorkspaceName(fromEnv) ? {} : { unresolved: `TF_WORKSPACE "${fromEnv.slice(0, 60)}" is not a valid workspace name` }),
    };
  }
  const file = path.join(dataDir, 'environment');
  const r = files.readText(file);
  if (r.ok) return { workspace: r.text.trim() || 'default', source: file, line: 1, dataDir };
  if (!r.missing) {
    problems.push({ source: file, message: `terraform workspace file ${r.message}` });
    return { workspace: 'default', source: file, unresolved: `${file} ${r.message}: the workspace is unknown`, dataDir };
  }
  return { workspace: 'default', source: dir, dataDir };
}

/** Identifiers from the backend terraform init recorded (`bucket`, `key`, HCP Terraform workspace…). */
export function terraformBackend(dataDir: string, files: Files, problems: Problem[]): { ids: string[]; type?: string } {
  const file = path.join(dataDir, 'terraform.tfstate');
  const r = files.readText(file);
  if (!r.ok) {
    if (!r.missing) problems.push({ source: file, message: `terraform backend record ${r.message}` });
    return { ids: [] };
  }
  try {
    const backend = (JSON.parse(r.text) as { backend?: { type?: string; config?: Record<string, unknown> } }).backend;
    const ids: string[] = [];
    const keys = ['bucket', 'key', 'prefix', 'workspace_key_prefix', 'path', 'organization', 'name', 'container_name',
      'storage_account_name', 'resource_group_name', 'schema_name', 'workspace_dir'];
    const visit = (o: unknown, depth: number): void => {
      if (depth > 3 || !o || typeof o !== 'object') return;
      for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
        if (typeof v === 'string' && v && keys.includes(k)) ids.push(v);
        else if (typeof v === 'object') visit(v, depth + 1);
      }
    };
    visit(backend?.config, 0);
    return { ids, type: backend?.type };
  } catch {
    problems.push({ source: file, message: 'terraform backend record is not JSON' });
    return { ids: [] };
  }
}

/**
 * A workspace folder's Terraform workspace as a signal: shown when it is not `default`, or when `terraform init`
 * recorded a backend (its bucket, key or HCP workspace can name production). Identified, like the guard's
 * target, by the workspace, the folder's name and the backend's names.
 */
export function detectTerraform(folder: string, env: NodeJS.ProcessEnv, files: Files): DetectorResult {
  const problems: Problem[] = [];
  const ws = terraformWorkspace(folder, env, files, problems);
  const backend = terraformBackend(ws.dataDir, files, problems);
  const watched = [path.join(ws.dataDir, 'environment'), path.join(ws.dataDir, 'terraform.tfstate')];
  // An unreadable environment file is already a problem; an invalid TF_WORKSPACE is said here.
  if (ws.unresolved && ws.source === 'env:TF_WORKSPACE') problems.push({ source: ws.source, message: ws.unresolved });
  if (ws.unresolved || (ws.workspace === 'default' && backend.ids.length === 0)) return { signals: [], problems, watched };
  const details: Record<string, string> = { workspace: ws.workspace, directory: folder };
  if (backend.type) details.backend = backend.type;
  return {
    signals: [{
      kind: 'terraform', name: ws.workspace, source: ws.source, ...(ws.line ? { line: ws.line } : {}), active: true,
      identifiers: [...new Set([ws.workspace, path.basename(folder), ...backend.ids])], details,
    }],
    problems,
    watched,
  };
}
