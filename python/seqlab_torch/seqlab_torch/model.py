"""The seq2seq of @seqlab/seq2seq in PyTorch: (bi)LSTM encoder, bridge, dot/additive attention, Luong decoder.

Same maths as packages/seq2seq/src/{encoder,decoder,attention,loss}.ts. Recurrent layers are
nn.LSTM (fused C++ kernels; gate order i, f, g, o, the same as Keras' i, f, c, o), so a seqlab
kernel [in, 4u] is weight_ih^T and seqlab's single bias is bias_ih + bias_hh. Dense weights are
kept in seqlab's [in, out] layout under their seqlab names ('/' written '__').
"""

import math

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .config import resolve_config

PAD, BOS, EOS, UNK = 0, 1, 2, 3
MASK_NEG = -1e9  # attention logit bias on PAD slots, as maskBias in attention.ts


def _key(name):
    return name.replace("/", "__")


def _glorot(rows, cols, g):
    limit = math.sqrt(6 / (rows + cols))
    return (torch.rand(rows, cols, generator=g) * 2 - 1) * limit


def _orthogonal(rows, cols, g):
    a = torch.randn(max(rows, cols), min(rows, cols), generator=g, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    return (q if rows >= cols else q.T).float().contiguous()


class Seq2Seq(nn.Module):
    """LSTM encoder-decoder with attention over token ids (PAD=0, BOS=1, EOS=2, UNK=3).

    Example:
        m = Seq2Seq({"srcVocab": 30, "tgtVocab": 30, "embDim": 8, "hidden": 16, "encoderHidden": 8})
        logits = m(src, tgt_in)            # [b, L, V]
    """

    def __init__(self, config=None):
        super().__init__()
        self.config = resolve_config(config)
        c = self.config
        g = torch.Generator().manual_seed(int(c["seed"]))
        self.dense = nn.ParameterDict()
        E, H, eh = c["embDim"], c["hidden"], c["encoderHidden"]
        dirs = 2 if c["bidirectional"] else 1
        self.memory_dim = eh * dirs
        self.feeds = c["attention"] != "none" and c["inputFeeding"]
        self._add("encoder/embedding", (torch.rand(c["srcVocab"], E, generator=g) * 2 - 1) * 0.1)
        self.encoder = nn.LSTM(E, eh, num_layers=c["encoderLayers"], bidirectional=c["bidirectional"],
                               dropout=c["dropout"] if c["encoderLayers"] > 1 else 0.0)
        for l in range(c["encoderLayers"]):
            for d in range(dirs):
                self._init_lstm(self.encoder, l, "_reverse" if d else "", g)
        self._add("decoder/embedding", (torch.rand(c["tgtVocab"], E, generator=g) * 2 - 1) * 0.1)
        self.decoder = nn.ModuleList()
        for l in range(c["decoderLayers"]):
            in_size = E + (H if self.feeds else 0) if l == 0 else H
            cell = nn.LSTM(in_size, H)
            self._init_lstm(cell, 0, "", g)
            self.decoder.append(cell)
            self._add(f"decoder/bridge{l}/h_kernel", _glorot(self.memory_dim, H, g))
            self._add(f"decoder/bridge{l}/h_bias", torch.zeros(H))
            self._add(f"decoder/bridge{l}/c_kernel", _glorot(self.memory_dim, H, g))
            self._add(f"decoder/bridge{l}/c_bias", torch.zeros(H))
        if c["attention"] == "additive":
            a = c["attentionDim"]
            self._add("decoder/attention/wk", _glorot(self.memory_dim, a, g))
            self._add("decoder/attention/wq", _glorot(H, a, g))
            self._add("decoder/attention/v", _glorot(a, 1, g))
        elif c["attention"] == "dot":
            self._add("decoder/attention/wk", _glorot(self.memory_dim, H, g))
        if c["attention"] != "none":
            self._add("decoder/combine/kernel", _glorot(H + self.memory_dim, H, g))
            self._add("decoder/combine/bias", torch.zeros(H))
        self._add("decoder/out/kernel", _glorot(H, E if c["tieEmbeddings"] else c["tgtVocab"], g))
        self._add("decoder/out/bias", torch.zeros(c["tgtVocab"]))

    # ---- parameters -------------------------------------------------------------------------
    def _add(self, name, value):
        self.dense[_key(name)] = nn.Parameter(value.float())

    def w(self, name):
        """A dense parameter by its seqlab name, e.g. 'decoder/out/kernel'."""
        return self.dense[_key(name)]

    @staticmethod
    def _init_lstm(lstm, layer, sfx, g):
        w_ih = getattr(lstm, f"weight_ih_l{layer}{sfx}")
        w_hh = getattr(lstm, f"weight_hh_l{layer}{sfx}")
        b_ih = getattr(lstm, f"bias_ih_l{layer}{sfx}")
        b_hh = getattr(lstm, f"bias_hh_l{layer}{sfx}")
        u = w_hh.shape[1]
        with torch.no_grad():
            w_ih.copy_(_glorot(w_ih.shape[1], 4 * u, g).T)  # Keras: glorot kernel [in, 4u]
            w_hh.copy_(_orthogonal(u, 4 * u, g).T)  # orthogonal recurrent kernel [u, 4u]
            b_ih.zero_()
            b_ih[u:2 * u] = 1.0  # unit forget bias
            b_hh.zero_()

    def lstm_slots(self):
        """(seqlab prefix, nn.LSTM, layer index, torch suffix) for every recurrent layer, in seqlab's order."""
        c = self.config
        out = []
        for l in range(c["encoderLayers"]):
            out.append((f"encoder/layer{l}/fwd", self.encoder, l, ""))
            if c["bidirectional"]:
                out.append((f"encoder/layer{l}/bwd", self.encoder, l, "_reverse"))
        for l, cell in enumerate(self.decoder):
            out.append((f"decoder/layer{l}", cell, 0, ""))
        return out

    # ---- encoder ----------------------------------------------------------------------------
    def _drop(self, x):
        return F.dropout(x, self.config["dropout"], self.training) if self.config["dropout"] > 0 else x

    def encode(self, src):
        """src [b, S] right-padded ids → memory [b, S, d], mask [b, S] float, summary [b, d]."""
        if src.dim() != 2:
            raise ValueError(f"encode: expected int64 ids [batch, srcLen], got shape {list(src.shape)}")
        mask = (src != PAD).float()  # [b, S]
        lengths = mask.sum(1).long()
        if bool((lengths == 0).any()):
            raise ValueError("encode: every source row needs at least one token (EOS ends each row)")
        x = self._drop(F.embedding(src, self.w("encoder/embedding"))).transpose(0, 1)  # [S, b, E]
        # Packing is Keras masking for right-padded rows: forward stops at the last token, the
        # backward direction starts at it (seqlab's masked steps carry zeros there).
        packed = pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
        out, (h_n, _) = self.encoder(packed)
        memory, _ = pad_packed_sequence(out, total_length=src.shape[1])  # [S, b, d]
        summary = torch.cat([h_n[-2], h_n[-1]], 1) if self.config["bidirectional"] else h_n[-1]
        return memory.transpose(0, 1), mask, summary

    # ---- decoder ----------------------------------------------------------------------------
    def init_state(self, summary):
        """Per-layer (h, c) from the bridge: h = tanh(s Wh + bh), c = s Wc + bc."""
        states = []
        for l in range(self.config["decoderLayers"]):
            h = torch.tanh(summary @ self.w(f"decoder/bridge{l}/h_kernel") + self.w(f"decoder/bridge{l}/h_bias"))
            c = summary @ self.w(f"decoder/bridge{l}/c_kernel") + self.w(f"decoder/bridge{l}/c_bias")
            states.append((h, c))
        return states

    def keys(self, memory):
        return memory @ self.w("decoder/attention/wk") if self.config["attention"] != "none" else None

    def attend(self, q, keys, memory, mask):
        """Queries q [b, L, H] → context [b, L, d], weights [b, L, S]."""
        if self.config["attention"] == "additive":
            qa = q @ self.w("decoder/attention/wq")  # [b, L, a]
            e = torch.tanh(keys.unsqueeze(1) + qa.unsqueeze(2))  # [b, L, S, a]
            scores = (e @ self.w("decoder/attention/v")).squeeze(-1)  # [b, L, S]
        else:
            scores = q @ keys.transpose(1, 2)  # [b, L, S]
        weights = torch.softmax(scores + ((1 - mask) * MASK_NEG).unsqueeze(1), -1)
        return weights @ memory, weights

    def combine(self, q, context):
        return torch.tanh(torch.cat([q, context], -1) @ self.w("decoder/combine/kernel") + self.w("decoder/combine/bias"))

    def project(self, h):
        z = h @ self.w("decoder/out/kernel")
        if self.config["tieEmbeddings"]:
            z = z @ self.w("decoder/embedding").T
        return z + self.w("decoder/out/bias")

    @staticmethod
    def _cell(cell, x, h, c):
        """One LSTM step with an nn.LSTM layer's weights (gate order i, f, g, o)."""
        z = F.linear(x, cell.weight_ih_l0, cell.bias_ih_l0) + F.linear(h, cell.weight_hh_l0, cell.bias_hh_l0)
        i, f, g, o = z.chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    def step(self, ctx, state, tokens):
        """One decoder step: tokens [b] → (state, logits [b, V]); ctx = (memory, mask, keys)."""
        memory, mask, keys = ctx
        layers, feed = state
        x = self._drop(F.embedding(tokens, self.w("decoder/embedding")))  # [b, E]
        if self.feeds:
            x = torch.cat([x, feed], 1)
        new = []
        for l, cell in enumerate(self.decoder):
            if l > 0:
                x = self._drop(x)
            h, c = self._cell(cell, x, *layers[l])
            new.append((h, c))
            x = h
        if keys is not None:
            context, _ = self.attend(x.unsqueeze(1), keys, memory, mask)
            x = self.combine(x, context.squeeze(1))
        return (new, x), self.project(self._drop(x))

    def forward(self, src, tgt_in):
        """Teacher-forced logits [b, L, V] (dropout only in training mode)."""
        memory, mask, summary = self.encode(src)
        states = self.init_state(summary)
        keys = self.keys(memory)
        if self.feeds:
            state = (states, torch.zeros(src.shape[0], self.config["hidden"], dtype=memory.dtype, device=memory.device))
            feeds = []
            emb = self._drop(F.embedding(tgt_in, self.w("decoder/embedding")))  # [b, L, E]
            for t in range(tgt_in.shape[1]):
                x = torch.cat([emb[:, t], state[1]], 1)
                new = []
                for l, cell in enumerate(self.decoder):
                    if l > 0:
                        x = self._drop(x)
                    h, c = self._cell(cell, x, *state[0][l])
                    new.append((h, c))
                    x = h
                context, _ = self.attend(x.unsqueeze(1), keys, memory, mask)
                state = (new, self.combine(x, context.squeeze(1)))
                feeds.append(state[1])
            H = torch.stack(feeds, 1)  # [b, L, hidden]
        else:
            x = self._drop(F.embedding(tgt_in, self.w("decoder/embedding"))).transpose(0, 1)  # [L, b, E]
            for l, cell in enumerate(self.decoder):
                if l > 0:
                    x = self._drop(x)
                h0, c0 = states[l]
                x, _ = cell(x, (h0.unsqueeze(0).contiguous(), c0.unsqueeze(0).contiguous()))  # [L, b, H]
            q = x.transpose(0, 1)  # [b, L, H]
            if keys is not None:
                context, _ = self.attend(q, keys, memory, mask)
                H = self.combine(q, context)
            else:
                H = q
        return self.project(self._drop(H))


def token_loss(logits, targets, label_smoothing=0.0):
    """(sum over non-PAD targets of the smoothed cross-entropy, count): (1-ε)·NLL + ε·mean_v(-log p_v)."""
    logp = torch.log_softmax(logits, -1)  # [b, L, V]
    nll = -logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)  # [b, L]
    tok = nll
    if label_smoothing > 0:
        tok = nll * (1 - label_smoothing) + (-logp.mean(-1)) * label_smoothing
    mask = (targets != PAD).float()
    return (tok * mask).sum(), mask.sum()


