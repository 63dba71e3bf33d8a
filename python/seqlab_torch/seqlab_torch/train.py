"""Distributed (DDP) training of seqlab's seq2seq: `torchrun --nproc_per_node N -m seqlab_torch.train …`.

Also runs as one plain process (`python3 -m seqlab_torch.train …`). gloo on CPU, NCCL on GPUs.
Rank 0 writes the checkpoint (atomically) and the exported seqlab folder. Resume is exact:
model, Adam state and the data position are in the checkpoint, and every random draw is
derived from (seed, epoch, chunk) for shuffling and (seed, step, rank) for dropout.
"""

import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist

from .checkpoint import load_checkpoint, save_checkpoint
from .config import read_train_config, scheduled_lr
from .data import IdsStream, read_pairs, shard
from .model import Seq2Seq, teacher_forcing_pair, token_loss
from .seqlab_format import export_folder, import_folder

LANG_NAMES = {"es": "Spanish", "fr": "French", "de": "German"}


def parse_args(argv):
    p = argparse.ArgumentParser(prog="seqlab_torch.train", description=__doc__.split("\n")[0])
    p.add_argument("--config", required=True, help="seqlab training config JSON (configs/translate-*.json)")
    p.add_argument("--data", required=True, help="folder with train.ids, valid.ids, tokenizer.json, prep.json")
    p.add_argument("--run-dir", required=True, help="checkpoint folder")
    p.add_argument("--out", help="export the trained model here as a seqlab folder")
    p.add_argument("--max-steps", type=int, help="stop after this many steps in total")
    p.add_argument("--minutes", type=float, help="wall-clock budget of this invocation")
    p.add_argument("--resume", action="store_true", help="continue from --run-dir/checkpoint.pt")
    p.add_argument("--init", help="start from the weights of this seqlab model folder (fine-tuning)")
    p.add_argument("--lr", type=float, help="learning rate (overrides the config)")
    p.add_argument("--threads", type=int, help="torch threads per process (default: OMP_NUM_THREADS, else cores / processes)")
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--cpu", action="store_true", help="stay on CPU (gloo) even when CUDA is available")
    p.add_argument("--command", help="the command line recorded in card.md")
    return p.parse_args(argv)


