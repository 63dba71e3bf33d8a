"""DDP: two processes on loopback (gloo) with the same global batch reach one process's weights."""

import os
import subprocess
import tempfile
import unittest

import torch

from seqlab_torch import Seq2Seq

from .helpers import PKG, python_env, train_cmd, write_config, write_synthetic

MODEL = {"embDim": 6, "hidden": 8, "encoderHidden": 5, "bidirectional": True, "attention": "additive",
         "attentionDim": 6, "inputFeeding": False, "dropout": 0.0, "labelSmoothing": 0.1}


class DdpTest(unittest.TestCase):
    def test_two_processes_match_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            write_synthetic(data, pairs=60)
            # batchSize 7: an odd global batch splits 4 + 3 rows, so the token weighting matters.
            cfg = write_config(os.path.join(tmp, "cfg.json"), MODEL, batchSize=7, lr=0.01)
            weights = {}
            for procs in (1, 2):
                run = os.path.join(tmp, f"run{procs}")
                r = subprocess.run(train_cmd(procs, "--config", cfg, "--data", data, "--run-dir", run,
                                             "--max-steps", "6", "--threads", "1", "--log-every", "1"),
                                   cwd=PKG, env=python_env(), capture_output=True, text=True, timeout=240)
                self.assertEqual(r.returncode, 0, r.stderr[-3000:])
                self.assertIn('"done": true', r.stdout)
                ck = torch.load(os.path.join(run, "checkpoint.pt"))
                self.assertEqual((ck["step"], ck["world"]), (6, procs))
                weights[procs] = ck["model"]
            start = Seq2Seq({**MODEL, "srcVocab": 30, "tgtVocab": 30, "seed": 3}).state_dict()
            moved = 0.0
            for name, w1 in weights[1].items():
                torch.testing.assert_close(weights[2][name], w1, atol=2e-5, rtol=1e-4, msg=name)
                moved = max(moved, float((w1 - start[name]).abs().max()))
            self.assertGreater(moved, 0)


if __name__ == "__main__":
    unittest.main()
