"""Resume after SIGKILL gives the same weights as an uninterrupted run (dropout on: RNG, Adam and data position restored)."""

import json
import os
import signal
import subprocess
import tempfile
import unittest

import torch

from .helpers import PKG, python_env, train_cmd, write_config, write_synthetic

MODEL = {"embDim": 6, "hidden": 8, "encoderHidden": 5, "bidirectional": False, "attention": "dot",
         "inputFeeding": True, "dropout": 0.2, "labelSmoothing": 0.1}
STEPS = 80


class ResumeTest(unittest.TestCase):
    def test_sigkill_then_resume_matches_uninterrupted(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            # 50 pairs in batches of 8 with chunks of 2 batches: epochs and chunks both roll over.
            write_synthetic(data, pairs=50)
            cfg = write_config(os.path.join(tmp, "cfg.json"), MODEL, checkpointEvery=10)

            def cmd(run, *extra):
                return train_cmd(1, "--config", cfg, "--data", data, "--run-dir", run, "--max-steps", str(STEPS),
                                 "--threads", "1", "--log-every", "1000", *extra)

            env = {**python_env(), "SEQLAB_TORCH_CHUNK_BATCHES": "2"}
            whole = os.path.join(tmp, "whole")
            r = subprocess.run(cmd(whole), cwd=PKG, env=env, capture_output=True, text=True, timeout=240)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])

            cut = os.path.join(tmp, "cut")
            p = subprocess.Popen(cmd(cut), cwd=PKG, env=env, stdout=subprocess.PIPE, text=True)
            killed_after = None
            for line in p.stdout:
                ev = json.loads(line)
                if ev.get("checkpoint", 0) >= 20:
                    p.send_signal(signal.SIGKILL)
                    killed_after = ev["checkpoint"]
                    break
            p.wait(timeout=60)
            p.stdout.close()
            self.assertEqual(p.returncode, -signal.SIGKILL)
            self.assertIsNotNone(killed_after)
            saved = torch.load(os.path.join(cut, "checkpoint.pt"))["step"]
            self.assertLess(saved, STEPS, "the run finished before it was killed; the test proves nothing")
            r = subprocess.run(cmd(cut, "--resume"), cwd=PKG, env=env, capture_output=True, text=True, timeout=240)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            self.assertIn(f'"resumed": {saved}', r.stdout)
            a = torch.load(os.path.join(whole, "checkpoint.pt"))
            b = torch.load(os.path.join(cut, "checkpoint.pt"))
            self.assertEqual((a["step"], a["pos"]), (b["step"], b["pos"]))
            for name, w in a["model"].items():
                self.assertTrue(torch.equal(w, b["model"][name]), f"{name} differs after resume")
            self.assertGreater(a["pos"][0], 0, "the run should cross an epoch boundary")


if __name__ == "__main__":
    unittest.main()
