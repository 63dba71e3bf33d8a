// Image header parsing (pure); decoding lives in '@seqlab/data/node'.
export {
  type ImageHeader,
  type JpegColorInfo,
  type JpegColorModel,
  jpegColorModel,
  type RgbaImage,
  readImageHeader,
} from './header';
