"""examples/char_rnn.py trains: its loss falls over a few epochs."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_char_rnn_loss_falls():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "char_rnn.py"),
                           "--epochs", "4", "--hidden", "16", "--seq-len", "20", "--lr", "0.2"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr
    losses = [float(v) for v in re.findall(r"loss (\d+\.\d+)", proc.stdout)]
    assert len(losses) == 4 and losses[-1] < losses[0], proc.stdout
    assert "sample: B" in proc.stdout
