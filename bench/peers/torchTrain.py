"""PyTorch side of `npm run bench:peers` training: the same GPT-2-style model, initial
weights, batches and AdamW settings as Glassbox's training graph, on CPU.

Usage: python3 torchTrain.py SPEC.json   (written by training.ts; prints one JSON line)
SPEC: config, weights file + manifest (HF GPT-2 names, Conv1D [in, out] layout), tokens
file (int32), batch, seq_len, steps, lr, adamw options, threads.
"""
import json
import math
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

spec = json.load(open(sys.argv[1]))
torch.set_num_threads(spec["threads"])
torch.manual_seed(0)
cfg = spec["config"]
d, n_layer, n_head = cfg["n_embd"], cfg["n_layer"], cfg["n_head"]
eps = cfg["layer_norm_epsilon"]

blob = np.fromfile(spec["weights"], dtype=np.float32)
params = {}
for name, (offset, shape) in spec["manifest"].items():
    count = int(np.prod(shape))
    params[name] = torch.nn.Parameter(torch.from_numpy(blob[offset : offset + count].reshape(shape).copy()))


def p(name):
    return params[name]


def forward(ids):
    b, t = ids.shape
    x = p("wte.weight")[ids] + p("wpe.weight")[:t]
    mask = torch.full((t, t), float("-inf")).triu(1)
    hd = d // n_head
    for i in range(n_layer):
        h = F.layer_norm(x, (d,), p(f"h.{i}.ln_1.weight"), p(f"h.{i}.ln_1.bias"), eps)
        qkv = h @ p(f"h.{i}.attn.c_attn.weight") + p(f"h.{i}.attn.c_attn.bias")
        q, k, v = qkv.split(d, dim=-1)
        q, k, v = (z.view(b, t, n_head, hd).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + mask
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + y @ p(f"h.{i}.attn.c_proj.weight") + p(f"h.{i}.attn.c_proj.bias")
        h = F.layer_norm(x, (d,), p(f"h.{i}.ln_2.weight"), p(f"h.{i}.ln_2.bias"), eps)
        h = F.gelu(h @ p(f"h.{i}.mlp.c_fc.weight") + p(f"h.{i}.mlp.c_fc.bias"), approximate="tanh")
        x = x + h @ p(f"h.{i}.mlp.c_proj.weight") + p(f"h.{i}.mlp.c_proj.bias")
    x = F.layer_norm(x, (d,), p("ln_f.weight"), p("ln_f.bias"), eps)
    return x @ p("wte.weight").t()  # GPT-2 ties the LM head to the token embedding


opt = spec["adamw"]
decay = [w for w in params.values() if w.dim() >= 2]
no_decay = [w for w in params.values() if w.dim() < 2]
optimizer = torch.optim.AdamW(
    [{"params": decay, "weight_decay": opt["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
    lr=spec["lr"],
    betas=(opt["beta1"], opt["beta2"]),
    eps=opt["eps"],
)

tokens = torch.from_numpy(np.fromfile(spec["tokens"], dtype=np.int32).astype(np.int64))
B, T = spec["batch"], spec["seq_len"]
losses, seconds = [], []
for step in range(spec["steps"]):
    window = tokens[step * B * (T + 1) : (step + 1) * B * (T + 1)].view(B, T + 1)
    started = time.perf_counter()
    logits = forward(window[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(params.values()), opt["maxGradNorm"])
    optimizer.step()
    seconds.append(time.perf_counter() - started)
    losses.append(loss.item())

def peak_rss_mib():
    # VmHWM is this process's own peak; ru_maxrss survives exec and would include the
    # Node parent's peak at spawn time.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


timed = seconds[1:] or seconds  # the first step pays for allocations
print(
    json.dumps(
        {
            "engine": f"pytorch {torch.__version__}",
            "losses": losses,
            "stepSeconds": seconds,
            "tokensPerSecond": B * T * len(timed) / sum(timed),
            "peakRssMiB": peak_rss_mib(),
        }
    )
)
