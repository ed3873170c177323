# A viper type error naming a local spelled with bytes that are not UTF-8: the reference
# prints the name's bytes as they are.
@micropython.viper
def f(p0):
    print(z€)
    z€ = 1
