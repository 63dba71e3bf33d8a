// /lab: the RNN lab — every idea of the primer, live, on models running in this page.
import type { Metadata } from 'next';
import { Lab } from '@/components/lab/Lab';
import './lab.css';

export const metadata: Metadata = { title: 'RNN lab — seqlab' };

export default function LabPage() {
  return <Lab />;
}
