#!/usr/bin/python3
"""Workload W on PyTorch's nn.LSTM: seq2seq LSTM encoder-decoder, Adam; prints one JSON line.

Called by the seqlab bench (packages/rnn/bench/workload.ts) with /usr/bin/python3.
Modes (cfg "mode"): "W" (default) the workload above; "real" the shipped translate-en-es
architecture (bidirectional encoder, dense bridge, dot attention, label smoothing, dropout,
global-norm clipping) on the batches in cfg "batches" (a JSON file of padded id rows); "peak"
the machine's float32 matmul rate (GFLOP/s) at cfg "threads".
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


def peak(cfg):
    """Best-of sgemm rate on 1024^3 products, GFLOP/s."""
    import torch
    torch.set_num_threads(cfg.get("threads", 2))
    n = cfg.get("n", 1024)
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    c = torch.empty(n, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    best = 0.0
    t_end = time.perf_counter() + cfg.get("budgetS", 3)
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        for _ in range(5):
            torch.mm(a, b, out=c)
        dt = (time.perf_counter() - t0) / 5
        best = max(best, 2 * n ** 3 / dt / 1e9)
    print(json.dumps({"gflops": best, "threads": torch.get_num_threads(), "n": n}))


def real(cfg):
    """The translate-en-es architecture on real padded batches; prints tokens/s (non-PAD targets)."""
    import torch
    from torch import nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.manual_seed(0)
    torch.set_num_threads(cfg.get("threads", 2))
    m = cfg["model"]
    V, E, H, h = cfg["vocab"], m["embDim"], m["hidden"], m["encoderHidden"]
    drop, eps = m["dropout"], m["labelSmoothing"]
    with open(cfg["batches"]) as f:
        raw = json.load(f)

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.src_emb = nn.Embedding(V, E)
            self.tgt_emb = nn.Embedding(V, E)
            self.enc = nn.LSTM(E, h, bidirectional=True)
            self.bridge_h = nn.Linear(2 * h, H)
            self.bridge_c = nn.Linear(2 * h, H)
            self.dec = nn.LSTM(E, H)
            self.wk = nn.Linear(2 * h, H, bias=False)
            self.combine = nn.Linear(H + 2 * h, H)
            self.out = nn.Linear(H, V)
            self.drop = nn.Dropout(drop)

        def forward(self, src, lens, dec_in):
            x = self.drop(self.src_emb(src))  # [S, b, E]
            packed = pack_padded_sequence(x, lens, enforce_sorted=False)
            mem, (hn, _) = self.enc(packed)
            mem, _ = pad_packed_sequence(mem, total_length=src.shape[0])  # [S, b, 2h]
            summary = torch.cat([hn[0], hn[1]], 1)
            h0 = torch.tanh(self.bridge_h(summary)).unsqueeze(0)
            c0 = self.bridge_c(summary).unsqueeze(0)
            y, _ = self.dec(self.drop(self.tgt_emb(dec_in)), (h0, c0))  # [L, b, H]
            memb = mem.transpose(0, 1)  # [b, S, 2h]
            q = y.transpose(0, 1)  # [b, L, H]
            scores = torch.bmm(q, self.wk(memb).transpose(1, 2))  # [b, L, S]
            scores = scores.masked_fill((src.t() == 0).unsqueeze(1), -1e9)
            ctx = torch.bmm(torch.softmax(scores, -1), memb)
            comb = torch.tanh(self.combine(torch.cat([q, ctx], 2)))
            return self.out(self.drop(comb))  # [b, L, V]

    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=cfg.get("lr", 0.002))
    loss_fn = nn.CrossEntropyLoss(ignore_index=0, label_smoothing=eps)
    def pad(rows):
        n = max(1, max(len(r) for r in rows))
        return torch.tensor([list(r) + [0] * (n - len(r)) for r in rows])

    batches = []
    for bt in raw:
        src = pad(bt["src"]).t().contiguous()  # [S, b]
        tgt = pad(bt["tgt"])  # [b, L]
        dec_in = torch.cat([torch.ones(tgt.shape[0], 1, dtype=torch.long), tgt[:, :-1]], 1).t().contiguous()
        lens = (src != 0).sum(0).clamp(min=1)
        batches.append((src, lens, dec_in, tgt, int((tgt != 0).sum())))

    def step(bt):
        src, lens, dec_in, tgt, _ = bt
        opt.zero_grad()
        logits = model(src, lens, dec_in)
        loss = loss_fn(logits.reshape(-1, V), tgt.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        return loss.item()

    for i in range(cfg.get("warmup", 2)):
        step(batches[i % len(batches)])
    tokens = 0
    done = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    while done < cfg.get("steps", 10) and (done == 0 or time.perf_counter() - t0 < cfg.get("budgetS", 20)):
        bt = batches[done % len(batches)]
        loss = step(bt)
        tokens += bt[4]
        done += 1
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"tokens_per_s": tokens / dt, "step_ms": dt / done * 1000, "steps": done,
                      "cpu_tokens_per_s": tokens / cpu, "loss": loss,
                      "threads": torch.get_num_threads()}))


def main():
    cfg = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    if cfg.get("mode") == "peak":
        return peak(cfg)
    if cfg.get("mode") == "real":
        return real(cfg)
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
    c0 = time.process_time()
    done = 0
    while done < steps and (done == 0 or time.perf_counter() - t0 < budget_s):
        loss = step()
        done += 1
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
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
        # per second of this process's CPU time (all threads): steadier than wall time on a
        # shared machine, and equal to it when the process has its cores to itself
        "cpu_tokens_per_s": batch * tgt_len * steps / cpu,
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
