// Image header parsing (pure); decoding lives in '@seqlab/data/node'.
export { type ImageHeader, type RgbaImage, readImageHeader } from './header';
