// How a model folder lays out saved artifacts: model.json plus weight shards of at most 4 MiB named
// by content (`group1-<fnv1a>-shardIofN.bin`). One layout for the Node file handler and the
// in-memory folders the browser builds (zips, IndexedDB).
import { fnv1a } from '@seqlab/text';
import type * as tf from '@tensorflow/tfjs-core';

/** Weight shards are cut at this size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** A model folder's files for `artifacts`: the shards (name, bytes) and model.json's content. */
export interface ShardedArtifacts {
  shards: { name: string; bytes: Uint8Array }[];
  json: tf.io.ModelJSON;
  /** Total weight bytes. */
  weightBytes: number;
}

/**
 * Cut saved artifacts into content-named shards and the model.json that lists them (a new
 * model.json keeps pointing at complete shards of its own while an old one is replaced).
 * @example const { shards, json } = await shardArtifacts(artifacts); // shards[0].name: 'group1-1a2b3c4d-shard1of1.bin'
 */
export async function shardArtifacts(a: tf.io.ModelArtifacts): Promise<ShardedArtifacts> {
  const data = a.weightData
    ? new Uint8Array(
        Array.isArray(a.weightData) ? await new Blob(a.weightData).arrayBuffer() : a.weightData,
      )
    : new Uint8Array(0);
  const n = Math.max(1, Math.ceil(data.length / SHARD_BYTES));
  const tag = fnv1a(data).toString(16).padStart(8, '0');
  const shards = Array.from({ length: n }, (_, i) => ({
    name: `group1-${tag}-shard${i + 1}of${n}.bin`,
    bytes: data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES),
  }));
  const json: tf.io.ModelJSON = {
    modelTopology: a.modelTopology as object,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: a.weightSpecs ?? [] }],
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
  };
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  return { shards, json, weightBytes: data.length };
}

/** The SaveResult a handler returns once a folder is written. */
export function savedInfo(weightBytes: number): tf.io.SaveResult {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      weightDataBytes: weightBytes,
    },
  };
}
