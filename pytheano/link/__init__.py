"""Linkers: turn a FunctionGraph into a schedule of thunks the VM runs."""
