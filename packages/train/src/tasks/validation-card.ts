// The card of a pipeline built around a model in training (validation and test decode through the shipped pipelines).
import type { ModelCard } from '@seqlab/models';

/** An empty card for a pipeline that wraps a model still in training (nothing is shown to users). */
export function validationCard(task: ModelCard['task']): ModelCard {
  return { name: 'validation', task, title: '', metrics: {}, sizeBytes: 0, markdown: '', data: '' };
}
