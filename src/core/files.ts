import * as fs from 'fs';

/** Result of reading a text file the detectors care about. */
export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

/** The file access detectors need; the Node implementation is `nodeFiles`, tests may use an in-memory one. */
export interface Files {
  /** Reads a UTF-8 text file of at most `maxBytes`; never throws. Only regular files are read. */
  readText(path: string, maxBytes?: number): ReadResult;
  /** The entries of a folder (names only, unsorted); never throws. */
  listDir?(dir: string): { ok: true; names: string[] } | { ok: false; missing: boolean; message: string };
  /** Permission bits of a file (`st_mode & 0o7777`), or undefined when it cannot be stat'ed. */
  mode?(file: string): number | undefined;
}

/** Files larger than this are reported, not read: config files are small, a huge one is a mistake or an attack. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Reads files synchronously from disk with size, binary and error checks turned into messages. */
export const nodeFiles: Files = {
  readText(path, maxBytes = DEFAULT_MAX_BYTES) {
    let fd: number | undefined;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer; anything but a regular file is refused below
      // (a pipe or device has no size to check and reading it would consume or block).
      fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) return { ok: false, missing: false, message: 'is a directory, not a file' };
      if (!st.isFile()) return { ok: false, missing: false, message: 'is not a regular file (a pipe, socket or device); not read' };
      if (st.size > maxBytes) {
        return { ok: false, missing: false, message: `is ${st.size} bytes, larger than the ${maxBytes}-byte limit; skipped` };
      }
      const buf = Buffer.alloc(st.size);
      let read = 0;
      while (read < st.size) {
        const n = fs.readSync(fd, buf, read, st.size - read, read);
        if (n === 0) break;
        read += n;
      }
      const data = buf.subarray(0, read);
      if (data.includes(0)) return { ok: false, missing: false, message: 'looks binary (contains NUL bytes); skipped' };
      return { ok: true, text: data.toString('utf8').replace(/^\uFEFF/, '') };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { ok: false, missing: true, message: 'does not exist' };
      if (err.code === 'EACCES' || err.code === 'EPERM') return { ok: false, missing: false, message: 'permission denied' };
      if (err.code === 'ELOOP') return { ok: false, missing: false, message: 'symbolic link loop' };
      return { ok: false, missing: false, message: err.code ? `cannot be read (${err.code})` : String(err.message) };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
  listDir(dir) {
    try {
      return { ok: true, names: fs.readdirSync(dir) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', message: code === 'EACCES' ? 'permission denied' : `cannot be listed (${code ?? String(e)})` };
    }
  },
  mode(file) {
    try {
      return fs.statSync(file).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
};

/** 1-based line number of a character offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
