// What every caption input (scene, drawing, file, camera, emoji) hands to the demo.
import type { Pixels } from '@/lib/protocol';

export type InputKind = 'shapes' | 'draw' | 'file' | 'camera' | 'emoji';

export interface CaptionInput {
  kind: InputKind;
  /** Square RGBA pixels, already reduced (≤ 256 px a side). */
  pixels: Pixels;
  /** Says what the picture is, for the preview's alt text. */
  label: string;
  /** Reference captions when the input has them (Shapes scenes, drawings, emoji). */
  truth?: string[];
}

export interface InputProps {
  onImage(input: CaptionInput): void;
  onError(message: string): void;
}
