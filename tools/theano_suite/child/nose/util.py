import inspect


def isgenerator(func):
    return inspect.isgeneratorfunction(func)
