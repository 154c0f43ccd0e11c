"""The call path of a compiled function: check the arguments, run the VM, return the outputs.

This is what runs on every ``f(x, y)``, so it is Cython. An argument that already is an aligned
ndarray of the input's exact dtype and rank is stored as is, after two C-level checks; a Python
float or int, or a numpy scalar, for a 0-d input whose dtype holds it exactly becomes a 0-d
array here (what reductions return, fed back, must not cost ten times an array); anything else
goes through the type's ``filter`` (conversion, Theano's downcast rules and messages).
"""
import time

from cpython.float cimport PyFloat_AS_DOUBLE, PyFloat_Check
from cpython.long cimport PyLong_AsLongLong, PyLong_CheckExact
from cpython.ref cimport Py_REFCNT
cimport numpy as cnp
from pytheano._core.vm cimport VM

cnp.import_array()

cdef extern from *:
    """
    #define pt_is_numpy_scalar(o) PyArray_IsScalar(o, Generic)
    #define pt_scalar_to_0d(o) PyArray_FromScalar(o, NULL)
    """
    bint pt_is_numpy_scalar(object o)
    object pt_scalar_to_0d(object o)


cdef class InputSlot:
    """What the call path knows about one input of a compiled function.

    ``cell`` is the storage cell the VM reads (for a shared variable, its container's cell, so
    the function always sees the current value and updates write straight into it).
    """

    def __init__(self, list cell, type, variable, name=None, bint strict=False,
                 allow_downcast=None, bint required=True, bint implicit=False,
                 bint refeed=False, default=None):
        self.cell = cell
        self.type = type
        self.variable = variable
        self.name = name
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.required = required
        self.implicit = implicit
        self.refeed = refeed
        self.default = default
        # The fast path applies to plain numpy tensor types only.
        fast = getattr(type, "fast_filter_signature", None)
        if fast is not None:
            self.fast_type_num, self.fast_ndim, self.unit_dims = fast
        else:
            self.fast_type_num = -1
            self.fast_ndim = -1
            self.unit_dims = ()

    cdef object filter(self, object value):
        cdef cnp.ndarray arr
        if value is None:
            # Theano 1.0 stores None unfiltered: ops such as Default and eye(n, None) take it.
            # An op that cannot fails, and raise_with_op says which input was None.
            return None
        if self.fast_type_num >= 0 and cnp.PyArray_CheckExact(value):
            arr = <cnp.ndarray>value
            if (cnp.PyArray_TYPE(arr) == self.fast_type_num
                    and cnp.PyArray_NDIM(arr) == self.fast_ndim
                    and cnp.PyArray_ISALIGNED(arr)):
                if not self.unit_dims:
                    return value
                for d in self.unit_dims:
                    if cnp.PyArray_DIM(arr, d) != 1:
                        break
                else:
                    return value
        elif self.fast_ndim == 0 and not self.strict:
            arr = self.scalar_box
            if arr is not None and Py_REFCNT(arr) != 2:
                # Something besides this slot (and ``arr``) holds the last call's 0-d array:
                # an output, a view or a kept intermediate. Only an array nobody else holds
                # is written into again.
                arr = None
            arr = _exact_scalar_array(value, self.fast_type_num, arr)
            if arr is not None:
                self.scalar_box = arr
                return arr
        return self.type.filter(value, strict=self.strict, allow_downcast=self.allow_downcast)


cdef cnp.ndarray _exact_scalar_array(object value, int type_num, cnp.ndarray box):
    """A 0-d array of ``type_num`` holding ``value`` when that is exact (the conversions the
    type's filter accepts for any allow_downcast), else None (the filter decides). A Python
    float or int is written into ``box`` (a 0-d array of ``type_num`` nobody else holds)
    when one is given, else into a new array."""
    cdef cnp.ndarray arr
    cdef long long as_int
    if PyFloat_Check(value):  # np.float64 is a float too
        if type_num != cnp.NPY_DOUBLE:
            return None
        arr = box if box is not None else cnp.PyArray_SimpleNew(0, NULL, cnp.NPY_DOUBLE)
        (<double *>cnp.PyArray_DATA(arr))[0] = PyFloat_AS_DOUBLE(value)
        return arr
    if PyLong_CheckExact(value):
        if type_num != cnp.NPY_INT64 and type_num != cnp.NPY_DOUBLE:
            return None
        if not -(1 << 53) <= value <= (1 << 53):  # beyond: exactness (or overflow) is filter's
            return None
        as_int = PyLong_AsLongLong(value)
        arr = box if box is not None else cnp.PyArray_SimpleNew(0, NULL, type_num)
        if type_num == cnp.NPY_INT64:
            (<cnp.int64_t *>cnp.PyArray_DATA(arr))[0] = as_int
        else:
            (<double *>cnp.PyArray_DATA(arr))[0] = <double>as_int
        return arr
    if pt_is_numpy_scalar(value):
        if (<cnp.dtype>cnp.PyArray_DescrFromScalar(value)).type_num != type_num:
            return None
        return pt_scalar_to_0d(value)
    return None


