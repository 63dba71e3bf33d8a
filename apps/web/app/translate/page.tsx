// /translate: English software strings into Spanish, French or German, in the browser.
import type { Metadata } from 'next';
import { TranslateDemo } from '@/components/translate/TranslateDemo';

export const metadata: Metadata = { title: 'Translate — seqlab' };

export default function TranslatePage() {
  return <TranslateDemo />;
}
