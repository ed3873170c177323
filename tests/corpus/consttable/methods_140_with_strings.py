def outer(x='a long default string'):
    def f0(self, a='default string 0', *b, **c):
        return lambda: (a, self, 'another long string 0')
    def f1(self, a='default string 1', *b, **c):
        return lambda: (a, self, 'another long string 1')
    def f2(self, a='default string 2', *b, **c):
        return lambda: (a, self, 'another long string 2')
    def f3(self, a='default string 3', *b, **c):
        return lambda: (a, self, 'another long string 3')
    def f4(self, a='default string 4', *b, **c):
        return lambda: (a, self, 'another long string 4')
    def f5(self, a='default string 5', *b, **c):
        return lambda: (a, self, 'another long string 5')
    def f6(self, a='default string 6', *b, **c):
        return lambda: (a, self, 'another long string 6')
    def f7(self, a='default string 7', *b, **c):
        return lambda: (a, self, 'another long string 7')
    def f8(self, a='default string 8', *b, **c):
        return lambda: (a, self, 'another long string 8')
    def f9(self, a='default string 9', *b, **c):
        return lambda: (a, self, 'another long string 9')
    def f10(self, a='default string 10', *b, **c):
        return lambda: (a, self, 'another long string 10')
    def f11(self, a='default string 11', *b, **c):
        return lambda: (a, self, 'another long string 11')
    def f12(self, a='default string 12', *b, **c):
        return lambda: (a, self, 'another long string 12')
    def f13(self, a='default string 13', *b, **c):
        return lambda: (a, self, 'another long string 13')
    def f14(self, a='default string 14', *b, **c):
        return lambda: (a, self, 'another long string 14')
    def f15(self, a='default string 15', *b, **c):
        return lambda: (a, self, 'another long string 15')
    def f16(self, a='default string 16', *b, **c):
        return lambda: (a, self, 'another long string 16')
    def f17(self, a='default string 17', *b, **c):
        return lambda: (a, self, 'another long string 17')
    def f18(self, a='default string 18', *b, **c):
        return lambda: (a, self, 'another long string 18')
    def f19(self, a='default string 19', *b, **c):
        return lambda: (a, self, 'another long string 19')
    def f20(self, a='default string 20', *b, **c):
        return lambda: (a, self, 'another long string 20')
    def f21(self, a='default string 21', *b, **c):
        return lambda: (a, self, 'another long string 21')
    def f22(self, a='default string 22', *b, **c):
        return lambda: (a, self, 'another long string 22')
    def f23(self, a='default string 23', *b, **c):
        return lambda: (a, self, 'another long string 23')
    def f24(self, a='default string 24', *b, **c):
        return lambda: (a, self, 'another long string 24')
    def f25(self, a='default string 25', *b, **c):
        return lambda: (a, self, 'another long string 25')
    def f26(self, a='default string 26', *b, **c):
        return lambda: (a, self, 'another long string 26')
    def f27(self, a='default string 27', *b, **c):
        return lambda: (a, self, 'another long string 27')
    def f28(self, a='default string 28', *b, **c):
        return lambda: (a, self, 'another long string 28')
    def f29(self, a='default string 29', *b, **c):
        return lambda: (a, self, 'another long string 29')
    def f30(self, a='default string 30', *b, **c):
        return lambda: (a, self, 'another long string 30')
    def f31(self, a='default string 31', *b, **c):
        return lambda: (a, self, 'another long string 31')
    def f32(self, a='default string 32', *b, **c):
        return lambda: (a, self, 'another long string 32')
    def f33(self, a='default string 33', *b, **c):
        return lambda: (a, self, 'another long string 33')
    def f34(self, a='default string 34', *b, **c):
        return lambda: (a, self, 'another long string 34')
    def f35(self, a='default string 35', *b, **c):
        return lambda: (a, self, 'another long string 35')
    def f36(self, a='default string 36', *b, **c):
        return lambda: (a, self, 'another long string 36')
    def f37(self, a='default string 37', *b, **c):
        return lambda: (a, self, 'another long string 37')
    def f38(self, a='default string 38', *b, **c):
        return lambda: (a, self, 'another long string 38')
    def f39(self, a='default string 39', *b, **c):
        return lambda: (a, self, 'another long string 39')
    def f40(self, a='default string 40', *b, **c):
        return lambda: (a, self, 'another long string 40')
    def f41(self, a='default string 41', *b, **c):
        return lambda: (a, self, 'another long string 41')
    def f42(self, a='default string 42', *b, **c):
        return lambda: (a, self, 'another long string 42')
    def f43(self, a='default string 43', *b, **c):
        return lambda: (a, self, 'another long string 43')
    def f44(self, a='default string 44', *b, **c):
        return lambda: (a, self, 'another long string 44')
    def f45(self, a='default string 45', *b, **c):
        return lambda: (a, self, 'another long string 45')
    def f46(self, a='default string 46', *b, **c):
        return lambda: (a, self, 'another long string 46')
    def f47(self, a='default string 47', *b, **c):
        return lambda: (a, self, 'another long string 47')
    def f48(self, a='default string 48', *b, **c):
        return lambda: (a, self, 'another long string 48')
    def f49(self, a='default string 49', *b, **c):
        return lambda: (a, self, 'another long string 49')
    def f50(self, a='default string 50', *b, **c):
        return lambda: (a, self, 'another long string 50')
    def f51(self, a='default string 51', *b, **c):
        return lambda: (a, self, 'another long string 51')
    def f52(self, a='default string 52', *b, **c):
        return lambda: (a, self, 'another long string 52')
    def f53(self, a='default string 53', *b, **c):
        return lambda: (a, self, 'another long string 53')
    def f54(self, a='default string 54', *b, **c):
        return lambda: (a, self, 'another long string 54')
    def f55(self, a='default string 55', *b, **c):
        return lambda: (a, self, 'another long string 55')
    def f56(self, a='default string 56', *b, **c):
        return lambda: (a, self, 'another long string 56')
    def f57(self, a='default string 57', *b, **c):
        return lambda: (a, self, 'another long string 57')
    def f58(self, a='default string 58', *b, **c):
        return lambda: (a, self, 'another long string 58')
    def f59(self, a='default string 59', *b, **c):
        return lambda: (a, self, 'another long string 59')
    def f60(self, a='default string 60', *b, **c):
        return lambda: (a, self, 'another long string 60')
    def f61(self, a='default string 61', *b, **c):
        return lambda: (a, self, 'another long string 61')
    def f62(self, a='default string 62', *b, **c):
        return lambda: (a, self, 'another long string 62')
    def f63(self, a='default string 63', *b, **c):
        return lambda: (a, self, 'another long string 63')
    def f64(self, a='default string 64', *b, **c):
        return lambda: (a, self, 'another long string 64')
    def f65(self, a='default string 65', *b, **c):
        return lambda: (a, self, 'another long string 65')
    def f66(self, a='default string 66', *b, **c):
        return lambda: (a, self, 'another long string 66')
    def f67(self, a='default string 67', *b, **c):
        return lambda: (a, self, 'another long string 67')
    def f68(self, a='default string 68', *b, **c):
        return lambda: (a, self, 'another long string 68')
    def f69(self, a='default string 69', *b, **c):
        return lambda: (a, self, 'another long string 69')
    def f70(self, a='default string 70', *b, **c):
        return lambda: (a, self, 'another long string 70')
    def f71(self, a='default string 71', *b, **c):
        return lambda: (a, self, 'another long string 71')
    def f72(self, a='default string 72', *b, **c):
        return lambda: (a, self, 'another long string 72')
    def f73(self, a='default string 73', *b, **c):
        return lambda: (a, self, 'another long string 73')
    def f74(self, a='default string 74', *b, **c):
        return lambda: (a, self, 'another long string 74')
    def f75(self, a='default string 75', *b, **c):
        return lambda: (a, self, 'another long string 75')
    def f76(self, a='default string 76', *b, **c):
        return lambda: (a, self, 'another long string 76')
    def f77(self, a='default string 77', *b, **c):
        return lambda: (a, self, 'another long string 77')
    def f78(self, a='default string 78', *b, **c):
        return lambda: (a, self, 'another long string 78')
    def f79(self, a='default string 79', *b, **c):
        return lambda: (a, self, 'another long string 79')
    def f80(self, a='default string 80', *b, **c):
        return lambda: (a, self, 'another long string 80')
    def f81(self, a='default string 81', *b, **c):
        return lambda: (a, self, 'another long string 81')
    def f82(self, a='default string 82', *b, **c):
        return lambda: (a, self, 'another long string 82')
    def f83(self, a='default string 83', *b, **c):
        return lambda: (a, self, 'another long string 83')
    def f84(self, a='default string 84', *b, **c):
        return lambda: (a, self, 'another long string 84')
    def f85(self, a='default string 85', *b, **c):
        return lambda: (a, self, 'another long string 85')
    def f86(self, a='default string 86', *b, **c):
        return lambda: (a, self, 'another long string 86')
    def f87(self, a='default string 87', *b, **c):
        return lambda: (a, self, 'another long string 87')
    def f88(self, a='default string 88', *b, **c):
        return lambda: (a, self, 'another long string 88')
    def f89(self, a='default string 89', *b, **c):
        return lambda: (a, self, 'another long string 89')
    def f90(self, a='default string 90', *b, **c):
        return lambda: (a, self, 'another long string 90')
    def f91(self, a='default string 91', *b, **c):
        return lambda: (a, self, 'another long string 91')
    def f92(self, a='default string 92', *b, **c):
        return lambda: (a, self, 'another long string 92')
    def f93(self, a='default string 93', *b, **c):
        return lambda: (a, self, 'another long string 93')
    def f94(self, a='default string 94', *b, **c):
        return lambda: (a, self, 'another long string 94')
    def f95(self, a='default string 95', *b, **c):
        return lambda: (a, self, 'another long string 95')
    def f96(self, a='default string 96', *b, **c):
        return lambda: (a, self, 'another long string 96')
    def f97(self, a='default string 97', *b, **c):
        return lambda: (a, self, 'another long string 97')
    def f98(self, a='default string 98', *b, **c):
        return lambda: (a, self, 'another long string 98')
    def f99(self, a='default string 99', *b, **c):
        return lambda: (a, self, 'another long string 99')
    def f100(self, a='default string 100', *b, **c):
        return lambda: (a, self, 'another long string 100')
    def f101(self, a='default string 101', *b, **c):
        return lambda: (a, self, 'another long string 101')
    def f102(self, a='default string 102', *b, **c):
        return lambda: (a, self, 'another long string 102')
    def f103(self, a='default string 103', *b, **c):
        return lambda: (a, self, 'another long string 103')
    def f104(self, a='default string 104', *b, **c):
        return lambda: (a, self, 'another long string 104')
    def f105(self, a='default string 105', *b, **c):
        return lambda: (a, self, 'another long string 105')
    def f106(self, a='default string 106', *b, **c):
        return lambda: (a, self, 'another long string 106')
    def f107(self, a='default string 107', *b, **c):
        return lambda: (a, self, 'another long string 107')
    def f108(self, a='default string 108', *b, **c):
        return lambda: (a, self, 'another long string 108')
    def f109(self, a='default string 109', *b, **c):
        return lambda: (a, self, 'another long string 109')
    def f110(self, a='default string 110', *b, **c):
        return lambda: (a, self, 'another long string 110')
    def f111(self, a='default string 111', *b, **c):
        return lambda: (a, self, 'another long string 111')
    def f112(self, a='default string 112', *b, **c):
        return lambda: (a, self, 'another long string 112')
    def f113(self, a='default string 113', *b, **c):
        return lambda: (a, self, 'another long string 113')
    def f114(self, a='default string 114', *b, **c):
        return lambda: (a, self, 'another long string 114')
    def f115(self, a='default string 115', *b, **c):
        return lambda: (a, self, 'another long string 115')
    def f116(self, a='default string 116', *b, **c):
        return lambda: (a, self, 'another long string 116')
    def f117(self, a='default string 117', *b, **c):
        return lambda: (a, self, 'another long string 117')
    def f118(self, a='default string 118', *b, **c):
        return lambda: (a, self, 'another long string 118')
    def f119(self, a='default string 119', *b, **c):
        return lambda: (a, self, 'another long string 119')
    def f120(self, a='default string 120', *b, **c):
        return lambda: (a, self, 'another long string 120')
    def f121(self, a='default string 121', *b, **c):
        return lambda: (a, self, 'another long string 121')
    def f122(self, a='default string 122', *b, **c):
        return lambda: (a, self, 'another long string 122')
    def f123(self, a='default string 123', *b, **c):
        return lambda: (a, self, 'another long string 123')
    def f124(self, a='default string 124', *b, **c):
        return lambda: (a, self, 'another long string 124')
    def f125(self, a='default string 125', *b, **c):
        return lambda: (a, self, 'another long string 125')
    def f126(self, a='default string 126', *b, **c):
        return lambda: (a, self, 'another long string 126')
    def f127(self, a='default string 127', *b, **c):
        return lambda: (a, self, 'another long string 127')
    def f128(self, a='default string 128', *b, **c):
        return lambda: (a, self, 'another long string 128')
    def f129(self, a='default string 129', *b, **c):
        return lambda: (a, self, 'another long string 129')
    def f130(self, a='default string 130', *b, **c):
        return lambda: (a, self, 'another long string 130')
    def f131(self, a='default string 131', *b, **c):
        return lambda: (a, self, 'another long string 131')
    def f132(self, a='default string 132', *b, **c):
        return lambda: (a, self, 'another long string 132')
    def f133(self, a='default string 133', *b, **c):
        return lambda: (a, self, 'another long string 133')
    def f134(self, a='default string 134', *b, **c):
        return lambda: (a, self, 'another long string 134')
    def f135(self, a='default string 135', *b, **c):
        return lambda: (a, self, 'another long string 135')
    def f136(self, a='default string 136', *b, **c):
        return lambda: (a, self, 'another long string 136')
    def f137(self, a='default string 137', *b, **c):
        return lambda: (a, self, 'another long string 137')
    def f138(self, a='default string 138', *b, **c):
        return lambda: (a, self, 'another long string 138')
    def f139(self, a='default string 139', *b, **c):
        return lambda: (a, self, 'another long string 139')
    return f0
