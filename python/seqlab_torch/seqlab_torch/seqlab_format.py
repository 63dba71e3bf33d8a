"""seqlab model folders (model.json + weight shards, the tfjs layout that @seqlab/models load() reads) to and from PyTorch.

Format (packages/seq2seq serialize.ts / model-io.ts): modelTopology = {format: 'seqlab-seq2seq',
version: 1, config}, one weightsManifest group whose shards are the concatenated weight bytes
cut every 4 MiB, each weight float32 or quantised (float16; uint8 affine with scale/min).
"""

import json
import os
import shutil
from collections import OrderedDict

import numpy as np
import torch

from .config import resolve_config
from .model import Seq2Seq

FORMAT = "seqlab-seq2seq"
VERSION = 1
SHARD_BYTES = 4 * 1024 * 1024


def seqlab_weights(model):
    """The model's weights under seqlab's names and layouts, in seqlab's parameter order (float32 numpy)."""
    out = OrderedDict()
    lstm = {prefix: (m, l, s) for prefix, m, l, s in model.lstm_slots()}
    c = model.config

    def put_lstm(prefix):
        m, l, s = lstm[prefix]
        g = lambda n: getattr(m, f"{n}_l{l}{s}").detach().cpu().float()  # noqa: E731
        out[f"{prefix}/kernel"] = g("weight_ih").T.numpy()
        out[f"{prefix}/recurrent_kernel"] = g("weight_hh").T.numpy()
        out[f"{prefix}/bias"] = (g("bias_ih") + g("bias_hh")).numpy()

    def put(name):
        out[name] = model.w(name).detach().cpu().float().numpy()

    put("encoder/embedding")
    for l in range(c["encoderLayers"]):
        put_lstm(f"encoder/layer{l}/fwd")
        if c["bidirectional"]:
            put_lstm(f"encoder/layer{l}/bwd")
    put("decoder/embedding")
    for l in range(c["decoderLayers"]):
        put_lstm(f"decoder/layer{l}")
        for n in ("h_kernel", "h_bias", "c_kernel", "c_bias"):
            put(f"decoder/bridge{l}/{n}")
    if c["attention"] == "additive":
        for n in ("wk", "wq", "v"):
            put(f"decoder/attention/{n}")
    elif c["attention"] == "dot":
        put("decoder/attention/wk")
    if c["attention"] != "none":
        put("decoder/combine/kernel")
        put("decoder/combine/bias")
    put("decoder/out/kernel")
    put("decoder/out/bias")
    return out


def load_seqlab_weights(model, weights, where="model.json"):
    """Copy seqlab-named float arrays into the model (the inverse of seqlab_weights), checking names and shapes."""
    want = seqlab_weights(model)
    missing = [n for n in want if n not in weights]
    extra = [n for n in weights if n not in want]
    if missing or extra:
        raise ValueError(f"{where}: weights do not match the config: missing {missing}, unexpected {extra}")
    for n, v in want.items():
        if tuple(np.shape(weights[n])) != v.shape:
            raise ValueError(f"{where}: weight '{n}' has shape {list(np.shape(weights[n]))}, the config needs {list(v.shape)}")
    lstm = {prefix: (m, l, s) for prefix, m, l, s in model.lstm_slots()}
    with torch.no_grad():
        for n, v in weights.items():
            t = torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
            prefix, leaf = n.rsplit("/", 1)
            if prefix in lstm:
                m, l, s = lstm[prefix]
                if leaf == "kernel":
                    getattr(m, f"weight_ih_l{l}{s}").copy_(t.T)
                elif leaf == "recurrent_kernel":
                    getattr(m, f"weight_hh_l{l}{s}").copy_(t.T)
                else:  # seqlab's one bias goes to bias_ih; bias_hh is zero
                    getattr(m, f"bias_ih_l{l}{s}").copy_(t)
                    getattr(m, f"bias_hh_l{l}{s}").zero_()
            else:
                model.w(n).copy_(t)


def _encode(values, scheme):
    if scheme == "float32":
        return values.astype("<f4").tobytes(), None
    if scheme == "float16":
        # numpy rounds to nearest even and overflows to ±inf, as toFloat16Bits in quantize.ts.
        return values.astype("<f2").tobytes(), {"dtype": "float16"}
    if scheme in ("uint8", "int8"):
        lo, hi = min(float(values.min(initial=0.0)), 0.0), max(float(values.max(initial=0.0)), 0.0)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError("export: cannot 8-bit quantise non-finite values")
        scale = (hi - lo) / 255 if hi > lo else 1.0
        zero = round(-lo / scale)
        nmin = -zero * scale
        q = np.clip(np.round((values.astype(np.float64) - nmin) / scale), 0, 255).astype(np.uint8)
        return q.tobytes(), {"dtype": "uint8", "scale": scale, "min": nmin}
    raise ValueError(f"export: quantization must be 'float32' | 'float16' | 'uint8' | 'int8', got {scheme!r}")


