"""The Seq2SeqConfig record of @seqlab/seq2seq (packages/seq2seq config): same fields, defaults and checks."""

import json
import math

# One comment per field, as in the TypeScript record (model.json carries this dict verbatim).
DEFAULT_CONFIG = {
    "srcVocab": 1000,  # source vocabulary incl. PAD=0, BOS=1, EOS=2, UNK=3
    "tgtVocab": 1000,  # target vocabulary incl. the four specials
    "embDim": 128,  # embedding width, source and target
    "hidden": 256,  # decoder LSTM units = attentional vector width
    "encoderHidden": 128,  # encoder units per direction
    "encoderLayers": 1,  # stacked encoder LSTM layers
    "decoderLayers": 1,  # stacked decoder LSTM layers
    "bidirectional": True,  # memory = [fwd; bwd]
    "attention": "additive",  # 'additive' | 'dot' (Luong general) | 'none'
    "attentionDim": 128,  # additive attention hidden width
    "dropout": 0.1,  # embeddings, between layers, attentional vector (training only)
    "labelSmoothing": 0.1,  # epsilon of the smoothed cross-entropy (training only)
    "maxLen": 50,  # longest decoded target
    "tieEmbeddings": False,  # output = (h @ out/kernel[hidden, E]) @ embedding^T
    "inputFeeding": True,  # feed h~_{t-1} into the first decoder layer (Luong)
    "seed": 42,  # weight initialisation seed
}

_INTS = ["srcVocab", "tgtVocab", "embDim", "hidden", "encoderHidden", "encoderLayers",
         "decoderLayers", "attentionDim", "maxLen"]


def resolve_config(partial=None):
    """Fill defaults and validate, with the same rules and messages as resolveConfig in TypeScript."""
    partial = dict(partial or {})
    unknown = sorted(set(partial) - set(DEFAULT_CONFIG))
    if unknown:
        raise ValueError(f"Seq2SeqConfig: unknown fields {unknown}; valid fields: {sorted(DEFAULT_CONFIG)}")
    cfg = {**DEFAULT_CONFIG, **partial}
    for k in _INTS:
        v = cfg[k]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            if isinstance(v, float) and v.is_integer() and v >= 1:
                cfg[k] = int(v)
                continue
            raise ValueError(f"Seq2SeqConfig.{k}: expected a positive integer, got {json.dumps(v)}")
    if cfg["srcVocab"] < 5 or cfg["tgtVocab"] < 5:
        raise ValueError(
            "Seq2SeqConfig: vocabularies must hold the 4 specials plus at least one token, "
            f"got srcVocab={cfg['srcVocab']} tgtVocab={cfg['tgtVocab']}")
    if cfg["attention"] not in ("additive", "dot", "none"):
        raise ValueError(
            f"Seq2SeqConfig.attention: expected 'additive' | 'dot' | 'none', got {json.dumps(cfg['attention'])}")
    for k in ("dropout", "labelSmoothing"):
        v = cfg[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0 <= v < 1):
            raise ValueError(f"Seq2SeqConfig.{k}: expected a number in [0, 1), got {json.dumps(v)}")
    for k in ("bidirectional", "tieEmbeddings", "inputFeeding"):
        if not isinstance(cfg[k], bool):
            raise ValueError(f"Seq2SeqConfig.{k}: expected a boolean, got {json.dumps(cfg[k])}")
    if isinstance(cfg["seed"], bool) or not isinstance(cfg["seed"], (int, float)) or not math.isfinite(cfg["seed"]):
        raise ValueError(f"Seq2SeqConfig.seed: expected a finite number, got {json.dumps(cfg['seed'])}")
    return cfg


def read_train_config(path):
    """A seqlab training config (configs/translate-*.json), with errors that name the file."""
    try:
        with open(path, encoding="utf-8") as f:
            cfg = json.load(f)
    except OSError as e:
        raise ValueError(f"config {path}: cannot read ({e})") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"config {path}: malformed JSON ({e})") from e
    if not isinstance(cfg, dict):
        raise ValueError(f"config {path}: expected a JSON object, got {type(cfg).__name__}")
    for k in ("batchSize", "lr", "clipNorm", "epochs", "checkpointEvery", "seed"):
        if k not in cfg:
            raise ValueError(f"config {path}: missing '{k}' (see configs/translate-en-es.json)")
    return cfg


def scheduled_lr(cfg, step):
    """Learning rate after `step` completed steps: cfg.lr, or the latest lrDrops entry reached."""
    lr, at = cfg["lr"], -math.inf
    for d in cfg.get("lrDrops") or []:
        if step >= d["step"] and d["step"] >= at:
            lr, at = d["lr"], d["step"]
    return lr
