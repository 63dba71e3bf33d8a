// Node-only I/O for @seqlab/seq2seq: atomic file writes and a model.json + shards IOHandler.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { savedInfo, shardArtifacts } from './io/shards';

/** Shard size used by the tfjs converter. */

/** An fs error as `CODE: message` (or the value as text), for messages that name the file. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(e);
}

/**
 * Write `bytes` to `file` atomically: temp file in the same directory, fsync, rename, fsync the directory.
 * On any failure the temp file is removed and the previous `file` is untouched.
 */
export async function atomicWrite(file: string, bytes: Uint8Array | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}`); // one writer per file per process
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'w');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(
      `could not write ${file} (${describeFsError(e)}); the previous file, if any, is left intact`,
    );
  }
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().catch(() => undefined); // some filesystems refuse directory fsync; the rename already happened
    await d.close();
  } catch {
    // directory fsync is best effort
  }
}

/**
 * tf.io.IOHandler for a directory holding `model.json` and `group1-shardXofN.bin` files (the tfjs layout),
 * so saved models load in the browser with tf.io.http too. Every file is written atomically.
 *
 * @example
 * await saveSeq2Seq(model, fileHandler('models/en-es'));
 * const { model } = await loadSeq2Seq(fileHandler('models/en-es'));
 */
export function fileHandler(dir: string, modelFile = 'model.json'): tf.io.IOHandler {
  const jsonPath = path.join(dir, modelFile);
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.mkdir(dir, { recursive: true }).catch((e) => {
        throw new Error(`save: cannot create directory ${dir} (${describeFsError(e)})`);
      });
      const { shards, json, weightBytes } = await shardArtifacts(a);
      for (const shard of shards) await atomicWrite(path.join(dir, shard.name), shard.bytes);
      const paths = shards.map((shard) => shard.name);
      await atomicWrite(jsonPath, JSON.stringify(json));
      for (const f of await fs.readdir(dir)) {
        if (/^group1-.*\.bin$/.test(f) && !paths.includes(f))
          await fs.rm(path.join(dir, f), { force: true });
      }
      return savedInfo(weightBytes);
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await fs.readFile(jsonPath, 'utf8');
      } catch (e) {
        throw new Error(`load: cannot read ${jsonPath} (${describeFsError(e)})`);
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(`${jsonPath}: malformed JSON (${(e as Error).message})`);
      }
      if (!json || typeof json !== 'object' || !Array.isArray(json.weightsManifest)) {
        throw new Error(`${jsonPath}: expected an object with a weightsManifest array`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights))
          throw new Error(`${jsonPath}: each weightsManifest group needs paths[] and weights[]`);
        specs.push(...group.weights);
        for (const p of group.paths) {
          const shard = path.join(dir, p);
          try {
            const b = await fs.readFile(shard);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          } catch (e) {
            throw new Error(
              `${jsonPath}: weight shard '${p}' cannot be read at ${shard} (${describeFsError(e)})`,
            );
          }
        }
      }
      const out: tf.io.ModelArtifacts = {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: buffers,
      };
      if (json.format) out.format = json.format;
      if (json.generatedBy) out.generatedBy = json.generatedBy;
      if (json.userDefinedMetadata) out.userDefinedMetadata = json.userDefinedMetadata;
      return out;
    },
  };
}
