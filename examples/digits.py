"""The 8x8 handwritten digits bundled with scikit-learn, split and scaled for the examples."""


def load_digits_split(rng, test_fraction=0.2, floatX="float64"):
    """Return ((train_x, train_y), (test_x, test_y)): pixels scaled to [0, 1], int32 labels.

    The split is a shuffle by ``rng`` (a numpy RandomState), so it is the same on every run.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise SystemExit("This example needs scikit-learn for its bundled digits data set: "
                         "pip install scikit-learn (or pip install '.[examples]')") from None
    digits = load_digits()
    x = (digits.data / 16.0).astype(floatX)
    y = digits.target.astype("int32")
    order = rng.permutation(len(x))
    n_test = int(round(len(x) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return (x[train], y[train]), (x[test], y[test])
