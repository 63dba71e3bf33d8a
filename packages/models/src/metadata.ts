// What a saved task model carries in model.json's userDefinedMetadata, and its validation.
import type { ModelCard, Task } from './types';

/** userDefinedMetadata of every seqlab task model. */
export interface TaskMetadata {
  task: Task;
  name: string;
  title: string;
  /** Files beside model.json that the pipeline needs (tokenizer, vocab, CNN). */
  files: Record<string, string>;
  metrics: Record<string, number>;
  data: string;
  /** Task-specific settings (languages for translation, image size for captioning). */
  settings: Record<string, unknown>;
}

/** Validate metadata read from a model.json, with errors naming the file and what is wrong. */
export function parseMetadata(raw: unknown, where: string, expectTask?: Task): TaskMetadata {
  const m = raw as Partial<TaskMetadata> | undefined;
  if (!m || typeof m !== 'object') {
    throw new Error(
      `${where}: expected userDefinedMetadata with a seqlab task (translate|caption); this is not a seqlab task model`,
    );
  }
  if (m.task !== 'translate' && m.task !== 'caption') {
    throw new Error(
      `${where}: expected userDefinedMetadata.task to be 'translate' or 'caption', got ${JSON.stringify(m.task)}`,
    );
  }
  if (expectTask && m.task !== expectTask) {
    throw new Error(
      `${where}: this is a '${m.task}' model, but a '${expectTask}' model was requested`,
    );
  }
  for (const k of ['name', 'title', 'data'] as const) {
    if (typeof m[k] !== 'string')
      throw new Error(`${where}: userDefinedMetadata.${k} must be a string, got ${typeof m[k]}`);
  }
  if (!m.files || typeof m.files !== 'object')
    throw new Error(`${where}: userDefinedMetadata.files must be an object`);
  return {
    task: m.task,
    name: m.name as string,
    title: m.title as string,
    files: m.files as Record<string, string>,
    metrics: (m.metrics ?? {}) as Record<string, number>,
    data: m.data as string,
    settings: (m.settings ?? {}) as Record<string, unknown>,
  };
}

export function makeCard(meta: TaskMetadata, markdown: string, sizeBytes: number): ModelCard {
  return {
    name: meta.name,
    task: meta.task,
    title: meta.title,
    metrics: meta.metrics,
    sizeBytes,
    markdown,
    data: meta.data,
  };
}
