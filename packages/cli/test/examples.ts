// Reading the `pnpm seqlab …` lines of --help examples as argv, the way a shell splits them.

/** Split a shell line into words (single and double quotes, backslash escapes in double quotes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        s += line[j];
        j++;
      }
      if (j >= line.length) throw new Error(`unclosed " in ${line}`);
      cur = (cur ?? '') + s;
      i = j;
    } else if (/\s/.test(ch)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** The `seqlab` argv of an example line: the words after `pnpm seqlab`, up to a pipe or a comment. */
export function exampleArgv(line: string): string[] {
  const words = shellWords(line);
  const at = words.findIndex((w, i) => w === 'pnpm' && words[i + 1] === 'seqlab');
  if (at < 0) throw new Error(`example without 'pnpm seqlab': ${line}`);
  const rest = words.slice(at + 2);
  const end = rest.findIndex((w) => w === '|' || w.startsWith('#'));
  return end < 0 ? rest : rest.slice(0, end);
}
