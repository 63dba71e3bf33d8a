// @seqlab/data/node: builders that touch the file system or Debian's package tools.
export {};
export { decodeImage, decodeImageFile, encodePng, DEFAULT_MAX_PIXELS, type DecodeOptions } from './images/decode';
export { writeShapesDataset, type WriteShapesOptions } from './shapes/write-shapes';
export * from './gettext/node';
export { readTsvFile } from './tsv/read';
export { loadCaptionDataset, type LoadCaptionsOptions, type CaptionFormat } from './captions/load';
export * from './emoji';
