# Several inline functions in one module, between bytecode ones, and in a class.
import micropython


def before(x):
    for i in x:
        if i:
            break
    return x


@micropython.asm_thumb
def first(r0, r1):
    label(loop)
    add(r0, r0, r1)
    sub(r1, 1)
    bgt(loop)


class C:
    @micropython.asm_thumb
    def method(r0) -> object:
        mov(r0, r0)

    @staticmethod
    @micropython.asm_thumb
    def static(r0, r1, r2, r3) -> uint:
        add(r0, r0, r3)


@micropython.asm_thumb
def second():
    label(loop)
    b(loop)
