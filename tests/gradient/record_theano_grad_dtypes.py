"""Record the dtypes of Theano 1.0.5's gradients over a table of expressions.

Run with the Theano peer (Python 3.7), from the repository root:

    THEANO_FLAGS='cxx=,device=cpu' ~/peers/theano/bin/python \
        tests/gradient/record_theano_grad_dtypes.py

It writes theano_grad_dtypes.json beside itself; test_grad_dtypes.py builds the same table with
pytheano and compares (CI has no Theano). The table is code, evaluated with ``T`` the tensor
module of either library: keep it to the API both share.
"""
import itertools
import json
import os

FLOATS = ["float32", "float64"]
INTS = ["int8", "int32", "int64"]
DTYPES = FLOATS + INTS

# (name, code): the code sees T, x and y (vectors of dtypes dx and dy), X and Y (matrices of
# dtypes dx and dy); it sets ``cost``; the gradient is taken wrt [x, y, X, Y] with
# disconnected_inputs='ignore' (the disconnected ones give _float_zeros_like).
BINARY = [
    ("mul", "cost = (x * y).sum()"),
    ("add", "cost = (x + y).sum()"),
    ("sub", "cost = (x - y).sum()"),
    ("truediv", "cost = (x / y).sum()"),
    ("pow", "cost = (x ** y).sum()"),
    ("maximum", "cost = T.maximum(x, y).sum()"),
    ("switch", "cost = T.switch(x > 0, x, y).sum()"),
    ("exp_mul", "cost = (T.exp(x) * y).sum()"),
    ("dot_mv", "cost = T.dot(X, y).sum()"),
    ("dot_mm", "cost = T.dot(X, Y).sum()"),
    ("cast_x_to_dy", "cost = T.cast(x, y.dtype).sum() + 0 * y.sum()"),
    ("cast_x_to_dy_mul", "cost = (T.cast(x, y.dtype) * y).sum()"),
    ("concat", "cost = T.concatenate([x, y]).sum()"),
    ("stack", "cost = T.stack([x, y]).sum()"),
    ("set_subtensor", "cost = T.set_subtensor(x[:2], y[:2]).sum()"),
    ("inc_subtensor", "cost = T.inc_subtensor(x[:2], y[:2]).sum()"),
    ("adv_index", "cost = (x[[0, 1]] * y[[1, 0]]).sum()"),
    ("outer", "cost = T.outer(x, y).sum()"),
    ("mean_mul", "cost = (x * y).mean()"),
    ("prod_mul", "cost = (x * y).prod()"),
    ("dimshuffle", "cost = (X * y.dimshuffle('x', 0)).sum()"),
]
UNARY = [
    ("sum", "cost = x.sum()"),
    ("mean", "cost = x.mean()"),
    ("max", "cost = x.max()"),
    ("prod", "cost = x.prod()"),
    ("sqr_sum", "cost = (x ** 2).sum()"),
    ("sqrt", "cost = T.sqrt(x).sum()"),
    ("neg_abs", "cost = (-abs(x)).sum()"),
    ("mul_int_literal", "cost = (x * 2).sum()"),
    ("mul_float_literal", "cost = (x * 0.5).sum()"),
    ("div_shape", "cost = (X / X.shape[1]).sum()"),
    ("mul_shape", "cost = (x * x.shape[0]).sum()"),
    ("div_size", "cost = x.sum() / x.size"),
    ("sub_slice", "cost = x[1:].sum()"),
    ("sub_index", "cost = x[0]"),
    ("sub_neg_step", "cost = (x[::-1] * x).sum()"),
    ("matrix_row", "cost = X[0].sum() + X[:, 1].sum()"),
    ("reshape", "cost = X.reshape((X.shape[0] * X.shape[1],)).sum()"),
    ("flatten_dot", "cost = T.dot(X.flatten(), X.flatten())"),
    ("transpose_dot", "cost = T.dot(X.T, X).sum()"),
    ("cast_f32", "cost = T.cast(x, 'float32').sum()"),
    ("cast_f64", "cost = T.cast(x, 'float64').sum()"),
    ("cast_i32", "cost = T.cast(x, 'int32').sum()"),
    ("astype_f32_mul", "cost = (x.astype('float32') * 3).sum()"),
    ("sum_dtype_f64", "cost = x.sum(dtype='float64')"),
    ("sum_acc_f64", "cost = x.sum(acc_dtype='float64')"),
    ("sigmoid", "cost = T.nnet.sigmoid(x).sum()"),
    ("softmax", "cost = T.nnet.softmax(X)[0, 0]"),
    ("tanh_dot", "cost = T.tanh(T.dot(X, x)).sum()"),
    ("sort", "cost = T.sort(x)[0]"),
    ("cumsum", "cost = T.cumsum(x)[-1]"),
    ("argmax_disconnected", "cost = T.argmax(x) + x.sum()"),
    ("floor", "cost = T.floor(x).sum()"),
    ("int_cost", "cost = T.cast(x, 'int32').sum() * 2"),
    ("eq_cost", "cost = T.eq(x, 0).sum()"),
    ("clip", "cost = T.clip(x, 0, 1).sum()"),
]


def cases():
    """(case id, dx, dy, code) for every expression and dtype pair."""
    for (name, code), dx, dy in itertools.product(BINARY, DTYPES, DTYPES):
        yield "%s/%s/%s" % (name, dx, dy), dx, dy, code
    for (name, code), dx in itertools.product(UNARY, DTYPES):
        yield "%s/%s" % (name, dx), dx, "float64", code


def grad_dtypes(theano, dx, dy, code):
    """The dtype of each gradient wrt [x, y, X, Y], or the class of what was raised."""
    T = theano.tensor
    x, y = T.vector("x", dtype=dx), T.vector("y", dtype=dy)
    X, Y = T.matrix("X", dtype=dx), T.matrix("Y", dtype=dy)
    env = {"T": T, "x": x, "y": y, "X": X, "Y": Y}
    try:
        exec(code, env)
    except Exception as e:  # noqa: BLE001 - the class is what we record
        return {"build_raises": type(e).__name__}
    try:
        grads = theano.grad(env["cost"], [x, y, X, Y], disconnected_inputs="ignore")
    except Exception as e:  # noqa: BLE001
        return {"raises": type(e).__name__}
    return {"cost": env["cost"].dtype, "grads": [g.dtype for g in grads]}


def record(theano):
    out = {}
    for floatx in ("float64", "float32"):
        theano.config.floatX = floatx
        for case, dx, dy, code in cases():
            out["%s/floatX=%s" % (case, floatx)] = grad_dtypes(theano, dx, dy, code)
    theano.config.floatX = "float64"
    return out


if __name__ == "__main__":
    import warnings

    import theano

    warnings.simplefilter("ignore")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theano_grad_dtypes.json")
    with open(path, "w") as f:
        json.dump(record(theano), f, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote", path)