def pad_rows(rows, device=None):
    """Right-pad id rows with PAD → int64 [b, max len]."""
    n = max((len(r) for r in rows), default=0)
    out = torch.zeros(len(rows), max(n, 1), dtype=torch.long)
    for i, r in enumerate(rows):
        if r:
            out[i, :len(r)] = torch.tensor(r, dtype=torch.long)
    return out.to(device) if device is not None else out


def teacher_forcing_pair(tgt_rows, device=None):
    """Decoder input (BOS + the padded target without its last column, as seqlab) and output (the padded target)."""
    out = pad_rows(tgt_rows)
    inp = torch.cat([torch.full((out.shape[0], 1), BOS, dtype=torch.long), out[:, :-1]], 1)
    return (inp, out) if device is None else (inp.to(device), out.to(device))


def repeat_cut(tokens, min_tokens):
    """seqlab's repetition guard (decode/repeat.ts): if `tokens` end in c >= 2 back-to-back copies of one
    span covering >= min_tokens tokens, the length that keeps one copy; else -1."""
    n = len(tokens)
    if not min_tokens > 0 or n < max(2, min_tokens):
        return -1
    k = 1
    while 2 * k <= n:
        m = 0
        while m < n - k and tokens[n - 1 - m] == tokens[n - 1 - m - k]:
            m += 1
        copies = m // k + 1
        if copies >= 2 and copies * k >= min_tokens:
            return n - (copies - 1) * k
        k += 1
    return -1


@torch.no_grad()
def greedy(model, src_rows, max_len, repeat_tokens=8):
    """Greedy decoding as seqlab's: each source row (ids ending in EOS) → emitted ids, EOS excluded; PAD and
    BOS are never picked; a row stops where it completes a loop (repeat_cut, seqlab's default 8; 0 = off)."""
    was = model.training
    model.eval()
    try:
        out = []
        for row in src_rows:
            memory, mask, summary = model.encode(pad_rows([row]))
            ctx = (memory, mask, model.keys(memory))
            state = (model.init_state(summary), torch.zeros(1, model.config["hidden"]))
            tok = torch.tensor([BOS])
            ids = []
            for _ in range(max_len):
                state, logits = model.step(ctx, state, tok)
                logp = torch.log_softmax(logits, -1)
                logp[:, PAD] += MASK_NEG
                logp[:, BOS] += MASK_NEG
                nxt = int(logp.argmax(-1))
                if nxt == EOS:
                    break
                ids.append(nxt)
                cut = repeat_cut(ids, repeat_tokens)
                if cut >= 0:
                    del ids[cut:]
                    break
                tok = torch.tensor([nxt])
            out.append(ids)
        return out
    finally:
        model.train(was)
