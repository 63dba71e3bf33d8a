// Node-only: write a TSV parallel corpus to disk streamed, in chunks, never as one string.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';

/**
 * Writes `source<TAB>target` lines in ~64 KB chunks with backpressure, to `<path>.partial`, renamed
 * to `path` by close() — an interrupted build leaves no truncated corpus behind. Tabs and line breaks
 * inside fields become spaces (as formatTsv does), so every pair stays one line.
 * @example
 * const w = new TsvFileWriter('out/train.tsv');
 * for (const p of pairs) await w.write(p.en, p.tr);
 * await w.close();
 */
export class TsvFileWriter {
  private readonly stream: WriteStream;
  private buf: string[] = [];
  private size = 0;
  private error: Error | undefined;
  /** Pairs written so far. */
  count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`);
    // Kept for the next write/close (an unheard 'error' event would kill the process instead).
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  /** Queue one pair; resolves at once unless a chunk had to wait for the disk. */
  async write(source: string, target: string): Promise<void> {
    const line = `${clean(source)}\t${clean(target)}\n`;
    this.buf.push(line);
    this.size += line.length;
    this.count++;
    if (this.size >= 65536) await this.flush();
  }

  /** Flush, close the file and move it into place. */
  async close(): Promise<void> {
    await this.flush();
    try {
      await new Promise<void>((res, rej) =>
        this.stream.end((e?: Error | null) => (e ? rej(e) : res())),
      );
    } catch (e) {
      throw new Error(`${this.path}: cannot write the corpus (${(e as Error).message})`);
    }
    this.check();
    await rename(`${this.path}.partial`, this.path);
  }

  private check(): void {
    if (this.error)
      throw new Error(`${this.path}: cannot write the corpus (${this.error.message})`);
  }

  private async flush(): Promise<void> {
    this.check();
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (this.stream.write(chunk)) return;
    await new Promise<void>((res, rej) => {
      const onError = (e: Error) =>
        rej(new Error(`${this.path}: cannot write the corpus (${e.message})`));
      this.stream.once('error', onError);
      this.stream.once('drain', () => {
        this.stream.off('error', onError);
        res();
      });
    });
  }
}

function clean(s: string): string {
  return /[\t\r\n]/.test(s) ? s.replace(/[\t\r\n]/g, ' ') : s;
}
