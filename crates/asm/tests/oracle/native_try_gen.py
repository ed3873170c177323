def g(x):
    try:
        return x + 1
    except ValueError:
        return 0
def gen(n):
    for i in range(n):
        yield i
