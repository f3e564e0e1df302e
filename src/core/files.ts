import * as fs from 'fs';

/** Result of reading a text file the detectors care about. */
export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

/** The file access detectors need; the Node implementation is `nodeFiles`, tests may use an in-memory one. */
export interface Files {
  /** Reads a UTF-8 text file of at most `maxBytes`; never throws. */
  readText(path: string, maxBytes?: number): ReadResult;
}

/** Files larger than this are reported, not read: config files are small, a huge one is a mistake or an attack. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Reads files synchronously from disk with size, binary and error checks turned into messages. */
export const nodeFiles: Files = {
  readText(path, maxBytes = DEFAULT_MAX_BYTES) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, 'r');
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) return { ok: false, missing: false, message: 'is a directory, not a file' };
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
};

/** 1-based line number of a character offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
