"""End to end: `seqlab train translate --engine torch` on a toy corpus, then seqlab's Node pipeline translates the export with the same tokens as PyTorch."""

import json
import math
import os
import random
import subprocess
import tempfile
import unittest

import torch

from seqlab_torch import import_folder
from seqlab_torch.data import read_pairs
from seqlab_torch.model import greedy

from .helpers import PKG, REPO, TSX, python_env, run_node, train_cmd

VERBS = {"Open": "Abrir", "Close": "Cerrar", "Save": "Guardar", "Delete": "Borrar", "Print": "Imprimir", "Copy": "Copiar"}
OBJECTS = {"the file": "el archivo", "the folder": "la carpeta", "the window": "la ventana",
           "the document": "el documento", "the image": "la imagen"}
SUFFIX = {"": "", " now": " ahora", " again": " otra vez"}


def toy_corpus(root):
    pairs = [(f"{v} {o}{s}", f"{VERBS[v]} {OBJECTS[o]}{SUFFIX[s]}") for v in VERBS for o in OBJECTS for s in SUFFIX]
    random.Random(5).shuffle(pairs)
    d = os.path.join(root, "en-es")
    os.makedirs(d)
    for name, part in (("test", pairs[:8]), ("valid", pairs[8:16]), ("train", pairs[16:])):
        with open(os.path.join(d, f"{name}.tsv"), "w") as f:
            f.writelines(f"{s}\t{t}\n" for s, t in part)
    return [s for s, _ in pairs[:8]]


class EngineTest(unittest.TestCase):
    def test_cli_trains_exports_and_seqlab_translates_identically(self):
        with tempfile.TemporaryDirectory() as tmp:
            sources = toy_corpus(os.path.join(tmp, "corpus"))
            cfg = {"name": "translate-toy", "target": "es", "corpus": os.path.join(tmp, "corpus"),
                   "runDir": os.path.join(tmp, "run"), "out": os.path.join(tmp, "out"), "vocabSize": 300,
                   "maxTokens": 48, "batchSize": 16, "lr": 0.01, "clipNorm": 5, "epochs": 50, "validSize": 8,
                   "validateEvery": 40, "checkpointEvery": 40, "patience": 3, "seed": 1, "quantization": "float16",
                   "model": {"embDim": 16, "hidden": 32, "encoderHidden": 16, "bidirectional": True,
                             "attention": "dot", "inputFeeding": False, "dropout": 0.1, "labelSmoothing": 0.1,
                             "maxLen": 24}}
            cfg_path = os.path.join(tmp, "toy.json")
            with open(cfg_path, "w") as f:
                json.dump(cfg, f)
            env = {**os.environ, "OMP_NUM_THREADS": "1"}
            r = subprocess.run([TSX, "packages/cli/src/bin.ts", "train", "translate", "--config", cfg_path,
                                "--engine", "torch", "--procs", "1", "--max-steps", "80"],
                               cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr[-4000:] + r.stdout[-2000:])
            out = cfg["out"]
            for f in ("model.json", "tokenizer.json", "card.md"):
                self.assertTrue(os.path.exists(os.path.join(out, f)), f)
            with open(os.path.join(out, "card.md")) as f:
                self.assertIn(f"pnpm seqlab train translate --config {cfg_path} --engine torch --procs 1 --max-steps 80",
                              f.read())
            with open(os.path.join(out, "model.json")) as f:
                spec = json.load(f)["weightsManifest"][0]["weights"][0]
            self.assertEqual(spec["quantization"], {"dtype": "float16"})

            model, meta = import_folder(out)  # the float16 weights seqlab serves
            self.assertEqual(meta["task"], "translate")
            src = [s for s, _ in read_pairs(os.path.join(cfg["runDir"], "torch-data", "test.ids"))]
            self.assertEqual(len(src), len(sources))
            # The pipeline's length cap: min(maxLen * 4, ceil(2 * source tokens) + 10).
            ids = [greedy(model, [row], min(model.config["maxLen"] * 4, math.ceil(2 * (len(row) - 1)) + 10))[0]
                   for row in src]
            job = os.path.join(tmp, "job.json")
            with open(job, "w") as f:
                json.dump({"dir": out, "sources": sources, "torchIds": ids}, f)
            res = json.loads(run_node("translate.ts", job))
            for s, r in zip(sources, res):
                self.assertEqual(r["tokens"], r["torchTokens"], s)
            self.assertTrue(any(r["tokens"] for r in res), "every translation is empty; the test would prove little")

            # Import to fine-tune: training starts from the exported (float16) weights.
            ft = os.path.join(tmp, "ft")
            r = subprocess.run(train_cmd(1, "--config", cfg_path, "--data", os.path.join(cfg["runDir"], "torch-data"),
                                         "--run-dir", ft, "--init", out, "--max-steps", "2", "--lr", "1e-6",
                                         "--threads", "1"), cwd=PKG, env=python_env(), capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            tuned = torch.load(os.path.join(ft, "checkpoint.pt"))
            self.assertEqual(tuned["step"], 2)
            for name, w in model.state_dict().items():
                torch.testing.assert_close(tuned["model"][name], w, atol=1e-4, rtol=0, msg=name)
            self.assertFalse(all(torch.equal(tuned["model"][n], w) for n, w in model.state_dict().items()))


if __name__ == "__main__":
    unittest.main()