def _atomic_write(path, data):
    tmp = os.path.join(os.path.dirname(path) or ".", f".{os.path.basename(path)}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def export_folder(model, out_dir, quantization="float16", metadata=None, tokenizer=None, card=None):
    """Write a seqlab model folder: model.json + group1-shardXofN.bin (+ tokenizer.json, card.md).

    `metadata` is model.json's userDefinedMetadata (a task model needs task, name, title, files,
    data, settings: see packages/models metadata.ts); `tokenizer` a path copied to tokenizer.json.
    The folder is replaced only whole: it is written beside `out_dir`, then renamed into place, so
    a reader never sees a mix of two models (as seqlab's writeModelFolder).
    """
    out_dir = os.path.abspath(out_dir)
    tmp = f"{out_dir}.tmp-{os.getpid()}"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    try:
        doc = _write_folder(model, tmp, quantization, metadata, tokenizer, card)
        if os.path.exists(out_dir):
            old = f"{out_dir}.old-{os.getpid()}"
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out_dir)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp)
    return doc


def _write_folder(model, out_dir, quantization, metadata, tokenizer, card):
    specs, chunks = [], []
    for name, v in seqlab_weights(model).items():
        data, q = _encode(v, quantization)
        spec = {"name": name, "shape": list(v.shape), "dtype": "float32"}
        if q:
            spec["quantization"] = q
        specs.append(spec)
        chunks.append(data)
    blob = b"".join(chunks)
    n = max(1, -(-len(blob) // SHARD_BYTES))
    paths = [f"group1-shard{i + 1}of{n}.bin" for i in range(n)]
    for i, p in enumerate(paths):
        _atomic_write(os.path.join(out_dir, p), blob[i * SHARD_BYTES:(i + 1) * SHARD_BYTES])
    doc = {
        "modelTopology": {"format": FORMAT, "version": VERSION, "config": model.config},
        "format": FORMAT,
        "generatedBy": "seqlab_torch",
        "convertedBy": None,
        "weightsManifest": [{"paths": paths, "weights": specs}],
    }
    if metadata is not None:
        doc["userDefinedMetadata"] = metadata
    if tokenizer is not None:
        shutil.copyfile(tokenizer, os.path.join(out_dir, "tokenizer.json"))
    if card is not None:
        _atomic_write(os.path.join(out_dir, "card.md"), card)
    _atomic_write(os.path.join(out_dir, "model.json"), json.dumps(doc))
    return doc


def _decode(buf, spec, where):
    q = spec.get("quantization")
    count = int(np.prod(spec["shape"])) if spec["shape"] else 1
    if q is None:
        return np.frombuffer(buf, "<f4", count).astype(np.float32), 4 * count
    if q["dtype"] == "float16":
        return np.frombuffer(buf, "<f2", count).astype(np.float32), 2 * count
    if q["dtype"] == "uint8":
        return (np.frombuffer(buf, np.uint8, count).astype(np.float32) * q["scale"] + q["min"]).astype(np.float32), count
    raise ValueError(f"{where}: weight '{spec['name']}' has quantization {q['dtype']!r}; supported: 'float16', 'uint8'")


def read_folder(folder):
    """(config, {name: float32 array}, userDefinedMetadata) of a seqlab seq2seq folder."""
    where = os.path.join(folder, "model.json")
    try:
        with open(where, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise ValueError(f"{where}: cannot read ({e})") from e
    topo = doc.get("modelTopology") or {}
    if topo.get("format") != FORMAT:
        raise ValueError(f"{where}: modelTopology.format is {topo.get('format')!r}, expected '{FORMAT}'")
    if topo.get("version") != VERSION:
        raise ValueError(f"{where}: format version {topo.get('version')!r} is not supported (expected {VERSION})")
    weights = {}
    for group in doc.get("weightsManifest") or []:
        parts = []
        for p in group["paths"]:
            with open(os.path.join(folder, p), "rb") as f:
                parts.append(f.read())
        buf, off = b"".join(parts), 0
        for spec in group["weights"]:
            if spec.get("dtype") != "float32":
                raise ValueError(f"{where}: weight '{spec['name']}' has dtype {spec.get('dtype')!r}, expected 'float32'")
            v, n = _decode(buf[off:], spec, where)
            if v.size != int(np.prod(spec["shape"])):
                raise ValueError(f"{where}: weight data ends inside '{spec['name']}' (truncated shard)")
            weights[spec["name"]] = v.reshape(spec["shape"])
            off += n
        if off != len(buf):
            raise ValueError(f"{where}: {len(buf) - off} bytes of weight data beyond the manifest")
    return resolve_config(topo.get("config")), weights, doc.get("userDefinedMetadata")


def import_folder(folder):
    """Build a PyTorch Seq2Seq from a seqlab folder (to fine-tune or evaluate); returns (model, metadata)."""
    config, weights, meta = read_folder(folder)
    model = Seq2Seq(config)
    load_seqlab_weights(model, weights, os.path.join(folder, "model.json"))
    return model, meta
