# Several inline functions in one module, between bytecode ones: one assembler serves them all
# (its literal table is sized again for each function).
def before(x):
    return [i for i in x]


@micropython.asm_xtensa
def lits(a2):
    movi(a2, 0x10000)
    movi(a3, 0x20000)
    movi(a4, 0x30000)
    movi(a5, 0x40000)


class C:
    @micropython.asm_xtensa
    def method(a2, a3) -> uint:
        add(a2, a2, a3)

    def plain(self):
        return 1


@micropython.asm_xtensa
def one_lit(a2) -> bool:
    label(top)
    movi(a2, -0x12345)
    bnez(a2, top)


@micropython.asm_xtensa
def no_lit():
    ret_n()
