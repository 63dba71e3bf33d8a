// Which parameters a seq2seq model has (names and shapes as @seqlab/seq2seq's ParamStore holds
// them, Keras layout) and where each lives in the kernel step's flat parameter block.

/**
 * The model shape the kernel step trains: the fields of @seqlab/seq2seq's Seq2SeqConfig it
 * reads (a Seq2SeqConfig passes as is). Widths must be multiples of 4.
 */
export interface KernelSeq2SeqConfig {
  srcVocab: number;
  tgtVocab: number;
  embDim: number;
  /** Decoder units. */
  hidden: number;
  /** Encoder units per direction. */
  encoderHidden: number;
  encoderLayers: number;
  decoderLayers: number;
  bidirectional: boolean;
  /** 'dot' (Luong general: keys = memory · Wk) or 'none'. */
  attention: string;
  inputFeeding?: boolean;
  tieEmbeddings?: boolean;
  dropout: number;
  labelSmoothing: number;
  /**
   * 'dense' (default, as Seq2Seq): decoder layer l starts from tanh(s·Wh + bh), s·Wc + bc of the
   * encoder summary s. 'copy': from encoder layer l's final (h, c) — a plain encoder-decoder
   * (the benchmark's workload W), which needs a unidirectional encoder with as many layers and
   * units as the decoder.
   */
  bridge?: 'dense' | 'copy';
}

/** One parameter: name, shape, offset (floats) in the flat block. */
export interface ParamSlot {
  name: string;
  shape: number[];
  size: number;
  /** Offset in floats from the start of the block (a multiple of 16). */
  at: number;
}

/** Every parameter of `c` in a fixed order, with its offset in the flat block. */
export function seq2seqLayout(c: KernelSeq2SeqConfig): { slots: ParamSlot[]; total: number } {
  checkConfig(c);
  const dirs = c.bidirectional ? 2 : 1;
  const h = c.encoderHidden;
  const H = c.hidden;
  const d = h * dirs;
  const list: [string, number[]][] = [['encoder/embedding', [c.srcVocab, c.embDim]]];
  for (let l = 0; l < c.encoderLayers; l++) {
    const inW = l === 0 ? c.embDim : d;
    for (const dir of dirs === 2 ? ['fwd', 'bwd'] : ['fwd']) {
      const p = `encoder/layer${l}/${dir}`;
      list.push([`${p}/kernel`, [inW, 4 * h]], [`${p}/recurrent_kernel`, [h, 4 * h]]);
      list.push([`${p}/bias`, [4 * h]]);
    }
  }
  list.push(['decoder/embedding', [c.tgtVocab, c.embDim]]);
  for (let l = 0; l < c.decoderLayers; l++) {
    const inW = l === 0 ? c.embDim : H;
    const p = `decoder/layer${l}`;
    list.push([`${p}/kernel`, [inW, 4 * H]], [`${p}/recurrent_kernel`, [H, 4 * H]]);
    list.push([`${p}/bias`, [4 * H]]);
    if ((c.bridge ?? 'dense') === 'dense') {
      const b = `decoder/bridge${l}`;
      list.push([`${b}/h_kernel`, [d, H]], [`${b}/h_bias`, [H]]);
      list.push([`${b}/c_kernel`, [d, H]], [`${b}/c_bias`, [H]]);
    }
  }
  if (c.attention === 'dot') {
    list.push(['decoder/attention/wk', [d, H]]);
    list.push(['decoder/combine/kernel', [H + d, H]], ['decoder/combine/bias', [H]]);
  }
  list.push(['decoder/out/kernel', [H, c.tgtVocab]], ['decoder/out/bias', [c.tgtVocab]]);
  let at = 0;
  const slots = list.map(([name, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const s = { name, shape, size, at };
    at += Math.ceil(size / 16) * 16;
    return s;
  });
  return { slots, total: at };
}

function checkConfig(c: KernelSeq2SeqConfig): void {
  const bad = (what: string) => {
    throw new Error(`KernelTrainStep: ${what}`);
  };
  if (c.attention !== 'dot' && c.attention !== 'none')
    bad(`attention '${c.attention}' is not on the kernels (valid: 'dot', 'none')`);
  if (c.attention === 'dot' && c.inputFeeding !== false)
    bad('input feeding is not on the kernels: set inputFeeding: false');
  if (c.tieEmbeddings) bad('tied embeddings are not on the kernels: set tieEmbeddings: false');
  for (const k of ['embDim', 'hidden', 'encoderHidden', 'srcVocab', 'tgtVocab'] as const)
    if (!(c[k] > 0 && c[k] % 4 === 0)) bad(`${k} must be a positive multiple of 4, got ${c[k]}`);
  if (!(c.encoderLayers >= 1 && c.decoderLayers >= 1)) bad('expected at least one layer each');
  if (c.bridge === 'copy') {
    if (c.bidirectional || c.encoderHidden !== c.hidden || c.encoderLayers !== c.decoderLayers)
      bad("bridge 'copy' needs a unidirectional encoder with the decoder's layers and units");
  }
}
