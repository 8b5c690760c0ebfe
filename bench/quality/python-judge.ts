/**
 * The Python side of the cross-check, run as `python3 -c`: reads a JSON request on stdin and
 * answers on stdout. It imports shared/eval's metrics.py and mix.py by path, scores every output
 * with metrics.py, measures each case's SNR the mix.py way on the written files, and replays mix.py
 * with our recorded random draws (a stand-in for numpy's Generator that returns them in order and
 * checks the bounds asked for) to compare its WAVs with ours, in 16-bit steps (LSB). Every output
 * named after one of peers.py's systems is also made again by peers.py on the same case and
 * compared with ours (sox dithers its output at random, so it differs by an LSB or two); the optional
 * peers (rnnoise, dfn3) are not made again: the bench ran peers.py's own functions for them.
 */
export const PYTHON_JUDGE = String.raw`
import json, os, sys, tempfile
import numpy as np
req = json.load(sys.stdin)
sys.path.insert(0, req["evalDir"])
import metrics, mix, peers
from mix import read_wav
from scipy.io import wavfile

class Replay:
    def __init__(self, draws):
        self.draws = list(draws)
    def _next(self, kind):
        if not self.draws:
            raise AssertionError(f"mix.py asked for more draws than we made ({kind})")
        d = self.draws.pop(0)
        if d["kind"] != kind:
            raise AssertionError(f"mix.py drew {kind}, we drew {d['kind']}")
        return d
    def integers(self, lo, hi):
        d = self._next("integers")
        if lo != 0 or d["high"] != hi:
            raise AssertionError(f"mix.py drew integers({lo}, {hi}), we drew integers(0, {d['high']})")
        return d["value"]
    def random(self):
        return self._next("random")["value"]

def plain16(path):
    sr, x = wavfile.read(path)
    return sr == mix.SR and x.dtype == np.int16 and x.ndim == 1

def replay(d, m):
    if not (plain16(m["speech"]) and plain16(m["noise"])):
        return {"error": "a source is not 16 kHz mono 16-bit; mix.py would resample it with sox"}
    speech = read_wav(m["speech"])[1][m["start"]:m["start"] + m["length"]]
    noise = read_wav(m["noise"])[1][m["range"][0]:m["range"][1]]
    rng = Replay(m["draws"])
    saved = mix.np.random.default_rng
    mix.np.random.default_rng = lambda seed=None: rng
    try:
        with tempfile.TemporaryDirectory() as t:
            meta = mix.mix(speech, noise, m["snr"], t, seed=0, lead_in=m["lead_in"])
            lsb = {}
            for f in ("clean", "noise", "noisy", "noise_only"):
                a = np.round(read_wav(os.path.join(t, f + ".wav"))[1] * 32768)
                b = np.round(read_wav(os.path.join(d, f + ".wav"))[1] * 32768)
                lsb[f] = int(np.abs(a - b).max()) if a.shape == b.shape else None
    except AssertionError as e:
        return {"error": str(e)}
    finally:
        mix.np.random.default_rng = saved
    return {"max_lsb": lsb, "unused_draws": len(rng.draws), "measured_snr_db": float(meta["measured_snr_db"])}

def rerun_peer(d, name, s, ours):
    with tempfile.TemporaryDirectory() as t:
        o = os.path.join(t, "out.wav")
        peers.PEERS[name](os.path.join(d, "noisy.wav"), o, os.path.join(d, "noise_only.wav"))
        y = read_wav(o)[1]
    lsb = int(np.abs(np.round(y * 32768) - np.round(ours * 32768)).max()) if y.shape == ours.shape else None
    return {"max_lsb": lsb, "d_si_sdr": float(metrics.si_sdr(s, y) - metrics.si_sdr(s, ours))}

def num(v):
    v = float(v)
    return v if np.isfinite(v) else None

out = {}
for c in req["cases"]:
    d = c["dir"]
    s = read_wav(os.path.join(d, "clean.wav"))[1]
    res = {"metrics": {}, "peers": {}}
    for name in c["outputs"]:
        y = read_wav(os.path.join(d, "out_" + name + ".wav"))[1]
        res["metrics"][name] = {"si_sdr": num(metrics.si_sdr(s, y)), "stoi": num(metrics.stoi(s, y)),
                                "estoi": num(metrics.estoi(s, y)), "seg_snr": num(metrics.seg_snr(s, y))}
        # The optional peers (rnnoise, dfn3) were made by peers.py itself, through the peers' venv.
        if name in peers.PEERS and name not in peers.OPTIONAL:
            res["peers"][name] = rerun_peer(d, name, s, y)
    n = read_wav(os.path.join(d, "noise.wav"))[1]
    res["snr_on_files"] = float(10 * np.log10(mix.speech_power(s) / np.mean(n ** 2)))
    if c.get("mix"):
        res["mix"] = replay(d, c["mix"])
    out[d] = res
json.dump(out, sys.stdout)
`;
