import { promises as fsp } from 'fs';
import * as path from 'path';
import { minimatch } from 'minimatch';

/** Folders never worth scanning for connection strings: dependencies, VCS data, build output. */
export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', 'bower_components', 'vendor', '.venv', 'venv', '__pycache__', '.tox',
  'target', '.gradle', '.idea', '.next', '.nuxt', '.terraform', '.cache', 'coverage', '.yarn', 'dist', 'build',
  'out', 'bin', 'obj', '.vscode-test',
]);

/** How a workspace scan is bounded. */
export interface ScanOptions {
  /** Globs relative to the folder (files.exclude style: `**\/tmp`, `legacy/**`); matching files and folders are skipped. */
  readonly exclude: readonly string[];
  /** Folders deeper than this are not entered. */
  readonly maxDepth: number;
  /** Stop after visiting this many directory entries (a scan never runs away on a huge tree). */
  readonly maxEntries: number;
}

/** Safe defaults for `ScanOptions`. */
export const DEFAULT_SCAN: ScanOptions = { exclude: [], maxDepth: 12, maxEntries: 500_000 };

/** What a scan found. */
export interface ScanResult {
  /** Absolute paths of the files `accept` took. */
  readonly files: string[];
  /** Directory entries looked at. */
  readonly entries: number;
  /** True when `maxEntries` stopped the scan early. */
  readonly truncated: boolean;
  /** Folders that could not be read, with the reason. */
  readonly errors: Array<{ path: string; message: string }>;
}

/**
 * Walks a folder asynchronously (so the extension host stays responsive), never following directory symlinks
 * (no loops), keeping the files `accept(relativePath)` takes.
 */
export async function scanFolder(root: string, accept: (rel: string) => boolean, options: ScanOptions = DEFAULT_SCAN): Promise<ScanResult> {
  const excludes = options.exclude.filter((g) => g.trim() !== '');
  const isExcluded = (rel: string): boolean => excludes.some((g) => minimatch(rel, g, { dot: true }));
  const files: string[] = [];
  const errors: ScanResult['errors'] = [];
  let entries = 0;
  let truncated = false;
  const queue: Array<{ dir: string; rel: string; depth: number }> = [{ dir: root, rel: '', depth: 0 }];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (truncated) return;
      let dirents;
      try {
        dirents = await fsp.readdir(item.dir, { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') errors.push({ path: item.dir, message: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(code ?? e) });
        continue;
      }
      for (const d of dirents) {
        if (++entries > options.maxEntries) {
          truncated = true;
          return;
        }
        const rel = item.rel ? `${item.rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (DEFAULT_SKIPPED_DIRS.has(d.name) || item.depth + 1 > options.maxDepth || isExcluded(rel)) continue;
          queue.push({ dir: path.join(item.dir, d.name), rel, depth: item.depth + 1 });
        } else if ((d.isFile() || d.isSymbolicLink()) && accept(rel) && !isExcluded(rel)) {
          files.push(path.join(item.dir, d.name));
        }
      }
    }
  };
  // A few readers at once: enough to hide I/O latency on two cores, few enough to leave the host responsive.
  while (queue.length > 0 && !truncated) await Promise.all(Array.from({ length: 8 }, worker));
  files.sort();
  return { files, entries, truncated, errors };
}
