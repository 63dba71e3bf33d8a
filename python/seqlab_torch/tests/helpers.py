"""Shared helpers of the seqlab_torch tests: repository paths, Node scripts through tsx, tiny synthetic corpora."""

import json
import os
import random
import subprocess
import sys

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(PKG))
TSX = os.path.join(REPO, "node_modules", ".bin", "tsx")


def run_node(script, *args, timeout=300):
    """Run a TypeScript script of node/ (or a repo path) with tsx; returns stdout; fails with stderr."""
    path = script if os.path.isabs(script) else os.path.join(PKG, "node", script)
    r = subprocess.run([TSX, path, *args], cwd=PKG, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"{script} exited {r.returncode}:\n{r.stderr[-4000:]}")
    return r.stdout


def python_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = PKG + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def write_synthetic(data_dir, pairs=80, vocab=30, seed=0):
    """A pre-tokenised corpus (ids ending in EOS, a copy-and-shift task) with prep.json, as packages/train/src/torch/engine.ts writes it."""
    rng = random.Random(seed)
    os.makedirs(data_dir, exist_ok=True)

    def write(name, n):
        with open(os.path.join(data_dir, name), "w") as f:
            for _ in range(n):
                src = [rng.randrange(4, vocab) for _ in range(rng.randrange(1, 9))]
                tgt = [4 + (t - 3) % (vocab - 4) for t in src][: rng.randrange(1, len(src) + 1)]
                f.write(" ".join(map(str, src + [2])) + "\t" + " ".join(map(str, tgt + [2])) + "\n")

    write("train.ids", pairs)
    write("valid.ids", 16)
    with open(os.path.join(data_dir, "tokenizer.json"), "w") as f:
        f.write("{}")
    with open(os.path.join(data_dir, "prep.json"), "w") as f:
        json.dump({"srcVocab": vocab, "tgtVocab": vocab, "data": "synthetic"}, f)


def write_config(path, model, **train):
    cfg = {"name": "translate-test", "target": "es", "batchSize": 8, "lr": 0.01, "clipNorm": 5, "epochs": 2,
           "validateEvery": 0, "checkpointEvery": 0, "seed": 3, "quantization": "float16", "model": model, **train}
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def train_cmd(procs, *args):
    if procs == 1:
        return [sys.executable, "-m", "seqlab_torch.train", *args]
    return [sys.executable, "-m", "seqlab_torch.launch", "--standalone", f"--nproc_per_node={procs}",
            "-m", "seqlab_torch.train", *args]
