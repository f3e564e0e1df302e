// POSIX shell quoting for the scripts and command lines Prod Guard writes (shims, shell init, the task hook,
// the words the shell walker and the task gate show back).

/** `s` in single quotes, safe as one word in any POSIX shell. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as the shell would read it back: bare when it holds only plain characters, else single-quoted. */
export function shWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : shQuote(s);
}
