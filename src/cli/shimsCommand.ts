import * as fs from 'fs';
import * as path from 'path';
import { SHIM_MARKER, SHIMMED_TOOLS, shimScript } from '../core/guard/shims';

/** Writes the shims into a folder (created 0755), each executable, plus the marker file. */
export function installShims(dir: string, runtime: string, cli: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, SHIM_MARKER), 'Prod Guard shims: every file here is generated.\n');
  return SHIMMED_TOOLS.map((tool) => {
    const file = path.join(dir, tool);
    fs.writeFileSync(file, shimScript(tool, runtime, cli), { mode: 0o755 });
    fs.chmodSync(file, 0o755);
    return file;
  });
}

/** `prod-guard shims install DIR`. */
export function shimsCommand(args: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (args[0] !== 'install' || !args[1]) {
    err('usage: prod-guard shims install DIR\n');
    return 2;
  }
  const dir = path.resolve(args[1]);
  try {
    // The shims call this very CLI with this very Node.
    installShims(dir, process.execPath, path.resolve(__filename));
  } catch (e) {
    err(`prod-guard: cannot install shims into ${dir}: ${(e as Error).message}\n`);
    return 1;
  }
  out(`Installed Prod Guard shims for ${SHIMMED_TOOLS.join(', ')} in ${dir}.\nAdd this line to your shell profile (~/.bashrc, ~/.zshrc), then open a new shell:\n\n  export PATH="${dir}:$PATH"\n\nCommands called by absolute path (/usr/bin/kubectl) bypass the shims.\n`);
  return 0;
}
