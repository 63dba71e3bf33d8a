// Caption file parsers (pure); the folder loader is in '@seqlab/data/node'.

export {
  type AugmentDraw,
  augmentChangesImages,
  augmentInto,
  checkAugment,
  drawAugment,
  flattenColours,
  type StyleAugment,
} from './augment';
export {
  type CaptionedImage,
  parseCaptionsTsv,
  parseCocoCaptions,
  parseFlickr8kTokens,
} from './parse';
export { type CaptionItem, rgbaToRgb01 } from './pixels';
