"""Same weights, same numbers: PyTorch vs seqlab (@seqlab/seq2seq on tfjs cpu) for logits and loss."""

import json
import os
import tempfile
import unittest

import numpy as np
import torch

from seqlab_torch import Seq2Seq, export_folder, import_folder
from seqlab_torch.model import pad_rows, teacher_forcing_pair, token_loss
from seqlab_torch.seqlab_format import read_folder, seqlab_weights

from .helpers import run_node

BASE = {"srcVocab": 23, "tgtVocab": 19, "embDim": 6, "hidden": 8, "encoderHidden": 5, "attentionDim": 7,
        "dropout": 0.0, "labelSmoothing": 0.1, "maxLen": 12}
CASES = {
    "uni-dot-parallel": {"bidirectional": False, "attention": "dot", "inputFeeding": False},
    "bi-dot-feeding-tied-2dec": {"bidirectional": True, "attention": "dot", "inputFeeding": True,
                                 "tieEmbeddings": True, "decoderLayers": 2},
    "uni-additive-feeding-2enc": {"bidirectional": False, "attention": "additive", "inputFeeding": True,
                                  "encoderLayers": 2},
    "bi-additive-parallel-2x2": {"bidirectional": True, "attention": "additive", "inputFeeding": False,
                                 "encoderLayers": 2, "decoderLayers": 2},
    "bi-none": {"bidirectional": True, "attention": "none", "inputFeeding": True},
}
SRC = [[5, 6, 7, 8, 9, 2], [10, 2], [11, 12, 13, 2]]
TGT = [[4, 5, 2], [6, 7, 8, 9, 10, 2], [11, 2]]


def randomize(model, seed):
    """Every parameter random, LSTM bias_hh too (so the bias_ih + bias_hh fold is exercised)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.rand(p.shape, generator=g) - 0.5)


class ParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.models, cases = {}, []
        for i, (name, extra) in enumerate(CASES.items()):
            m = Seq2Seq({**BASE, **extra, "seed": i})
            randomize(m, 100 + i)
            d = os.path.join(cls.tmp.name, name)
            export_folder(m, d, "float32")
            cls.models[name] = m.eval()
            cases.append({"dir": d, "src": SRC, "tgt": TGT})
        path = os.path.join(cls.tmp.name, "cases.json")
        with open(path, "w") as f:
            json.dump(cases, f)
        cls.seqlab = dict(zip(CASES, json.loads(run_node("parity.ts", path))))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_logits_and_loss_match_seqlab(self):
        for name, m in self.models.items():
            with self.subTest(name), torch.no_grad():
                s = self.seqlab[name]
                tgt_in, tgt_out = teacher_forcing_pair(TGT)
                logits = m(pad_rows(SRC), tgt_in)
                self.assertEqual(list(logits.shape), s["shape"])
                theirs = np.array(s["logits"], dtype=np.float32).reshape(s["shape"])
                np.testing.assert_allclose(logits.numpy(), theirs, atol=2e-5, rtol=1e-4)
                for eps, key in ((0.0, "loss"), (0.1, "lossSmoothed")):
                    total, n = token_loss(logits, tgt_out, eps)
                    self.assertAlmostEqual(float(total / n), s[key], delta=1e-5 * max(1.0, abs(s[key])))

    def test_export_import_round_trip(self):
        m = self.models["bi-additive-parallel-2x2"]
        with tempfile.TemporaryDirectory() as d:
            export_folder(m, d, "float32")
            back, _ = import_folder(d)
            for (n, a), (_, b) in zip(seqlab_weights(m).items(), seqlab_weights(back).items()):
                np.testing.assert_array_equal(a, b, err_msg=n)
            export_folder(m, d, "float16")
            _, w16, _ = read_folder(d)
            for n, a in seqlab_weights(m).items():
                np.testing.assert_array_equal(w16[n], a.astype(np.float16).astype(np.float32), err_msg=n)
            with torch.no_grad():
                tgt_in, _ = teacher_forcing_pair(TGT)
                np.testing.assert_allclose(back.eval()(pad_rows(SRC), tgt_in).numpy(),
                                           m(pad_rows(SRC), tgt_in).numpy(), atol=1e-6)

    def test_import_rejects_a_folder_of_another_shape(self):
        with tempfile.TemporaryDirectory() as d:
            export_folder(self.models["uni-dot-parallel"], d, "float32")
            with open(os.path.join(d, "model.json")) as f:
                doc = json.load(f)
            doc["modelTopology"]["config"]["hidden"] = 9
            with open(os.path.join(d, "model.json"), "w") as f:
                json.dump(doc, f)
            with self.assertRaisesRegex(ValueError, "the config needs"):
                import_folder(d)


class RepeatCutTest(unittest.TestCase):
    """The repetition guard must stop greedy decoding where seqlab's does (decode/repeat.ts)."""

    def test_cases_of_seqlab(self):
        from seqlab_torch.model import repeat_cut

        self.assertEqual(repeat_cut([7, 1, 2, 3, 4, 1, 2, 3, 4], 8), 5)
        self.assertEqual(repeat_cut([5] * 8, 8), 1)
        self.assertEqual(repeat_cut([5] * 7, 8), -1)
        self.assertEqual(repeat_cut([9, 1, 2, 1, 2, 1, 2, 1, 2], 8), 3)
        self.assertEqual(repeat_cut([1, 2, 3, 1, 2, 3, 1, 2, 3], 8), 3)
        self.assertEqual(repeat_cut([5] * 8, 0), -1)


if __name__ == "__main__":
    unittest.main()
