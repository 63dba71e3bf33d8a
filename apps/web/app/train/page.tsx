// /train: train a model on your own data in the page, then use it anywhere.
import type { Metadata } from 'next';
import { TrainPage } from '@/components/train/TrainPage';
import './train.css';

export const metadata: Metadata = { title: 'Train on your data — seqlab' };

export default function Train() {
  return <TrainPage />;
}
