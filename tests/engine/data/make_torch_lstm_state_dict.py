"""Write torch_lstm_state_dict.npz: a one-layer torch.nn.LSTM(4, 3) saved as its state dict.

Run from the repository root with PyTorch installed:
    python tests/engine/data/make_torch_lstm_state_dict.py
"""

from pathlib import Path

import numpy as np
import torch

torch.manual_seed(0)
lstm = torch.nn.LSTM(input_size=4, hidden_size=3)
np.savez(
    Path(__file__).with_name("torch_lstm_state_dict.npz"),
    **{k: v.numpy() for k, v in lstm.state_dict().items()},
)
