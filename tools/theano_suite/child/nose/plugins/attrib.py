def attr(*args, **kwargs):
    """nose's @attr('slow'): set attributes on the test; selection by attribute is not used."""
    def decorate(func):
        for name in args:
            setattr(func, name, True)
        for name, value in kwargs.items():
            setattr(func, name, value)
        return func
    return decorate
