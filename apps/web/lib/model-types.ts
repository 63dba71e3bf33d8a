// The @seqlab/models public types the app codes against, in one place (type-only: no tfjs on the main thread).
export type {
  Caption,
  Captioner,
  DecodeOptions,
  Hypothesis,
  ImageInput,
  LoadOptions,
  LoadProgress,
  ModelCard,
  ModelName,
  Translation,
  Translator,
} from '@seqlab/models';
