def fÃ():
    [*z, K]
