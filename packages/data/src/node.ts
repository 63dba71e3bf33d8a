// @seqlab/data/node: builders that touch the file system or Debian's package tools.

export { loadCaptionFolders } from './captions/folders';
export { type CaptionFormat, type LoadCaptionsOptions, loadCaptionDataset } from './captions/load';
export * from './emoji';
export * from './gettext/node';
export {
  DEFAULT_MAX_PIXELS,
  type DecodeOptions,
  decodeImage,
  decodeImageFile,
  encodePng,
} from './images/decode';
export { type WriteShapesOptions, writeShapesDataset } from './shapes/write-shapes';
export { readTsvFile, streamTsvFile } from './tsv/read';
