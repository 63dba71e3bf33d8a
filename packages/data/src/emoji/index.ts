// Emoji sets (Node-only: they read npm data packages and write files).
export { emojiCatalogue, EMOJI_STYLES, type EmojiEntry, type EmojiStyle } from './catalogue';
export { buildEmojiSets, loadEmojiTrainingSet, loadEmojiTestSet, EMOJI_LICENCES, type BuildEmojiOptions, type EmojiManifest } from './build';
