import os
import sys

import numpy as np
import pytest
from hypothesis import settings

# Both `from tests.helpers import ...` and `from helpers import ...` work.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Bounded, reproducible hypothesis runs: CI has 2 cores and a time budget.
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _restore_config():
    """Tests may change config (floatX, ...); put it back afterwards."""
    import pytheano

    saved = {name: getattr(pytheano.config, name) for name in
             ("floatX", "compute_test_value", "exception_verbosity", "on_unused_input",
              "profile", "cast_policy")}
    state = np.random.get_state()
    yield
    for name, value in saved.items():
        setattr(pytheano.config, name, value)
    np.random.set_state(state)
