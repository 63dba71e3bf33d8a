// Caption file parsers (pure); the folder loader is in '@seqlab/data/node'.
export { parseCaptionsTsv, parseFlickr8kTokens, parseCocoCaptions, type CaptionedImage } from './parse';
