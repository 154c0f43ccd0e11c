"""profile_optimizer=True (with profile=True): time and applications per rewriter, collected
by the Cython driver and printed in the profile summary as Theano's 'Optimizer Profile'."""
import io

import numpy as np

import pytheano as theano
import pytheano.tensor as T


def test_profile_optimizer_and_profile_report_each_rewriter_with_its_time():
    x = T.dvector("x")
    y = T.log(1 + T.exp(x) * 1) + T.exp(x)
    with theano.config.change_flags(profile_optimizer=True):
        f = theano.function([x], y, profile=True)
    f(np.ones(2))
    counts = f.maker.optimizer_profile[1]
    # merge1: exp(x) written twice; local_mul_by_one: "* 1"
    assert counts["merge1"][1] >= 1 and counts["local_mul_by_one"] == [
        counts["local_mul_by_one"][0], 1]
    assert counts["local_mul_by_one"][0] > 0
    assert counts["local_neg_neg"][1] == 0 and counts["local_neg_neg"][0] > 0  # tried only
    text = io.StringIO()
    f.profile.summary(file=text)
    report = text.getvalue()
    assert "Optimizer Profile" in report
    row = [line for line in report.splitlines() if line.endswith(" local_mul_by_one")][0]
    assert row.split()[1:3] == ["1", "canonicalize"]


def test_without_profile_optimizer_nothing_is_collected():
    x = T.dvector("x")
    f = theano.function([x], T.exp(x) * 1, profile=True)
    assert f.maker.optimizer_profile is None
    text = io.StringIO()
    f.profile.summary(file=text)
    assert "Optimizer Profile" not in text.getvalue()
