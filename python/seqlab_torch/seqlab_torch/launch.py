"""torchrun, made to work on Debian's PyTorch 1.13 + Python 3.11: `python3 -m seqlab_torch.launch <torchrun args>`.

torch 1.13's Std.from_str("0") returns None on Python 3.11 (iterating an IntFlag there skips its
zero member), so every torchrun launch dies in to_map() before starting a worker. This wrapper
maps None back to Std.NONE, then runs torchrun's own main() with the arguments unchanged; on a
PyTorch without the bug it changes nothing.
"""

from torch.distributed import run
from torch.distributed.elastic.multiprocessing import api

_from_str = api.Std.from_str


def _fixed_from_str(vm):
    r = _from_str(vm)
    if r is None:
        return api.Std.NONE
    if isinstance(r, dict):
        return {k: api.Std.NONE if v is None else v for k, v in r.items()}
    return r


if _from_str("0") is None:
    api.Std.from_str = staticmethod(_fixed_from_str)

if __name__ == "__main__":
    run.main()
