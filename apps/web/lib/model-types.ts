// The @seqlab/models public types the app codes against, in one place.
// @seqlab/models' entry does not re-export them yet; once it does, point this at '@seqlab/models'.
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
} from '../../../packages/models/src/types';