def log(rank, **kv):
    if rank == 0:
        print(json.dumps(kv), flush=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    cfg = read_train_config(args.config)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() and not args.cpu
    device = torch.device(f"cuda:{local}") if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    omp = os.environ.get("OMP_NUM_THREADS", "")
    torch.set_num_threads(args.threads or (int(omp) if omp.isdigit() and int(omp) > 0 else max(1, (os.cpu_count() or 1) // world)))
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")

    with open(os.path.join(args.data, "prep.json"), encoding="utf-8") as f:
        prep = json.load(f)
    ckpt_path = os.path.join(args.run_dir, "checkpoint.pt")
    ckpt = load_checkpoint(ckpt_path) if args.resume else None
    if args.resume and ckpt is None:
        log(rank, note=f"--resume: no checkpoint at {ckpt_path}; starting from step 0")
    if args.init:
        model, _ = import_folder(args.init)
        if model.config["srcVocab"] != prep["srcVocab"] or model.config["tgtVocab"] != prep["tgtVocab"]:
            raise ValueError(f"--init {args.init}: vocabularies {model.config['srcVocab']}/{model.config['tgtVocab']} "
                             f"do not match the tokenizer's {prep['srcVocab']}/{prep['tgtVocab']} (use the folder's tokenizer.json)")
        model.config["dropout"] = cfg["model"].get("dropout", model.config["dropout"])
        model.config["labelSmoothing"] = cfg["model"].get("labelSmoothing", model.config["labelSmoothing"])
    else:
        model = Seq2Seq({**cfg["model"], "srcVocab": prep["srcVocab"], "tgtVocab": prep["tgtVocab"], "seed": cfg["seed"]})
    if ckpt is not None:
        model = Seq2Seq(ckpt["config"])
        model.load_state_dict(ckpt["model"])
    model.to(device)
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.999), eps=1e-8)
    step, pos, train_seconds, total_tokens = 0, (0, 0, 0), 0.0, 0
    if ckpt is not None:
        opt.load_state_dict(ckpt["optim"])
        step, pos = ckpt["step"], tuple(ckpt["pos"])
        train_seconds, total_tokens = ckpt.get("trainSeconds", 0.0), ckpt.get("tokens", 0)
        log(rank, resumed=step, pos=list(pos))

    stream = IdsStream(os.path.join(args.data, "train.ids"), cfg["batchSize"], cfg["seed"],
                       int(os.environ.get("SEQLAB_TORCH_CHUNK_BATCHES", "64")))
    total = args.max_steps or cfg.get("maxSteps") or stream.batches_per_epoch() * cfg["epochs"]
    smoothing = model.config["labelSmoothing"]
    clip = cfg.get("clipNorm") or 0
    valid_every = cfg.get("validateEvery") or 0
    valid = read_pairs(os.path.join(args.data, "valid.ids"), cfg.get("validSize")) if os.path.exists(os.path.join(args.data, "valid.ids")) else []
    history = []
    log(rank, start=step, total=total, world=world, device=str(device), threads=torch.get_num_threads(),
        pairs=stream.pairs, batchesPerEpoch=stream.batches_per_epoch(), config=model.config)

    def checkpoint():
        if rank == 0:
            save_checkpoint(ckpt_path, {"config": model.config, "step": step, "pos": list(pos),
                                        "model": model.state_dict(), "optim": opt.state_dict(),
                                        "trainSeconds": train_seconds, "tokens": total_tokens, "world": world})
            log(rank, checkpoint=step)

    t_start = time.time()
    t_mark, tok_mark, step_mark, here = None, 0, 0, 0
    batches = stream.batches(pos)
    model.train()
    while step < total:
        if args.minutes is not None:
            stop = torch.tensor([1.0 if time.time() - t_start > args.minutes * 60 else 0.0], device=device)
            if world > 1:
                dist.all_reduce(stop, op=dist.ReduceOp.MAX)
            if stop.item() > 0:
                break
        t0 = time.time()
        pos, batch = next(batches)
        n_global = sum(len(t) for _, t in batch)  # target tokens, EOS included (countTargetTokens)
        rows = shard(batch, rank, world)
        weight = 1.0
        if not rows:  # fewer rows than processes: join the collective with a zero-weight row
            rows, weight = batch[:1], 0.0
        for g in opt.param_groups:
            g["lr"] = args.lr or scheduled_lr(cfg, step)
        torch.manual_seed(int(cfg["seed"]) * 1_000_003 + step * 7919 + rank)  # dropout masks
        src = teacher_forcing_pair([s for s, _ in rows], device)[1]
        tgt_in, tgt_out = teacher_forcing_pair([t for _, t in rows], device)
        loss_sum, _ = token_loss(net(src, tgt_in), tgt_out, smoothing)
        # DDP averages gradients over processes: scaling by world / global tokens makes the
        # result the mean over the whole global batch, exactly what one process computes.
        (loss_sum * (weight * world / n_global)).backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        total_tokens += n_global
        train_seconds += time.time() - t0
        here += 1
        # tokens/s from this invocation's 4th step on (the first ones pay for warm-up)
        if here == 3 or (t_mark is None and step == total):
            t_mark, tok_mark, step_mark = time.time(), total_tokens, step
        if step % args.log_every == 0 or step == total:
            l = loss_sum.detach() * weight
            if world > 1:
                dist.all_reduce(l)
            line = {"step": step, "loss": round(float(l) / n_global, 4), "epoch": pos[0]}
            if t_mark is not None and step > step_mark:
                line["tokensPerS"] = round((total_tokens - tok_mark) / (time.time() - t_mark), 1)
            log(rank, **line)
        if valid and valid_every and step % valid_every == 0:
            vl = validate(model, valid, cfg["batchSize"], device) if rank == 0 else None
            if rank == 0:
                history.append({"step": step, "validLoss": vl})
                log(rank, step=step, validLoss=round(vl, 4))
        if cfg.get("checkpointEvery") and step % cfg["checkpointEvery"] == 0:
            checkpoint()
    checkpoint()
    summary = {"done": True, "steps": step, "trainSeconds": round(train_seconds, 1)}
    if t_mark is not None and step > step_mark:
        summary["tokensPerS"] = round((total_tokens - tok_mark) / (time.time() - t_mark), 1)
    if valid and rank == 0:
        summary["validLoss"] = round(validate(model, valid, cfg["batchSize"], device), 4)
    if args.out and rank == 0:
        export(model.cpu(), cfg, prep, args, summary, world, str(device))
        summary["out"] = args.out
    log(rank, **summary)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


@torch.no_grad()
def validate(model, pairs, batch_size, device):
    """Mean per-token cross-entropy (no smoothing, no dropout) over validation pairs."""
    was = model.training
    model.eval()
    total, count = 0.0, 0.0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i:i + batch_size]
        src = teacher_forcing_pair([s for s, _ in chunk], device)[1]
        tgt_in, tgt_out = teacher_forcing_pair([t for _, t in chunk], device)
        s, n = token_loss(model(src, tgt_in), tgt_out, 0.0)
        total, count = total + float(s), count + float(n)
    model.train(was)
    return total / max(count, 1.0)


def export(model, cfg, prep, args, summary, world, device):
    target = cfg.get("target", "es")
    title = f"English → {LANG_NAMES.get(target, target)}"
    metrics = {k: v for k, v in (("valid_loss", summary.get("validLoss")), ("steps", summary["steps"])) if v is not None}
    meta = {"task": "translate", "name": cfg.get("name", "translate"), "title": title,
            "files": {"tokenizer": "tokenizer.json", "card": "card.md"}, "metrics": metrics,
            "data": prep.get("data", ""), "settings": {"source": "en", "target": target}}
    command = args.command or " ".join(["python3 -m seqlab_torch.train", *sys.argv[1:]])
    card = "\n".join([
        f"# {cfg.get('name', 'translate')} — {title} (trained with seqlab_torch)", "",
        f"- Training data: {prep.get('data', '')}",
        f"- Trained by PyTorch {torch.__version__} DDP, {world} process(es) on {device}; "
        f"{summary['steps']} steps of {cfg['batchSize']} pairs in {summary['trainSeconds']} s"
        + (f", {summary['tokensPerS']} target tokens/s." if "tokensPerS" in summary else "."),
        "- Served unchanged by `load()` from `@seqlab/models` (float16 weights, seqlab's names and layouts).", "",
        "## Reproduce", "", "```", command, "```", "",
        "## Metrics", "", "| metric | value |", "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in metrics.items()], "",
        "BLEU/chrF: `pnpm seqlab eval translate --model <this folder> --test <corpus>/en-"
        f"{target}/test.tsv` (not run by the trainer).", "",
        "## Config", "", "```json", json.dumps({"train": cfg, "model": model.config}, indent=2, ensure_ascii=False), "```", ""])
    export_folder(model, args.out, cfg.get("quantization", "float16"), meta,
                  os.path.join(args.data, "tokenizer.json"), card)


if __name__ == "__main__":
    main()
