class TextWrapper(textwrap.TextWrapper):
    wordsep_re = re.compile(r'a long raw string')
def outer(text, width=MAXWIDTH, **kwargs):
    def m0(self, node):
        self.new_state(0)
    def m1(self, node):
        self.new_state(0)
    def m2(self, node):
        self.new_state(0)
    def m3(self, node):
        self.new_state(0)
    def m4(self, node):
        self.new_state(0)
    def m5(self, node):
        self.new_state(0)
    def m6(self, node):
        self.new_state(0)
    def m7(self, node):
        self.new_state(0)
    def m8(self, node):
        self.new_state(0)
    def m9(self, node):
        self.new_state(0)
    def m10(self, node):
        self.new_state(0)
    def m11(self, node):
        self.new_state(0)
    def m12(self, node):
        self.new_state(0)
    def m13(self, node):
        self.new_state(0)
    def m14(self, node):
        self.new_state(0)
    def m15(self, node):
        self.new_state(0)
    def m16(self, node):
        self.new_state(0)
    def m17(self, node):
        self.new_state(0)
    def m18(self, node):
        self.new_state(0)
    def m19(self, node):
        self.new_state(0)
    def m20(self, node):
        self.new_state(0)
    def m21(self, node):
        self.new_state(0)
    def m22(self, node):
        self.new_state(0)
    def m23(self, node):
        self.new_state(0)
    def m24(self, node):
        self.new_state(0)
    def m25(self, node):
        self.new_state(0)
    def m26(self, node):
        self.new_state(0)
    def m27(self, node):
        self.new_state(0)
    def m28(self, node):
        self.new_state(0)
    def m29(self, node):
        self.new_state(0)
    def m30(self, node):
        self.new_state(0)
    def m31(self, node):
        self.new_state(0)
    def m32(self, node):
        self.new_state(0)
    def m33(self, node):
        self.new_state(0)
    def m34(self, node):
        self.new_state(0)
    def m35(self, node):
        self.new_state(0)
    def m36(self, node):
        self.new_state(0)
    def m37(self, node):
        self.new_state(0)
    def m38(self, node):
        self.new_state(0)
    def m39(self, node):
        self.new_state(0)
    def m40(self, node):
        self.new_state(0)
    def m41(self, node):
        self.new_state(0)
    def m42(self, node):
        self.new_state(0)
    def m43(self, node):
        self.new_state(0)
    def m44(self, node):
        self.new_state(0)
    def m45(self, node):
        self.new_state(0)
    def m46(self, node):
        self.new_state(0)
    def m47(self, node):
        self.new_state(0)
    def m48(self, node):
        self.new_state(0)
    def m49(self, node):
        self.new_state(0)
    def m50(self, node):
        self.new_state(0)
    def m51(self, node):
        self.new_state(0)
    def m52(self, node):
        self.new_state(0)
    def m53(self, node):
        self.new_state(0)
    def m54(self, node):
        self.new_state(0)
    def m55(self, node):
        self.new_state(0)
    def m56(self, node):
        self.new_state(0)
    def m57(self, node):
        self.new_state(0)
    def m58(self, node):
        self.new_state(0)
    def m59(self, node):
        self.new_state(0)
    def m60(self, node):
        self.new_state(0)
    def m61(self, node):
        self.new_state(0)
    def m62(self, node):
        self.new_state(0)
    def m63(self, node):
        self.new_state(0)
    def m64(self, node):
        self.new_state(0)
    def m65(self, node):
        self.new_state(0)
    def m66(self, node):
        self.new_state(0)
    def m67(self, node):
        self.new_state(0)
    def m68(self, node):
        self.new_state(0)
    def m69(self, node):
        self.new_state(0)
    def m70(self, node):
        self.new_state(0)
    def m71(self, node):
        self.new_state(0)
    def m72(self, node):
        self.new_state(0)
    def m73(self, node):
        self.new_state(0)
    def m74(self, node):
        self.new_state(0)
    def m75(self, node):
        self.new_state(0)
    def m76(self, node):
        self.new_state(0)
    def m77(self, node):
        self.new_state(0)
    def m78(self, node):
        self.new_state(0)
    def m79(self, node):
        self.new_state(0)
    def m80(self, node):
        self.new_state(0)
    def m81(self, node):
        self.new_state(0)
    def m82(self, node):
        self.new_state(0)
    def m83(self, node):
        self.new_state(0)
    def m84(self, node):
        self.new_state(0)
    def m85(self, node):
        self.new_state(0)
    def m86(self, node):
        self.new_state(0)
    def m87(self, node):
        self.new_state(0)
    def m88(self, node):
        self.new_state(0)
    def m89(self, node):
        self.new_state(0)
    def m90(self, node):
        self.new_state(0)
    def m91(self, node):
        self.new_state(0)
    def m92(self, node):
        self.new_state(0)
    def m93(self, node):
        self.new_state(0)
    def m94(self, node):
        self.new_state(0)
    def m95(self, node):
        self.new_state(0)
    def m96(self, node):
        self.new_state(0)
    def m97(self, node):
        self.new_state(0)
    def m98(self, node):
        self.new_state(0)
    def m99(self, node):
        self.new_state(0)
    def m100(self, node):
        self.new_state(0)
    def m101(self, node):
        self.new_state(0)
    def m102(self, node):
        self.new_state(0)
    def m103(self, node):
        self.new_state(0)
    def m104(self, node):
        self.new_state(0)
    def m105(self, node):
        self.new_state(0)
    def m106(self, node):
        self.new_state(0)
    def m107(self, node):
        self.new_state(0)
    def m108(self, node):
        self.new_state(0)
    def m109(self, node):
        self.new_state(0)
    def m110(self, node):
        self.new_state(0)
    def m111(self, node):
        self.new_state(0)
    def m112(self, node):
        self.new_state(0)
    def m113(self, node):
        self.new_state(0)
    def m114(self, node):
        self.new_state(0)
    def m115(self, node):
        self.new_state(0)
    def m116(self, node):
        self.new_state(0)
    def m117(self, node):
        self.new_state(0)
    def m118(self, node):
        self.new_state(0)
    def m119(self, node):
        self.new_state(0)
    def m120(self, node):
        self.new_state(0)
    def m121(self, node):
        self.new_state(0)
    def m122(self, node):
        self.new_state(0)
    def m123(self, node):
        self.new_state(0)
    def m124(self, node):
        self.new_state(0)
    def m125(self, node):
        self.new_state(0)
    def m126(self, node):
        self.new_state(0)
