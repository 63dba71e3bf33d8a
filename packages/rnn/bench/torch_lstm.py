#!/usr/bin/python3
"""Workload W on PyTorch's nn.LSTM: seq2seq LSTM encoder-decoder, Adam; prints one JSON line.

Called by the seqlab bench (packages/rnn/bench/workload.ts) with /usr/bin/python3.
"""
import json
import os
import sys
import time


def loaded_blas():
    """The BLAS shared objects actually mapped into this process (after a matmul ran)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.strip().split(" ")[-1]
                name = os.path.basename(path)
                if "blas" in name or "mkl" in name:
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def main():
    cfg = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    batch = cfg.get("batch", 64)
    src_len = cfg.get("srcLen", 20)
    tgt_len = cfg.get("tgtLen", 20)
    vocab = cfg.get("vocab", 2000)
    emb = cfg.get("emb", 128)
    hidden = cfg.get("hidden", 256)
    warmup = cfg.get("warmup", 3)
    steps = cfg.get("steps", 10)
    threads = cfg.get("threads", 2)
    budget_s = cfg.get("budgetS", 20)

    import torch
    from torch import nn

    torch.manual_seed(0)
    torch.set_num_threads(threads)

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.src_emb = nn.Embedding(vocab, emb)
            self.tgt_emb = nn.Embedding(vocab, emb)
            self.enc = nn.LSTM(emb, hidden, batch_first=True)
            self.dec = nn.LSTM(emb, hidden, batch_first=True)
            self.out = nn.Linear(hidden, vocab)

        def forward(self, src, dec_in):
            _, state = self.enc(self.src_emb(src))
            y, _ = self.dec(self.tgt_emb(dec_in), state)
            return self.out(y)

    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=0)
    g = torch.Generator().manual_seed(1)
    src = torch.randint(1, vocab, (batch, src_len), generator=g)
    tgt = torch.randint(1, vocab, (batch, tgt_len), generator=g)
    dec_in = torch.cat([torch.ones(batch, 1, dtype=torch.long), tgt[:, :-1]], 1)

    def step():
        opt.zero_grad()
        logits = model(src, dec_in)
        loss = loss_fn(logits.reshape(-1, vocab), tgt.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    done = 0
    while done < steps and (done == 0 or time.perf_counter() - t0 < budget_s):
        loss = step()
        done += 1
    dt = time.perf_counter() - t0
    steps = done
    libs = loaded_blas()
    blas = "unknown"
    joined = " ".join(libs)
    if "openblas-openmp" in joined:
        blas = "openblas-openmp"
    elif "openblas-pthread" in joined:
        blas = "openblas-pthread"
    elif "openblas" in joined:
        blas = "openblas"
    elif "blas/libblas" in joined:
        blas = "reference-blas"
    elif "mkl" in joined:
        blas = "mkl"
    print(json.dumps({
        "tokens_per_s": batch * tgt_len * steps / dt,
        "step_ms": dt / steps * 1000,
        "steps": steps,
        "loss": loss,
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas,
        "blas_libs": libs,
    }))


if __name__ == "__main__":
    main()
