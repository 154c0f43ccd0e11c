"""Neural-network ops: sigmoid, softplus, softmax, relu, ..."""
