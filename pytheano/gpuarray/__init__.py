"""``theano.gpuarray``: Theano 1.0's pygpu backend. pytheano's GPU support is pytheano.cuda
(``device=cuda``); this path only tells code that probes it that pygpu is not active."""
pygpu_activated = False
