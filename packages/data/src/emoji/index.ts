// Emoji sets (Node-only: they read npm data packages and write files).

export {
  type BuildEmojiOptions,
  buildEmojiSets,
  EMOJI_LICENCES,
  type EmojiManifest,
  loadEmojiTestSet,
  loadEmojiTrainingSet,
} from './build';
export { EMOJI_STYLES, type EmojiEntry, type EmojiStyle, emojiCatalogue } from './catalogue';
