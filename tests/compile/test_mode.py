"""Modes (pytheano/compile/mode.py): a rewriter query and a linker, Theano's names."""
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.compile import mode as M
from pytheano.compile.debugmode import DebugMode
from pytheano.graph.rewriting import Query
from pytheano.link.linkers import PerformLinker, VMLinker


def test_theano_names_exist():
    assert isinstance(pytheano.compile.mode.FAST_RUN, M.Mode)
    assert isinstance(pytheano.compile.mode.FAST_COMPILE, M.Mode)
    assert pytheano.compile.DebugMode is DebugMode
    assert sorted(M.predefined_linkers) == ["c", "cvm", "cvm_nogc", "c|py", "c|py_nogc",
                                            "py", "vm", "vm_nogc"]
    for name in (None, "None", "merge", "o1", "o2", "o3", "o4", "unsafe", "fast_compile",
                 "fast_run", "fast_run_stable", "stabilize"):
        assert isinstance(M.predefined_optimizers[name], Query)
    assert isinstance(M.get_mode("DebugMode"), DebugMode)
    assert isinstance(M.get_mode("DEBUG_MODE"), DebugMode)
    assert type(M.get_mode("NanGuardMode")).__name__ == "NanGuardMode"
    assert M.get_mode("FAST_RUN") is M.FAST_RUN


def test_mode_holds_a_query_and_a_linker():
    m = M.Mode(linker="py", optimizer="fast_compile")
    assert isinstance(m.linker, PerformLinker)
    assert m.optimizer == M.OPT_FAST_COMPILE
    assert (m.provided_linker, m.provided_optimizer) == ("py", "fast_compile")
    assert isinstance(M.Mode("cvm_nogc").linker, VMLinker)
    assert M.Mode("cvm_nogc").linker.allow_gc is False
    # Theano 1.0 prints the query.
    assert str(M.Mode("py", None)) == (
        "Mode(linker = py, optimizer = Query{inc=OrderedSet(),ex=OrderedSet(),"
        "require=OrderedSet(),subquery={},position_cutoff=inf,extra_opts=[]})")


def test_including_excluding_requiring_return_new_modes():
    m = M.FAST_RUN
    inc = m.including("fusion", "inplace")
    assert inc is not m and inc.optimizer.include == ("fast_run", "fusion", "inplace")
    assert m.optimizer.include == ("fast_run",)
    exc = inc.excluding("inplace")
    assert exc.optimizer.include == ("fast_run", "fusion")
    assert exc.optimizer.exclude == ("inplace",)
    req = m.requiring("stable")
    assert req.optimizer.require == ("stable",)
    assert req.linker is m.linker
    # A subclass keeps its own settings.
    ng = M.get_mode("NanGuardMode").excluding("inplace")
    assert type(ng).__name__ == "NanGuardMode" and ng.nan_is_error is not None


def test_bad_names():
    with pytest.raises(KeyError, match="Unknown linker 'foo'"):
        M.Mode(linker="foo")
    with pytest.raises(ValueError, match="Unknown optimizer 'bar'"):
        M.Mode(optimizer="bar")
    with pytest.raises(ValueError, match="No predefined mode exist for string: NoSuchMode"):
        M.get_mode("NoSuchMode")
    with pytest.raises(ValueError, match="ProfileMode was removed.*profile=True"):
        M.get_mode("ProfileMode")


def test_config_mode_optimizer_and_linker_are_honoured():
    old = (pytheano.config.mode, pytheano.config.linker, pytheano.config.optimizer,
           pytheano.config.optimizer_excluding)
    try:
        pytheano.config.linker = "py"
        pytheano.config.optimizer = "fast_compile"
        pytheano.config.mode = "Mode"
        m = M.get_default_mode()
        assert isinstance(m.linker, PerformLinker) and m.optimizer == M.OPT_FAST_COMPILE
        pytheano.config.mode = "FAST_RUN"
        pytheano.config.optimizer_excluding = "inplace:fusion"
        m = M.get_default_mode()
        assert m.optimizer.exclude == ("inplace", "fusion")
        # An explicit mode is not changed by the optimizer_* flags.
        assert pytheano.function([], T.constant(1.0), mode="FAST_RUN").maker.mode is M.FAST_RUN
    finally:
        (pytheano.config.mode, pytheano.config.linker, pytheano.config.optimizer,
         pytheano.config.optimizer_excluding) = old


@pytest.mark.parametrize("mode", ["FAST_RUN", "FAST_COMPILE", "DebugMode", "NanGuardMode",
                                  "Mode", M.Mode("py", None), M.Mode("c", "o1")])
def test_every_mode_compiles_and_runs(mode):
    x = T.dvector("x")
    f = pytheano.function([x], T.exp(x).sum(), mode=mode)
    assert f([0.0, 0.0]) == 2.0


def test_underscore_optimizer_is_the_query_as_in_theano():
    mode = pytheano.compile.mode.get_mode("FAST_RUN").clone()
    mode._optimizer = pytheano.gof.Query(["canonicalize"])
    mode._optimizer = mode._optimizer.excluding("local_elemwise_fusion")
    assert mode.optimizer is mode._optimizer
    assert "local_elemwise_fusion" in mode.optimizer.exclude
    x = T.dvector("x")
    f = pytheano.function([x], T.exp(x) + 1, mode=mode)
    assert f([0.0]).tolist() == [2.0]
