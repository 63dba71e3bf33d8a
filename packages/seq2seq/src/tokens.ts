// Reserved token ids shared by every seq2seq model (must match @seqlab/text's Vocab).

/** Padding id: ignored by the loss and masked out of attention. */
export const PAD = 0;
/** Beginning-of-sequence id: the first decoder input. */
export const BOS = 1;
/** End-of-sequence id: finishes a hypothesis. */
export const EOS = 2;
/** Unknown-token id. */
export const UNK = 3;
