// /caption: one image in, a sentence out (Shapes scenes, drawings, files, webcam, emoji).
import type { Metadata } from 'next';
import { CaptionDemo } from '@/components/caption/CaptionDemo';

export const metadata: Metadata = { title: 'Caption — seqlab' };

export default function CaptionPage() {
  return <CaptionDemo />;
}
