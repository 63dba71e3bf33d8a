"""Streamed, length-bucketed batches from a pre-tokenised ids file, sharded per rank, with a resumable position.

The ids file (written by `seqlab train translate --engine torch`, packages/train/src/torch/engine.ts)
has one pair per line: source ids, a tab, target ids, each ending in EOS. It is never read whole:
one pass records the byte offset of every chunk of `chunk_pairs` lines; each epoch visits the
chunks in a seeded order and, inside a chunk, sorts pairs by length (as seqlab's makeBatches),
cuts global batches and shuffles their order. Every rank sees the same global batches and keeps
rows rank, rank + world, … of each, so N processes train on exactly what one process would.
"""

import numpy as np


def parse_line(line, where):
    try:
        s, t = line.rstrip(b"\r\n").split(b"\t")
        src, tgt = [int(x) for x in s.split()], [int(x) for x in t.split()]
    except ValueError as e:
        raise ValueError(f"{where}: expected 'source ids<TAB>target ids', got {line[:80]!r}") from e
    if not src or not tgt:
        raise ValueError(f"{where}: empty source or target")
    return src, tgt


def read_pairs(path, limit=None):
    """The first `limit` pairs (all when None) of an ids file; for validation sets."""
    out = []
    with open(path, "rb") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            if line.strip():
                out.append(parse_line(line, f"{path}:{i + 1}"))
    return out


class IdsStream:
    """Global batches of an ids file; positions are (epoch, chunk, batch) triples.

    Example:
        s = IdsStream("train.ids", batch_size=64, seed=1)
        for pos, batch in s.batches((0, 0, 0)): ...   # batch: list of (src, tgt)
    """

    def __init__(self, path, batch_size, seed, chunk_batches=64):
        if batch_size < 1:
            raise ValueError(f"IdsStream: batch_size must be >= 1, got {batch_size}")
        self.path, self.batch_size, self.seed = path, batch_size, int(seed)
        self.chunk_pairs = batch_size * chunk_batches
        self.offsets, self.pairs = [], 0
        with open(path, "rb") as f:
            off = 0
            for line in f:
                if line.strip():
                    if self.pairs % self.chunk_pairs == 0:
                        self.offsets.append(off)
                    self.pairs += 1
                off += len(line)
        if self.pairs == 0:
            raise ValueError(f"{path}: no pairs (expected lines 'source ids<TAB>target ids')")

    def _chunk(self, k):
        out = []
        with open(self.path, "rb") as f:
            f.seek(self.offsets[k])
            for line in f:
                if len(out) == self.chunk_pairs:
                    break
                if line.strip():
                    out.append(parse_line(line, f"{self.path} (chunk {k})"))
        return out

    def chunk_batches(self, epoch, k):
        """The global batches of the k-th chunk visited in `epoch`, in training order."""
        order = np.random.default_rng([self.seed, epoch]).permutation(len(self.offsets))
        pairs = self._chunk(int(order[k]))
        pairs.sort(key=lambda p: (len(p[0]), len(p[1])))  # stable, as makeBatches
        batches = [pairs[i:i + self.batch_size] for i in range(0, len(pairs), self.batch_size)]
        perm = np.random.default_rng([self.seed, epoch, int(order[k])]).permutation(len(batches))
        return [batches[i] for i in perm]

    def batches(self, pos):
        """Yield ((epoch, chunk, batch) of the NEXT batch, batch) forever, starting at `pos`."""
        epoch, k, j = pos
        while True:
            while k < len(self.offsets):
                bs = self.chunk_batches(epoch, k)
                while j < len(bs):
                    b = bs[j]
                    j += 1
                    nxt = (epoch, k, j) if j < len(bs) else (epoch, k + 1, 0)
                    yield nxt, b
                k, j = k + 1, 0
            epoch, k = epoch + 1, 0

    def batches_per_epoch(self):
        full, rest = divmod(self.pairs, self.chunk_pairs)
        return full * -(-self.chunk_pairs // self.batch_size) + -(-rest // self.batch_size)


def shard(batch, rank, world):
    """This rank's rows of a global batch (rows rank, rank + world, …: similar lengths on every rank)."""
    return batch[rank::world]
