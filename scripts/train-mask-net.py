#!/usr/bin/env python3
"""Train a small discriminative mask network for Quell (issue 20 prototype), plain or hybrid with NMF.

Nothing here is used by the engine: it measures how much a learned mask can add on top of / instead of
Quell's supervised NMF. See docs/experiments/learned-mask.md for the results.

Data (protocol of bench/quality/splits.ts). Only the TRAIN part of /work/shared/data-extra: in each
folder's file list sorted by name, index i with i % 4 != 1 (22 speakers, 17 noises). Each train file is
cut once in time: its first 85% is for training, its last 15% is the held-out slice that picks the best
checkpoint (the tune split is only measured, ../shared/data never touched).

Mixtures. A speech excerpt (2-4 s on the fly; 6 s for the fixed hybrid set) from a random train
speaker, a noise excerpt from a random train noise (looped if short), SNR uniform -5..15 dB on the
active speech level (shared/eval/mix.py's speech_power: 20 ms frames within 40 dB of the loudest),
then a random overall level (mixture RMS -40..-15 dBFS, scaled down if the peak passes 0.99).

STFT as the engine: 16 kHz, 512-point periodic Hann, hop 128 -> 257 bins (torch.stft, centred).

Features per frame: log power ln(|X|^2 + 1e-10) of the 257 bins, minus a causal running mean (one-pole,
a = 0.99, ~0.8 s) of its mean over bins, / 10: level-invariant, causal. Hybrid adds per bin Quell's NMF
speech mask m = |C|^2 / (|C|^2 + |N|^2), C = STFT of `quell denoise` output, N = STFT(mixture - output)
(the CLI run with the tune-speech-train fold dictionary, as the bench's quell on the tune split).

Model (MaskNet): Linear(257*k -> H) + ReLU, 2-layer GRU(H) (causal), Linear(H -> 257) + sigmoid = gain per
bin in [0, 1], applied to the noisy STFT (noisy phase). Hybrid also adds w_f * logit(m) to the output
logits (w per bin, learned, starts at 0.5). H = 96: 161k parameters plain, 186k hybrid.

Loss: MSE of compressed magnitudes |S^|^0.3 vs |S|^0.3, + 0.3 x MSE of the compressed complex spectra
(|S^|^0.3 e^{j arg X} vs |S|^0.3 e^{j arg S}), + 0.002 x (-SI-SDR in dB of the inverse STFT). Adam 2e-3,
batch 16 x 3 s, a time budget (--minutes); the checkpoint with the best held-out SI-SDR is kept.

Reproduce (1 thread each, ~1 h in all on a 2-core machine; run the tune bench below first, it trains the
fold dictionary into bench/cache; training stops on a time budget, so the step count, hence the weights,
depend on the machine's speed):
  python3 scripts/train-mask-net.py gen --out /tmp/masknet-set --n 1200 --nval 120 \
      --fold bench/cache/folds/tune-speech-train-*.qdict        # fixed set + Quell NMF outputs (~4 min)
  python3 scripts/train-mask-net.py train --variant plain  --set /tmp/masknet-set --minutes 22 --out /tmp/plain.pt
  python3 scripts/train-mask-net.py train --variant hybrid --set /tmp/masknet-set --minutes 22 --out /tmp/hybrid-r1.pt
  python3 scripts/train-mask-net.py train --variant hybrid --set /tmp/masknet-set --minutes 12 --lr 1e-3 \
      --init /tmp/hybrid-r1.pt --out /tmp/hybrid.pt                                    # models/mask-net-v0.bin
  python3 scripts/train-mask-net.py train --variant plain --on-the-fly --babble 0.25 --set /tmp/masknet-set \
      --minutes 15 --out /tmp/plain-fly.pt
  npm run bench:quality -- --split tune --snr 0 --seconds 10 --condition unseen --systems noisy,quell \
      --keep /tmp/tunecases --jobs 1 --out /tmp/tunebench
  python3 scripts/train-mask-net.py apply --model /tmp/plain.pt --cases /tmp/tunecases --name plainnet
  python3 scripts/train-mask-net.py apply --model /tmp/hybrid.pt --cases /tmp/tunecases --name hybridnet
  python3 scripts/train-mask-net.py score --cases /tmp/tunecases --systems quell,plainnet,hybridnet
  python3 scripts/train-mask-net.py export --model /tmp/hybrid.pt --out models/mask-net-v0.bin
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
from scipy.io import wavfile
from scipy.signal import lfilter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTRA = '/work/shared/data-extra'
EVAL = '/work/shared/eval'
SR, NFFT, HOP = 16000, 512, 128
F = NFFT // 2 + 1
VAL_FRAC = 0.15
FOLD_GLOB = os.path.join(REPO, 'bench/cache/folds/tune-speech-train-*.qdict')


def read_wav(path):
    sr, x = wavfile.read(path)
    assert sr == SR, path
    if x.dtype.kind in 'iu':
        x = x.astype(np.float64) / 32768.0
    return np.asarray(x, np.float64)


def write_wav(path, x):
    wavfile.write(path, SR, (np.clip(x, -1, 32767 / 32768) * 32768).round().astype('<i2'))


def speech_power(x):
    n = int(0.02 * SR)
    p = (x[: len(x) // n * n].reshape(-1, n) ** 2).mean(1)
    return float(p[p > p.max() * 1e-4].mean())


def train_files(kind):
    """The TRAIN part of data-extra/<kind>: sorted by name, i % 4 != 1 (bench/quality/splits.ts)."""
    files = sorted(os.listdir(os.path.join(EXTRA, kind)), key=lambda s: s.encode())
    files = [f for f in files if f.endswith('.wav')]
    return [os.path.join(EXTRA, kind, f) for i, f in enumerate(files) if i % 4 != 1]


class Pool:
    """Train speakers and noises, each cut into a training part and a held-out (last 15%) part."""

    def __init__(self, part):
        self.speech, self.noise = [], []
        for kind, dst in (('speech', self.speech), ('noise', self.noise)):
            for p in train_files(kind):
                x = read_wav(p)
                cut = int(len(x) * (1 - VAL_FRAC))
                dst.append(x[:cut] if part == 'train' else x[cut:])

    def babble(self, rng, n, k):
        """k train talkers summed at equal active level (synthetic babble from TRAIN speech only)."""
        out = np.zeros(n)
        for _ in range(k):
            s = self.speech[rng.integers(len(self.speech))]
            off = rng.integers(0, len(s) - n + 1)
            s = s[off:off + n]
            out += s / np.sqrt(speech_power(s) + 1e-12)
        return out

    def mixture(self, rng, seconds, babble=0.0):
        n = int(seconds * SR)
        while True:
            s = self.speech[rng.integers(len(self.speech))]
            if len(s) < n:
                continue
            off = rng.integers(0, len(s) - n + 1)
            s = s[off:off + n].copy()
            if np.sqrt(np.mean(s ** 2)) > 1e-3:
                break
        if rng.random() < babble:
            v = self.babble(rng, n, int(rng.integers(3, 9)))
        else:
            v = self.noise[rng.integers(len(self.noise))]
            if len(v) < n:
                v = np.tile(v, n // len(v) + 1)
            off = rng.integers(0, len(v) - n + 1)
            v = v[off:off + n].copy()
        snr = rng.uniform(-5, 15)
        v *= np.sqrt(speech_power(s) / (np.mean(v ** 2) + 1e-12) / 10 ** (snr / 10))
        x = s + v
        g = 10 ** (rng.uniform(-40, -15) / 20) / (np.sqrt(np.mean(x ** 2)) + 1e-12)
        g = min(g, 0.99 / (np.abs(x).max() * 1.0 + 1e-12))
        return (s * g).astype(np.float32), (x * g).astype(np.float32), snr


# ---------------------------------------------------------------- features, model

def features(mag2):
    """mag2: (..., T, F) power -> level-invariant causal log features (..., T, F)."""
    lp = np.log(mag2 + 1e-10)
    m = lp.mean(-1)  # (..., T)
    a = 0.99
    zi = (a * m[..., :1])
    ema = lfilter([1 - a], [1, -a], m, axis=-1, zi=zi)[0]
    return ((lp - ema[..., None]) / 10.0).astype(np.float32)


def torch_setup():
    import torch
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    return torch


def build_model(torch, variant, H=96):
    nn = torch.nn

    class MaskNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.variant = variant
            k = 2 if variant == 'hybrid' else 1
            self.inp = nn.Linear(F * k, H)
            self.gru = nn.GRU(H, H, 2, batch_first=True)
            self.out = nn.Linear(H, F)
            if variant == 'hybrid':
                self.w = nn.Parameter(torch.full((F,), 0.5))

        def forward(self, feat, nmf=None):
            z = feat if nmf is None else torch.cat([feat, nmf], -1)
            h = torch.relu(self.inp(z))
            h, _ = self.gru(h)
            logit = self.out(h)
            if nmf is not None:
                m = nmf.clamp(1e-4, 1 - 1e-4)
                logit = logit + self.w * torch.log(m / (1 - m))
            return torch.sigmoid(logit)

    return MaskNet()


def stft(torch, x):
    w = torch.hann_window(NFFT, periodic=True)
    return torch.stft(x, NFFT, HOP, window=w, center=True, return_complex=True).transpose(-1, -2)  # (B,T,F)


def istft(torch, X, length):
    w = torch.hann_window(NFFT, periodic=True)
    return torch.istft(X.transpose(-1, -2), NFFT, HOP, window=w, center=True, length=length)


def nmf_mask(torch, mix, clean_est):
    C = stft(torch, torch.as_tensor(clean_est, dtype=torch.float32))
    N = stft(torch, torch.as_tensor(mix - clean_est, dtype=torch.float32))
    c, n = C.abs() ** 2, N.abs() ** 2
    return (c / (c + n + 1e-12)).numpy().astype(np.float32)


def si_sdr_t(torch, ref, est):
    ref = ref - ref.mean(-1, keepdim=True)
    est = est - est.mean(-1, keepdim=True)
    a = (est * ref).sum(-1, keepdim=True) / ((ref ** 2).sum(-1, keepdim=True) + 1e-10)
    t = a * ref
    return 10 * torch.log10((t ** 2).sum(-1) / (((est - t) ** 2).sum(-1) + 1e-10) + 1e-10)


def loss_fn(torch, M, X, S, s_wav):
    """M real, so |M X| = M |X| and arg(M X) = arg X: the complex term in real arithmetic,
    |a e^{i arg X} - b e^{i arg S}|^2 = a^2 + b^2 - 2ab cos(arg X - arg S)."""
    c = 0.3
    with torch.no_grad():
        xa, sa = X.abs(), S.abs()
        cosd = (X * S.conj()).real / (xa * sa + 1e-12)
        sa = (sa + 1e-8) ** c
    ya = (M * xa + 1e-8) ** c
    mag = ((ya - sa) ** 2).mean()
    cplx = (ya ** 2 + sa ** 2 - 2 * ya * sa * cosd).mean()
    y = istft(torch, M * X, s_wav.shape[-1])
    sdr = si_sdr_t(torch, s_wav, y).mean()
    return mag + 0.3 * cplx - 0.002 * sdr, sdr


# ---------------------------------------------------------------- gen: fixed set with Quell's NMF masks

def cmd_gen(a):
    fold = sorted(glob.glob(a.fold or FOLD_GLOB))
    if not fold:
        sys.exit('no tune-speech-train fold dictionary: run the tune bench once (bench/cache/folds)')
    os.makedirs(a.out, exist_ok=True)
    wav = os.path.join(a.out, 'wav')
    os.makedirs(wav, exist_ok=True)
    out = {}
    for part, n, seed in (('train', a.n, 1), ('val', a.nval, 2)):
        pool = Pool(part)
        rng = np.random.default_rng(seed)
        S, X, snr = [], [], []
        for i in range(n):
            s, x, d = pool.mixture(rng, a.seconds)
            S.append(s), X.append(x), snr.append(d)
            wavfile.write(os.path.join(wav, f'{part}{i:04d}.wav'), SR, x)
        out[part] = (np.stack(S), np.stack(X), np.array(snr, np.float32))
    t = time.time()
    ins = sorted(glob.glob(os.path.join(wav, '*[0-9].wav')))
    done = os.path.join(a.out, 'nmf')
    os.makedirs(done, exist_ok=True)
    # batches of 50 files per CLI call, one job (the machine is shared); the noise side is mixture - output
    for k in range(0, len(ins), 50):
        subprocess.run(['node', os.path.join(REPO, 'app/cli/bin.js'), 'denoise', *ins[k:k + 50], '--out-dir', done,
                        '--speech', fold[-1], '--force', '-q', '--bits', '32f', '--jobs', '1'], check=True)
        print(f'nmf {min(k + 50, len(ins))}/{len(ins)} {time.time() - t:.0f} s', flush=True)
    for part in ('train', 'val'):
        S, X, snr = out[part]
        C = np.stack([read_wav(os.path.join(done, f'{part}{i:04d}.clean.wav')) for i in range(len(X))]).astype(np.float32)
        np.savez(os.path.join(a.out, f'{part}.npz'), s=S, x=X, c=C, snr=snr)
    print(json.dumps({'nmf_seconds': time.time() - t, 'files': len(ins), 'fold': fold[-1]}))


# ---------------------------------------------------------------- train

def prep(torch, s, x, c, variant):
    """numpy waveforms (B, n) -> tensors: S, X (B,T,F complex), features, nmf mask or None."""
    st, xt = torch.as_tensor(s), torch.as_tensor(x)
    S, X = stft(torch, st), stft(torch, xt)
    feat = torch.as_tensor(features((X.abs() ** 2).numpy()))
    nmf = None
    if variant == 'hybrid':
        nmf = torch.as_tensor(np.stack([nmf_mask(torch, x[i], c[i]) for i in range(len(x))]))
    return st, S, X, feat, nmf


def cmd_train(a):
    torch = torch_setup()
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = build_model(torch, a.variant)
    if a.init:  # continue from a checkpoint (fresh optimizer state)
        model.load_state_dict(torch.load(a.init, weights_only=False)['state'])
    nparams = sum(p.numel() for p in model.parameters())
    print(f'{a.variant}: {nparams} parameters', flush=True)
    tr = dict(np.load(os.path.join(a.set, 'train.npz')))
    va = dict(np.load(os.path.join(a.set, 'val.npz')))
    fly = Pool('train') if a.variant == 'plain' and a.on_the_fly else None
    # the held-out slice: the fixed set's val mixtures (train-speaker/noise tails), all 6 s
    vs, vS, vX, vfeat, vnmf = prep(torch, va['s'], va['x'], va['c'], a.variant)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    seg = int(3 * SR)
    t0, step, best, log = time.time(), 0, -1e9, []
    n_set = len(tr['x'])
    while time.time() - t0 < a.minutes * 60:
        model.train()
        if fly is not None:
            s, x = [], []
            for _ in range(a.batch):
                si, xi, _ = fly.mixture(rng, rng.uniform(2, 4), a.babble)
                s.append(si[:seg]), x.append(xi[:seg])
            L = min(len(v) for v in s)
            s = np.stack([v[:L] for v in s]); x = np.stack([v[:L] for v in x]); c = None
        else:
            idx = rng.integers(0, n_set, a.batch)
            off = rng.integers(0, tr['x'].shape[1] - seg + 1)
            s, x, c = tr['s'][idx, off:off + seg], tr['x'][idx, off:off + seg], tr['c'][idx, off:off + seg]
            # random gain, per example (the NMF mask is gain-invariant)
            g = (10 ** (rng.uniform(-10, 6, (a.batch, 1)) / 20)).astype(np.float32)
            g = np.minimum(g, 0.99 / (np.abs(x).max(1, keepdims=True) + 1e-9))
            s, x, c = s * g, x * g, c * g
        st, S, X, feat, nmf = prep(torch, s, x, c, a.variant)
        M = model(feat, nmf)
        loss, sdr = loss_fn(torch, M, X, S, st)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        if step % a.eval_every == 0:
            model.eval()
            with torch.no_grad():
                sd = []
                for k in range(0, len(vX), 20):
                    Mv = model(vfeat[k:k + 20], None if vnmf is None else vnmf[k:k + 20])
                    y = istft(torch, Mv * vX[k:k + 20], vs.shape[-1])
                    sd.append(si_sdr_t(torch, vs[k:k + 20], y) - si_sdr_t(torch, vs[k:k + 20], torch.as_tensor(va['x'][k:k + 20])))
                vi = float(torch.cat(sd).mean())
            el = time.time() - t0
            log.append({'step': step, 'seconds': round(el), 'train_loss': float(loss.detach()), 'val_si_sdri': vi})
            mark = ''
            if vi > best:
                best = vi
                torch.save({'variant': a.variant, 'state': model.state_dict(), 'step': step, 'val_si_sdri': vi,
                            'params': nparams}, a.out)
                mark = ' *'
            print(f'step {step} {el:.0f}s loss {float(loss):.4f} val SI-SDRi {vi:+.2f}{mark}', flush=True)
        if step == 1500:
            for gp in opt.param_groups:
                gp['lr'] = a.lr / 2
    json.dump({'variant': a.variant, 'params': nparams, 'steps': step, 'seconds': time.time() - t0,
               'best_val_si_sdri': best, 'log': log}, open(a.out + '.log.json', 'w'), indent=1)
    print(f'done: {step} steps, best held-out SI-SDRi {best:+.2f} dB')


# ---------------------------------------------------------------- apply / score / export

def load_model(torch, path):
    ck = torch.load(path, weights_only=False)
    m = build_model(torch, ck['variant'])
    m.load_state_dict(ck['state'])
    m.eval()
    return m, ck


def cmd_apply(a):
    torch = torch_setup()
    model, ck = load_model(torch, a.model)
    t_all, n_all = 0.0, 0
    for d in sorted(glob.glob(os.path.join(a.cases, 'case*'))):
        x = read_wav(os.path.join(d, 'noisy.wav')).astype(np.float32)
        t = time.time()
        c = read_wav(os.path.join(d, 'out_quell.wav')).astype(np.float32)[None] if ck['variant'] == 'hybrid' else None
        with torch.no_grad():
            st, S, X, feat, nmf = prep(torch, x[None], x[None], c, ck['variant'])
            y = istft(torch, model(feat, nmf) * X, len(x))[0].numpy()
        t_all += time.time() - t
        n_all += len(x)
        write_wav(os.path.join(d, f'out_{a.name}.wav'), y)
    print(f'{a.name}: RTF (torch, 1 thread, whole file) {t_all / (n_all / SR):.4f}')


def cmd_score(a):
    sys.path.insert(0, EVAL)
    import metrics
    rows = {}
    for d in sorted(glob.glob(os.path.join(a.cases, 'case*'))):
        meta = json.load(open(os.path.join(d, 'meta.json')))
        noise = os.path.basename(meta['noise'])[:-4]
        ref = read_wav(os.path.join(d, 'clean.wav'))
        noisy = read_wav(os.path.join(d, 'noisy.wav'))
        base = metrics.si_sdr(ref, noisy)
        st0 = metrics.stoi(ref, noisy)
        for sysname in ['noisy'] + a.systems.split(','):
            y = noisy if sysname == 'noisy' else read_wav(os.path.join(d, f'out_{sysname}.wav'))
            r = rows.setdefault(sysname, [])
            r.append({'case': os.path.basename(d), 'noise': noise, 'speaker': os.path.basename(meta['speech'])[:-4],
                      'si_sdri': metrics.si_sdr(ref, y) - base, 'stoi': metrics.stoi(ref, y), 'stoi0': st0})
    json.dump(rows, open(a.json, 'w'), indent=1)
    noises = sorted({r['noise'] for r in rows['noisy']})
    names = list(rows)
    print('| noise | ' + ' | '.join(f'{n} SI-SDRi' for n in names) + ' |')
    print('|---|' + '---|' * len(names))
    for nz in noises + ['**mean**']:
        cells = []
        for n in names:
            v = [r['si_sdri'] for r in rows[n] if nz == '**mean**' or r['noise'] == nz]
            cells.append(f'{np.mean(v):+.2f}')
        print(f'| {nz} | ' + ' | '.join(cells) + ' |')
    print('\n| system | SI-SDRi | STOI |\n|---|---|---|')
    for n in names:
        print(f"| {n} | {np.mean([r['si_sdri'] for r in rows[n]]):+.2f} | {np.mean([r['stoi'] for r in rows[n]]):.3f} |")


def cmd_export(a):
    """models/mask-net-vN.bin: 'QMNT', u32 LE header length, JSON header (tensor names, shapes, offsets
    in float32 units, settings), zero bytes to a multiple of 4, then the float32 LE weights in header order."""
    torch = torch_setup()
    _, ck = load_model(torch, a.model)
    tensors, blobs, off = [], [], 0
    for k, v in ck['state'].items():
        arr = v.detach().numpy().astype('<f4').ravel()
        tensors.append({'name': k, 'shape': list(v.shape), 'offset': off})
        blobs.append(arr)
        off += arr.size
    hybrid = ck['variant'] == 'hybrid'
    head = {'format': 'quell-mask-net', 'version': 0, 'variant': ck['variant'], 'params': int(off),
            'stft': {'sampleRate': SR, 'nFft': NFFT, 'hop': HOP, 'window': 'hann-periodic'},
            'features': 'ln(|X|^2+1e-10) minus a causal one-pole (a=0.99, y0 = first value) of its mean over bins, /10'
                        + ('; then the NMF speech mask |C|^2/(|C|^2+|N|^2) per bin' if hybrid else ''),
            'model': 'relu(inp) -> GRU x2 (torch layout: gates r,z,n) -> out' + (' + w*logit(clamp(mask,1e-4))' if hybrid else '')
                     + ' -> sigmoid: gain per bin on the noisy STFT',
            'trained': 'scripts/train-mask-net.py on data-extra TRAIN (i % 4 != 1)', 'step': ck['step'],
            'heldOutSiSdri': round(ck['val_si_sdri'], 3), 'tensors': tensors}
    h = json.dumps(head, separators=(',', ':')).encode()
    with open(a.out, 'wb') as f:
        f.write(b'QMNT' + len(h).to_bytes(4, 'little') + h)
        pad = (-(8 + len(h))) % 4
        f.write(bytes(pad))
        for arr in blobs:
            f.write(arr.tobytes())
    print(a.out, os.path.getsize(a.out), 'bytes')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    g = sub.add_parser('gen')
    g.add_argument('--out', required=True)
    g.add_argument('--n', type=int, default=800)
    g.add_argument('--nval', type=int, default=80)
    g.add_argument('--seconds', type=float, default=6.0)
    g.add_argument('--fold', help='speech dictionary (default bench/cache/folds/tune-speech-train-*.qdict)')
    t = sub.add_parser('train')
    t.add_argument('--variant', choices=['plain', 'hybrid'], required=True)
    t.add_argument('--set', required=True)
    t.add_argument('--out', required=True)
    t.add_argument('--minutes', type=float, default=20)
    t.add_argument('--batch', type=int, default=16)
    t.add_argument('--lr', type=float, default=2e-3)
    t.add_argument('--eval-every', type=int, default=100)
    t.add_argument('--babble', type=float, default=0.0,
                   help='with --on-the-fly: share of mixtures whose noise is 3-8 summed train talkers')
    t.add_argument('--init', help='start from this checkpoint')
    t.add_argument('--on-the-fly', action='store_true', help='plain only: fresh 2-4 s mixtures every step')
    ap = sub.add_parser('apply')
    ap.add_argument('--model', required=True)
    ap.add_argument('--cases', required=True)
    ap.add_argument('--name', required=True)
    sc = sub.add_parser('score')
    sc.add_argument('--cases', required=True)
    sc.add_argument('--systems', required=True)
    sc.add_argument('--json', default='/tmp/masknet-scores.json')
    ex = sub.add_parser('export')
    ex.add_argument('--model', required=True)
    ex.add_argument('--out', required=True)
    a = p.parse_args()
    {'gen': cmd_gen, 'train': cmd_train, 'apply': cmd_apply, 'score': cmd_score, 'export': cmd_export}[a.cmd](a)


if __name__ == '__main__':
    main()
