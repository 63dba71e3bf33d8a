// Caption file parsers (pure); the folder loader is in '@seqlab/data/node'.
export {
  type CaptionedImage,
  parseCaptionsTsv,
  parseCocoCaptions,
  parseFlickr8kTokens,
} from './parse';
