# The type-change viper error naming a local spelled with bytes that are not UTF-8.
@micropython.viper
def g():
    y√ = 1
    y√ = None