cdef class FunctionCore:
    """Holds the input slots, the VM and the output cells of a compiled function.

    ``pytheano.compile.function_module.Function`` subclasses it with everything that is not
    on the per-call path (copy, pickling, named access to inputs, profiling reports) and the
    methods that build the call errors: ``bad_input_error(index, value)``,
    ``too_many_arguments(n)``, ``unknown_keyword(key)``.
    """

    def __init__(self, VM vm, list slots, list output_cells, Py_ssize_t n_outputs,
                 list update_targets, bint clear_outputs, bint unpack_single,
                 output_keys=None, name=None, profile=None):
        self.vm = vm
        self.slots = slots
        self.param_slots = [s for s in slots if not (<InputSlot>s).implicit]
        self.kw_index = {}
        for i, s in enumerate(self.param_slots):
            if (<InputSlot>s).name is not None:
                self.kw_index.setdefault((<InputSlot>s).name, i)
        self.output_cells = output_cells
        self.n_outputs = n_outputs
        self.update_targets = update_targets
        self.clear_outputs = clear_outputs
        self.unpack_single = unpack_single
        self.output_keys = output_keys
        self.trust_input = False
        self.name = name
        self.profile = profile

    cdef object _bad_input(self, Py_ssize_t index, object value):
        # The error path: the subclass (compile's Function) builds the message.
        return self.bad_input_error(index, value)

    def __call__(self, *args, **kwargs):
        cdef Py_ssize_t n = len(args)
        cdef Py_ssize_t i
        cdef InputSlot slot
        cdef list params = self.param_slots
        cdef double t0 = 0.0
        if self.profile is not None:
            t0 = time.perf_counter()
        if self.trust_input and not kwargs:
            for i in range(n):
                (<InputSlot>params[i]).cell[0] = args[i]
        elif kwargs or n != len(params):
            try:
                self._fill_general(args, kwargs)
            except Exception:
                self._reset_inputs()  # a refused call leaves the defaults as they were
                raise
        else:
            for i in range(n):
                slot = <InputSlot>params[i]
                try:
                    slot.cell[0] = slot.filter(args[i])
                except Exception:
                    raise self._bad_input(i, args[i])
        result = self._run()
        if self.profile is not None:
            self.profile.fct_callcount += 1
            self.profile.fct_call_time += time.perf_counter() - t0
        return result

    cdef object _fill_general(self, tuple args, dict kwargs):
        cdef list params = self.param_slots
        cdef Py_ssize_t n = len(args)
        cdef Py_ssize_t i
        cdef InputSlot slot
        if n > len(params):
            raise self.too_many_arguments(n)
        provided = [False] * len(params)
        for i in range(n):
            slot = <InputSlot>params[i]
            try:
                slot.cell[0] = slot.filter(args[i])
            except Exception:
                raise self._bad_input(i, args[i])
            provided[i] = True
        if kwargs:
            for key, value in kwargs.items():
                i = self.kw_index.get(key, -1)
                if i < 0:
                    raise self.unknown_keyword(key)
                if provided[i]:
                    # Theano 1.0's words first, then which input.
                    raise TypeError("Too many parameter passed to theano function. "
                                    "Multiple values for input: %s" % (key,))
                slot = <InputSlot>params[i]
                try:
                    slot.cell[0] = slot.filter(value)
                except Exception:
                    raise self._bad_input(i, value)
                provided[i] = True
        for i in range(len(params)):
            if provided[i]:
                continue
            slot = <InputSlot>params[i]
            if slot.required:
                raise TypeError("Missing required input: %s" % (slot.variable,))

    cdef object _reset_inputs(self):
        """After a call (run or refused): no argument kept (the caller owns them), every
        refed input back to its default."""
        cdef InputSlot slot
        for s in self.param_slots:
            slot = <InputSlot>s
            if slot.required:
                slot.cell[0] = None
            elif slot.refeed:
                slot.cell[0] = slot.default

    cdef object _run(self):
        cdef list cell
        cdef double t0 = 0.0
        if self.profile is not None:
            t0 = time.perf_counter()
        try:
            self.vm.run_all()
        except BaseException:
            self._reset_inputs()
            raise
        if self.profile is not None:
            self.profile.vm_call_time += time.perf_counter() - t0
        cdef object single
        if (self.unpack_single and self.n_outputs == 1 and not self.update_targets
                and self.output_keys is None and len(self.output_cells) == 1):
            # One output, no updates (f(x, y) = x + y): no list built on the way out.
            cell = <list>self.output_cells[0]
            single = cell[0]  # read before the reset: it may be an input's own cell
            self._reset_inputs()
            if self.clear_outputs:
                cell[0] = None
            return single
        # Read before the reset: a borrowed output may be an input's own cell.
        cdef list outputs = [(<list>cell)[0] for cell in self.output_cells]
        self._reset_inputs()
        if self.clear_outputs:
            for cell in self.output_cells:
                cell[0] = None
        if self.update_targets:
            # All updates were computed from the old values; now assign them together.
            for target, position in self.update_targets:
                (<list>target)[0] = outputs[<Py_ssize_t>position]
            del outputs[self.n_outputs:]
        if self.output_keys is not None:
            return dict(zip(self.output_keys, outputs))
        if self.unpack_single and len(outputs) == 1:
            return outputs[0]
        return outputs
