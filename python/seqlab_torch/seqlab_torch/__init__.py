"""seqlab_torch: PyTorch (DDP) trainer for seqlab's seq2seq architecture; exports and imports seqlab model folders."""

from .config import DEFAULT_CONFIG, resolve_config
from .model import Seq2Seq
from .seqlab_format import export_folder, import_folder

__all__ = ["DEFAULT_CONFIG", "resolve_config", "Seq2Seq", "export_folder", "import_folder"]
