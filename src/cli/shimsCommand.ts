import * as path from 'path';
import { SHIMMED_TOOLS, writeShims } from '../core/guard/shims';

/** `prod-guard shims install DIR`. */
export function shimsCommand(args: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (args[0] !== 'install' || !args[1]) {
    err('usage: prod-guard shims install DIR\n');
    return 2;
  }
  const dir = path.resolve(args[1]);
  try {
    // The shims call this very CLI with this very Node.
    writeShims(dir, process.execPath, path.resolve(__filename));
  } catch (e) {
    err(`prod-guard: cannot install shims into ${dir}: ${(e as Error).message}\n`);
    return 1;
  }
  out([
    `Installed Prod Guard shims for ${SHIMMED_TOOLS.join(', ')} in ${dir}.`,
    'Add this line to your shell profile (~/.bashrc, ~/.zshrc), then open a new shell:',
    '',
    `  export PATH="${dir}:$PATH"`,
    '',
    'Commands called by absolute path (/usr/bin/kubectl) bypass the shims.',
    '',
  ].join('\n'));
  return 0;
}
