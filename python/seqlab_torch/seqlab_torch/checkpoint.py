"""Training checkpoints: one file replaced atomically (temp file, fsync, rename, fsync the directory)."""

import os

import torch

FORMAT = "seqlab-torch-checkpoint"


def save_checkpoint(path, state):
    """Write `state` (a dict of tensors and plain data) so that `path` is always either the old or the new file."""
    d = os.path.dirname(path) or "."
    os.makedirs(d, exist_ok=True)
    tmp = os.path.join(d, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            torch.save({"format": FORMAT, **state}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    try:
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass  # some filesystems refuse a directory fsync; the rename already happened


def load_checkpoint(path):
    """The state saved by save_checkpoint, or None when there is no checkpoint."""
    if not os.path.exists(path):
        return None
    state = torch.load(path, map_location="cpu")
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"{path}: not a seqlab_torch checkpoint (format {state.get('format') if isinstance(state, dict) else type(state).__name__!r}, expected '{FORMAT}')")
    return state
