"""Theano 1.0's ``theano.tests`` path: the helpers Theano's own test files import
(``from theano.tests import unittest_tools as utt``). pytheano's tests live in ``tests/``."""
