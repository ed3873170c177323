# Every instruction form of the inline Xtensa assembler, in each operand shape.
@micropython.asm_xtensa
def ops(a2, a3, a4, a5) -> uint:
    ret_n()
    callx0(a0)
    jx(a15)
    mov(a2, a3)
    mov_n(a10, a11)
    movi(a4, 0)
    movi(a4, 2047)
    movi(a4, -2048)
    movi(a5, 2048)
    movi(a6, 0x12345678)
    movi(a7, -1)
    movi(a8, 1 << 40)
    and_(a2, a3, a4)
    or_(a5, a6, a7)
    xor(a8, a9, a10)
    add(a11, a12, a13)
    sub(a14, a15, a0)
    mull(a1, a2, a3)
    l8ui(a2, a3, 255)
    l16ui(a2, a3, 510)
    l16ui(a2, a3, 3)
    l32i(a2, a3, 1020)
    s8i(a4, a5, 0)
    s16i(a4, a5, 2)
    s32i(a4, a5, 4)
    l16si(a6, a7, 100)
    addi(a2, a2, -128)
    addi(a2, a2, 127)


@micropython.asm_xtensa
def flow(a2) -> bool:
    label(top)
    beqz(a2, top)
    bnez(a3, end)
    ball(a2, a3, top)
    bany(a4, a5, end)
    bbc(a6, a7, top)
    bbs(a8, a9, end)
    beq(a10, a11, top)
    bge(a12, a13, end)
    bgeu(a14, a15, top)
    blt(a0, a1, end)
    bnall(a2, a3, top)
    bne(a4, a5, end)
    bnone(a6, a7, top)
    j(top)
    j(end)
    data(1, 1)
    align(4)
    data(4, 0x11223344)
    label(end)


@micropython.asm_xtensa
def literals(a2) -> object:
    movi(a2, 0x11111)
    movi(a3, 0x22222)
    movi(a4, 0x33333)


@micropython.asm_xtensa
def empty():
    pass
