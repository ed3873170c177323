class K:
    def m0(self, node):
        self.add_text('-- 0 --')
        self.stateindent.append(node)
    def m1(self, node):
        self.add_text('-- 1 --')
        self.stateindent.append(node)
    def m2(self, node):
        self.add_text('-- 2 --')
        self.stateindent.append(node)
    def m3(self, node):
        self.add_text('-- 3 --')
        self.stateindent.append(node)
    def m4(self, node):
        self.add_text('-- 4 --')
        self.stateindent.append(node)
    def m5(self, node):
        self.add_text('-- 5 --')
        self.stateindent.append(node)
    def m6(self, node):
        self.add_text('-- 6 --')
        self.stateindent.append(node)
    def m7(self, node):
        self.add_text('-- 7 --')
        self.stateindent.append(node)
    def m8(self, node):
        self.add_text('-- 8 --')
        self.stateindent.append(node)
    def m9(self, node):
        self.add_text('-- 9 --')
        self.stateindent.append(node)
    def m10(self, node):
        self.add_text('-- 10 --')
        self.stateindent.append(node)
    def m11(self, node):
        self.add_text('-- 11 --')
        self.stateindent.append(node)
    def m12(self, node):
        self.add_text('-- 12 --')
        self.stateindent.append(node)
    def m13(self, node):
        self.add_text('-- 13 --')
        self.stateindent.append(node)
    def m14(self, node):
        self.add_text('-- 14 --')
        self.stateindent.append(node)
    def m15(self, node):
        self.add_text('-- 15 --')
        self.stateindent.append(node)
    def m16(self, node):
        self.add_text('-- 16 --')
        self.stateindent.append(node)
    def m17(self, node):
        self.add_text('-- 17 --')
        self.stateindent.append(node)
    def m18(self, node):
        self.add_text('-- 18 --')
        self.stateindent.append(node)
    def m19(self, node):
        self.add_text('-- 19 --')
        self.stateindent.append(node)
    def m20(self, node):
        self.add_text('-- 20 --')
        self.stateindent.append(node)
    def m21(self, node):
        self.add_text('-- 21 --')
        self.stateindent.append(node)
    def m22(self, node):
        self.add_text('-- 22 --')
        self.stateindent.append(node)
    def m23(self, node):
        self.add_text('-- 23 --')
        self.stateindent.append(node)
    def m24(self, node):
        self.add_text('-- 24 --')
        self.stateindent.append(node)
    def m25(self, node):
        self.add_text('-- 25 --')
        self.stateindent.append(node)
    def m26(self, node):
        self.add_text('-- 26 --')
        self.stateindent.append(node)
    def m27(self, node):
        self.add_text('-- 27 --')
        self.stateindent.append(node)
    def m28(self, node):
        self.add_text('-- 28 --')
        self.stateindent.append(node)
    def m29(self, node):
        self.add_text('-- 29 --')
        self.stateindent.append(node)
    def m30(self, node):
        self.add_text('-- 30 --')
        self.stateindent.append(node)
    def m31(self, node):
        self.add_text('-- 31 --')
        self.stateindent.append(node)
    def m32(self, node):
        self.add_text('-- 32 --')
        self.stateindent.append(node)
    def m33(self, node):
        self.add_text('-- 33 --')
        self.stateindent.append(node)
    def m34(self, node):
        self.add_text('-- 34 --')
        self.stateindent.append(node)
    def m35(self, node):
        self.add_text('-- 35 --')
        self.stateindent.append(node)
    def m36(self, node):
        self.add_text('-- 36 --')
        self.stateindent.append(node)
    def m37(self, node):
        self.add_text('-- 37 --')
        self.stateindent.append(node)
    def m38(self, node):
        self.add_text('-- 38 --')
        self.stateindent.append(node)
    def m39(self, node):
        self.add_text('-- 39 --')
        self.stateindent.append(node)
    def m40(self, node):
        self.add_text('-- 40 --')
        self.stateindent.append(node)
    def m41(self, node):
        self.add_text('-- 41 --')
        self.stateindent.append(node)
    def m42(self, node):
        self.add_text('-- 42 --')
        self.stateindent.append(node)
    def m43(self, node):
        self.add_text('-- 43 --')
        self.stateindent.append(node)
    def m44(self, node):
        self.add_text('-- 44 --')
        self.stateindent.append(node)
    def m45(self, node):
        self.add_text('-- 45 --')
        self.stateindent.append(node)
    def m46(self, node):
        self.add_text('-- 46 --')
        self.stateindent.append(node)
    def m47(self, node):
        self.add_text('-- 47 --')
        self.stateindent.append(node)
    def m48(self, node):
        self.add_text('-- 48 --')
        self.stateindent.append(node)
    def m49(self, node):
        self.add_text('-- 49 --')
        self.stateindent.append(node)
    def m50(self, node):
        self.add_text('-- 50 --')
        self.stateindent.append(node)
    def m51(self, node):
        self.add_text('-- 51 --')
        self.stateindent.append(node)
    def m52(self, node):
        self.add_text('-- 52 --')
        self.stateindent.append(node)
    def m53(self, node):
        self.add_text('-- 53 --')
        self.stateindent.append(node)
    def m54(self, node):
        self.add_text('-- 54 --')
        self.stateindent.append(node)
    def m55(self, node):
        self.add_text('-- 55 --')
        self.stateindent.append(node)
    def m56(self, node):
        self.add_text('-- 56 --')
        self.stateindent.append(node)
    def m57(self, node):
        self.add_text('-- 57 --')
        self.stateindent.append(node)
    def m58(self, node):
        self.add_text('-- 58 --')
        self.stateindent.append(node)
    def m59(self, node):
        self.add_text('-- 59 --')
        self.stateindent.append(node)
    def m60(self, node):
        self.add_text('-- 60 --')
        self.stateindent.append(node)
    def m61(self, node):
        self.add_text('-- 61 --')
        self.stateindent.append(node)
    def m62(self, node):
        self.add_text('-- 62 --')
        self.stateindent.append(node)
    def m63(self, node):
        self.add_text('-- 63 --')
        self.stateindent.append(node)
    def m64(self, node):
        self.add_text('-- 64 --')
        self.stateindent.append(node)
    def m65(self, node):
        self.add_text('-- 65 --')
        self.stateindent.append(node)
    def m66(self, node):
        self.add_text('-- 66 --')
        self.stateindent.append(node)
    def m67(self, node):
        self.add_text('-- 67 --')
        self.stateindent.append(node)
    def m68(self, node):
        self.add_text('-- 68 --')
        self.stateindent.append(node)
    def m69(self, node):
        self.add_text('-- 69 --')
        self.stateindent.append(node)
    def m70(self, node):
        self.add_text('-- 70 --')
        self.stateindent.append(node)
    def m71(self, node):
        self.add_text('-- 71 --')
        self.stateindent.append(node)
    def m72(self, node):
        self.add_text('-- 72 --')
        self.stateindent.append(node)
    def m73(self, node):
        self.add_text('-- 73 --')
        self.stateindent.append(node)
    def m74(self, node):
        self.add_text('-- 74 --')
        self.stateindent.append(node)
    def m75(self, node):
        self.add_text('-- 75 --')
        self.stateindent.append(node)
    def m76(self, node):
        self.add_text('-- 76 --')
        self.stateindent.append(node)
    def m77(self, node):
        self.add_text('-- 77 --')
        self.stateindent.append(node)
    def m78(self, node):
        self.add_text('-- 78 --')
        self.stateindent.append(node)
    def m79(self, node):
        self.add_text('-- 79 --')
        self.stateindent.append(node)
    def m80(self, node):
        self.add_text('-- 80 --')
        self.stateindent.append(node)
    def m81(self, node):
        self.add_text('-- 81 --')
        self.stateindent.append(node)
    def m82(self, node):
        self.add_text('-- 82 --')
        self.stateindent.append(node)
    def m83(self, node):
        self.add_text('-- 83 --')
        self.stateindent.append(node)
    def m84(self, node):
        self.add_text('-- 84 --')
        self.stateindent.append(node)
    def m85(self, node):
        self.add_text('-- 85 --')
        self.stateindent.append(node)
    def m86(self, node):
        self.add_text('-- 86 --')
        self.stateindent.append(node)
    def m87(self, node):
        self.add_text('-- 87 --')
        self.stateindent.append(node)
    def m88(self, node):
        self.add_text('-- 88 --')
        self.stateindent.append(node)
    def m89(self, node):
        self.add_text('-- 89 --')
        self.stateindent.append(node)
    def m90(self, node):
        self.add_text('-- 90 --')
        self.stateindent.append(node)
    def m91(self, node):
        self.add_text('-- 91 --')
        self.stateindent.append(node)
    def m92(self, node):
        self.add_text('-- 92 --')
        self.stateindent.append(node)
    def m93(self, node):
        self.add_text('-- 93 --')
        self.stateindent.append(node)
    def m94(self, node):
        self.add_text('-- 94 --')
        self.stateindent.append(node)
    def m95(self, node):
        self.add_text('-- 95 --')
        self.stateindent.append(node)
    def m96(self, node):
        self.add_text('-- 96 --')
        self.stateindent.append(node)
    def m97(self, node):
        self.add_text('-- 97 --')
        self.stateindent.append(node)
    def m98(self, node):
        self.add_text('-- 98 --')
        self.stateindent.append(node)
    def m99(self, node):
        self.add_text('-- 99 --')
        self.stateindent.append(node)
    def m100(self, node):
        self.add_text('-- 100 --')
        self.stateindent.append(node)
    def m101(self, node):
        self.add_text('-- 101 --')
        self.stateindent.append(node)
    def m102(self, node):
        self.add_text('-- 102 --')
        self.stateindent.append(node)
    def m103(self, node):
        self.add_text('-- 103 --')
        self.stateindent.append(node)
    def m104(self, node):
        self.add_text('-- 104 --')
        self.stateindent.append(node)
    def m105(self, node):
        self.add_text('-- 105 --')
        self.stateindent.append(node)
    def m106(self, node):
        self.add_text('-- 106 --')
        self.stateindent.append(node)
    def m107(self, node):
        self.add_text('-- 107 --')
        self.stateindent.append(node)
    def m108(self, node):
        self.add_text('-- 108 --')
        self.stateindent.append(node)
    def m109(self, node):
        self.add_text('-- 109 --')
        self.stateindent.append(node)
    def m110(self, node):
        self.add_text('-- 110 --')
        self.stateindent.append(node)
    def m111(self, node):
        self.add_text('-- 111 --')
        self.stateindent.append(node)
    def m112(self, node):
        self.add_text('-- 112 --')
        self.stateindent.append(node)
    def m113(self, node):
        self.add_text('-- 113 --')
        self.stateindent.append(node)
    def m114(self, node):
        self.add_text('-- 114 --')
        self.stateindent.append(node)
    def m115(self, node):
        self.add_text('-- 115 --')
        self.stateindent.append(node)
    def m116(self, node):
        self.add_text('-- 116 --')
        self.stateindent.append(node)
    def m117(self, node):
        self.add_text('-- 117 --')
        self.stateindent.append(node)
    def m118(self, node):
        self.add_text('-- 118 --')
        self.stateindent.append(node)
    def m119(self, node):
        self.add_text('-- 119 --')
        self.stateindent.append(node)
    def m120(self, node):
        self.add_text('-- 120 --')
        self.stateindent.append(node)
    def m121(self, node):
        self.add_text('-- 121 --')
        self.stateindent.append(node)
    def m122(self, node):
        self.add_text('-- 122 --')
        self.stateindent.append(node)
    def m123(self, node):
        self.add_text('-- 123 --')
        self.stateindent.append(node)
    def m124(self, node):
        self.add_text('-- 124 --')
        self.stateindent.append(node)
    def m125(self, node):
        self.add_text('-- 125 --')
        self.stateindent.append(node)
    def m126(self, node):
        self.add_text('-- 126 --')
        self.stateindent.append(node)
    def m127(self, node):
        self.add_text('-- 127 --')
        self.stateindent.append(node)
    def m128(self, node):
        self.add_text('-- 128 --')
        self.stateindent.append(node)
    def m129(self, node):
        self.add_text('-- 129 --')
        self.stateindent.append(node)
    def m130(self, node):
        self.add_text('-- 130 --')
        self.stateindent.append(node)
    def m131(self, node):
        self.add_text('-- 131 --')
        self.stateindent.append(node)
    def m132(self, node):
        self.add_text('-- 132 --')
        self.stateindent.append(node)
    def m133(self, node):
        self.add_text('-- 133 --')
        self.stateindent.append(node)
    def m134(self, node):
        self.add_text('-- 134 --')
        self.stateindent.append(node)
    def m135(self, node):
        self.add_text('-- 135 --')
        self.stateindent.append(node)
    def m136(self, node):
        self.add_text('-- 136 --')
        self.stateindent.append(node)
    def m137(self, node):
        self.add_text('-- 137 --')
        self.stateindent.append(node)
    def m138(self, node):
        self.add_text('-- 138 --')
        self.stateindent.append(node)
    def m139(self, node):
        self.add_text('-- 139 --')
        self.stateindent.append(node)
    def m140(self, node):
        self.add_text('-- 140 --')
        self.stateindent.append(node)
    def m141(self, node):
        self.add_text('-- 141 --')
        self.stateindent.append(node)
    def m142(self, node):
        self.add_text('-- 142 --')
        self.stateindent.append(node)
    def m143(self, node):
        self.add_text('-- 143 --')
        self.stateindent.append(node)
    def m144(self, node):
        self.add_text('-- 144 --')
        self.stateindent.append(node)
    def m145(self, node):
        self.add_text('-- 145 --')
        self.stateindent.append(node)
    def m146(self, node):
        self.add_text('-- 146 --')
        self.stateindent.append(node)
    def m147(self, node):
        self.add_text('-- 147 --')
        self.stateindent.append(node)
    def m148(self, node):
        self.add_text('-- 148 --')
        self.stateindent.append(node)
    def m149(self, node):
        self.add_text('-- 149 --')
        self.stateindent.append(node)
    def m150(self, node):
        self.add_text('-- 150 --')
        self.stateindent.append(node)
    def m151(self, node):
        self.add_text('-- 151 --')
        self.stateindent.append(node)
    def m152(self, node):
        self.add_text('-- 152 --')
        self.stateindent.append(node)
    def m153(self, node):
        self.add_text('-- 153 --')
        self.stateindent.append(node)
    def m154(self, node):
        self.add_text('-- 154 --')
        self.stateindent.append(node)
    def m155(self, node):
        self.add_text('-- 155 --')
        self.stateindent.append(node)
    def m156(self, node):
        self.add_text('-- 156 --')
        self.stateindent.append(node)
    def m157(self, node):
        self.add_text('-- 157 --')
        self.stateindent.append(node)
    def m158(self, node):
        self.add_text('-- 158 --')
        self.stateindent.append(node)
    def m159(self, node):
        self.add_text('-- 159 --')
        self.stateindent.append(node)
    def m160(self, node):
        self.add_text('-- 160 --')
        self.stateindent.append(node)
    def m161(self, node):
        self.add_text('-- 161 --')
        self.stateindent.append(node)
    def m162(self, node):
        self.add_text('-- 162 --')
        self.stateindent.append(node)
    def m163(self, node):
        self.add_text('-- 163 --')
        self.stateindent.append(node)
    def m164(self, node):
        self.add_text('-- 164 --')
        self.stateindent.append(node)
    def m165(self, node):
        self.add_text('-- 165 --')
        self.stateindent.append(node)
    def m166(self, node):
        self.add_text('-- 166 --')
        self.stateindent.append(node)
    def m167(self, node):
        self.add_text('-- 167 --')
        self.stateindent.append(node)
    def m168(self, node):
        self.add_text('-- 168 --')
        self.stateindent.append(node)
    def m169(self, node):
        self.add_text('-- 169 --')
        self.stateindent.append(node)
    def m170(self, node):
        self.add_text('-- 170 --')
        self.stateindent.append(node)
    def m171(self, node):
        self.add_text('-- 171 --')
        self.stateindent.append(node)
    def m172(self, node):
        self.add_text('-- 172 --')
        self.stateindent.append(node)
    def m173(self, node):
        self.add_text('-- 173 --')
        self.stateindent.append(node)
    def m174(self, node):
        self.add_text('-- 174 --')
        self.stateindent.append(node)
    def m175(self, node):
        self.add_text('-- 175 --')
        self.stateindent.append(node)
    def m176(self, node):
        self.add_text('-- 176 --')
        self.stateindent.append(node)
    def m177(self, node):
        self.add_text('-- 177 --')
        self.stateindent.append(node)
    def m178(self, node):
        self.add_text('-- 178 --')
        self.stateindent.append(node)
    def m179(self, node):
        self.add_text('-- 179 --')
        self.stateindent.append(node)
    def m180(self, node):
        self.add_text('-- 180 --')
        self.stateindent.append(node)
    def m181(self, node):
        self.add_text('-- 181 --')
        self.stateindent.append(node)
    def m182(self, node):
        self.add_text('-- 182 --')
        self.stateindent.append(node)
    def m183(self, node):
        self.add_text('-- 183 --')
        self.stateindent.append(node)
    def m184(self, node):
        self.add_text('-- 184 --')
        self.stateindent.append(node)
    def m185(self, node):
        self.add_text('-- 185 --')
        self.stateindent.append(node)
    def m186(self, node):
        self.add_text('-- 186 --')
        self.stateindent.append(node)
    def m187(self, node):
        self.add_text('-- 187 --')
        self.stateindent.append(node)
    def m188(self, node):
        self.add_text('-- 188 --')
        self.stateindent.append(node)
    def m189(self, node):
        self.add_text('-- 189 --')
        self.stateindent.append(node)
    def m190(self, node):
        self.add_text('-- 190 --')
        self.stateindent.append(node)
    def m191(self, node):
        self.add_text('-- 191 --')
        self.stateindent.append(node)
    def m192(self, node):
        self.add_text('-- 192 --')
        self.stateindent.append(node)
    def m193(self, node):
        self.add_text('-- 193 --')
        self.stateindent.append(node)
    def m194(self, node):
        self.add_text('-- 194 --')
        self.stateindent.append(node)
    def m195(self, node):
        self.add_text('-- 195 --')
        self.stateindent.append(node)
    def m196(self, node):
        self.add_text('-- 196 --')
        self.stateindent.append(node)
    def m197(self, node):
        self.add_text('-- 197 --')
        self.stateindent.append(node)
    def m198(self, node):
        self.add_text('-- 198 --')
        self.stateindent.append(node)
    def m199(self, node):
        self.add_text('-- 199 --')
        self.stateindent.append(node)
    def m200(self, node):
        self.add_text('-- 200 --')
        self.stateindent.append(node)
    def m201(self, node):
        self.add_text('-- 201 --')
        self.stateindent.append(node)
    def m202(self, node):
        self.add_text('-- 202 --')
        self.stateindent.append(node)
    def m203(self, node):
        self.add_text('-- 203 --')
        self.stateindent.append(node)
    def m204(self, node):
        self.add_text('-- 204 --')
        self.stateindent.append(node)
    def m205(self, node):
        self.add_text('-- 205 --')
        self.stateindent.append(node)
    def m206(self, node):
        self.add_text('-- 206 --')
        self.stateindent.append(node)
    def m207(self, node):
        self.add_text('-- 207 --')
        self.stateindent.append(node)
    def m208(self, node):
        self.add_text('-- 208 --')
        self.stateindent.append(node)
    def m209(self, node):
        self.add_text('-- 209 --')
        self.stateindent.append(node)
    def m210(self, node):
        self.add_text('-- 210 --')
        self.stateindent.append(node)
    def m211(self, node):
        self.add_text('-- 211 --')
        self.stateindent.append(node)
    def m212(self, node):
        self.add_text('-- 212 --')
        self.stateindent.append(node)
    def m213(self, node):
        self.add_text('-- 213 --')
        self.stateindent.append(node)
    def m214(self, node):
        self.add_text('-- 214 --')
        self.stateindent.append(node)
    def m215(self, node):
        self.add_text('-- 215 --')
        self.stateindent.append(node)
    def m216(self, node):
        self.add_text('-- 216 --')
        self.stateindent.append(node)
    def m217(self, node):
        self.add_text('-- 217 --')
        self.stateindent.append(node)
    def m218(self, node):
        self.add_text('-- 218 --')
        self.stateindent.append(node)
    def m219(self, node):
        self.add_text('-- 219 --')
        self.stateindent.append(node)
    def m220(self, node):
        self.add_text('-- 220 --')
        self.stateindent.append(node)
    def m221(self, node):
        self.add_text('-- 221 --')
        self.stateindent.append(node)
    def m222(self, node):
        self.add_text('-- 222 --')
        self.stateindent.append(node)
    def m223(self, node):
        self.add_text('-- 223 --')
        self.stateindent.append(node)
    def m224(self, node):
        self.add_text('-- 224 --')
        self.stateindent.append(node)
    def m225(self, node):
        self.add_text('-- 225 --')
        self.stateindent.append(node)
    def m226(self, node):
        self.add_text('-- 226 --')
        self.stateindent.append(node)
    def m227(self, node):
        self.add_text('-- 227 --')
        self.stateindent.append(node)
    def m228(self, node):
        self.add_text('-- 228 --')
        self.stateindent.append(node)
    def m229(self, node):
        self.add_text('-- 229 --')
        self.stateindent.append(node)
    def m230(self, node):
        self.add_text('-- 230 --')
        self.stateindent.append(node)
    def m231(self, node):
        self.add_text('-- 231 --')
        self.stateindent.append(node)
    def m232(self, node):
        self.add_text('-- 232 --')
        self.stateindent.append(node)
    def m233(self, node):
        self.add_text('-- 233 --')
        self.stateindent.append(node)
    def m234(self, node):
        self.add_text('-- 234 --')
        self.stateindent.append(node)
    def m235(self, node):
        self.add_text('-- 235 --')
        self.stateindent.append(node)
    def m236(self, node):
        self.add_text('-- 236 --')
        self.stateindent.append(node)
    def m237(self, node):
        self.add_text('-- 237 --')
        self.stateindent.append(node)
    def m238(self, node):
        self.add_text('-- 238 --')
        self.stateindent.append(node)
    def m239(self, node):
        self.add_text('-- 239 --')
        self.stateindent.append(node)
    def m240(self, node):
        self.add_text('-- 240 --')
        self.stateindent.append(node)
    def m241(self, node):
        self.add_text('-- 241 --')
        self.stateindent.append(node)
    def m242(self, node):
        self.add_text('-- 242 --')
        self.stateindent.append(node)
    def m243(self, node):
        self.add_text('-- 243 --')
        self.stateindent.append(node)
    def m244(self, node):
        self.add_text('-- 244 --')
        self.stateindent.append(node)
    def m245(self, node):
        self.add_text('-- 245 --')
        self.stateindent.append(node)
    def m246(self, node):
        self.add_text('-- 246 --')
        self.stateindent.append(node)
    def m247(self, node):
        self.add_text('-- 247 --')
        self.stateindent.append(node)
    def m248(self, node):
        self.add_text('-- 248 --')
        self.stateindent.append(node)
    def m249(self, node):
        self.add_text('-- 249 --')
        self.stateindent.append(node)
    def m250(self, node):
        self.add_text('-- 250 --')
        self.stateindent.append(node)
    def m251(self, node):
        self.add_text('-- 251 --')
        self.stateindent.append(node)
    def m252(self, node):
        self.add_text('-- 252 --')
        self.stateindent.append(node)
    def m253(self, node):
        self.add_text('-- 253 --')
        self.stateindent.append(node)
    def m254(self, node):
        self.add_text('-- 254 --')
        self.stateindent.append(node)
    def m255(self, node):
        self.add_text('-- 255 --')
        self.stateindent.append(node)
    def m256(self, node):
        self.add_text('-- 256 --')
        self.stateindent.append(node)
    def m257(self, node):
        self.add_text('-- 257 --')
        self.stateindent.append(node)
    def m258(self, node):
        self.add_text('-- 258 --')
        self.stateindent.append(node)
    def m259(self, node):
        self.add_text('-- 259 --')
        self.stateindent.append(node)
    def m260(self, node):
        self.add_text('-- 260 --')
        self.stateindent.append(node)
    def m261(self, node):
        self.add_text('-- 261 --')
        self.stateindent.append(node)
    def m262(self, node):
        self.add_text('-- 262 --')
        self.stateindent.append(node)
    def m263(self, node):
        self.add_text('-- 263 --')
        self.stateindent.append(node)
    def m264(self, node):
        self.add_text('-- 264 --')
        self.stateindent.append(node)
    def m265(self, node):
        self.add_text('-- 265 --')
        self.stateindent.append(node)
    def m266(self, node):
        self.add_text('-- 266 --')
        self.stateindent.append(node)
    def m267(self, node):
        self.add_text('-- 267 --')
        self.stateindent.append(node)
    def m268(self, node):
        self.add_text('-- 268 --')
        self.stateindent.append(node)
    def m269(self, node):
        self.add_text('-- 269 --')
        self.stateindent.append(node)
    def m270(self, node):
        self.add_text('-- 270 --')
        self.stateindent.append(node)
    def m271(self, node):
        self.add_text('-- 271 --')
        self.stateindent.append(node)
    def m272(self, node):
        self.add_text('-- 272 --')
        self.stateindent.append(node)
    def m273(self, node):
        self.add_text('-- 273 --')
        self.stateindent.append(node)
    def m274(self, node):
        self.add_text('-- 274 --')
        self.stateindent.append(node)
    def m275(self, node):
        self.add_text('-- 275 --')
        self.stateindent.append(node)
    def m276(self, node):
        self.add_text('-- 276 --')
        self.stateindent.append(node)
    def m277(self, node):
        self.add_text('-- 277 --')
        self.stateindent.append(node)
    def m278(self, node):
        self.add_text('-- 278 --')
        self.stateindent.append(node)
    def m279(self, node):
        self.add_text('-- 279 --')
        self.stateindent.append(node)
    def m280(self, node):
        self.add_text('-- 280 --')
        self.stateindent.append(node)
    def m281(self, node):
        self.add_text('-- 281 --')
        self.stateindent.append(node)
    def m282(self, node):
        self.add_text('-- 282 --')
        self.stateindent.append(node)
    def m283(self, node):
        self.add_text('-- 283 --')
        self.stateindent.append(node)
    def m284(self, node):
        self.add_text('-- 284 --')
        self.stateindent.append(node)
    def m285(self, node):
        self.add_text('-- 285 --')
        self.stateindent.append(node)
    def m286(self, node):
        self.add_text('-- 286 --')
        self.stateindent.append(node)
    def m287(self, node):
        self.add_text('-- 287 --')
        self.stateindent.append(node)
    def m288(self, node):
        self.add_text('-- 288 --')
        self.stateindent.append(node)
    def m289(self, node):
        self.add_text('-- 289 --')
        self.stateindent.append(node)
    def m290(self, node):
        self.add_text('-- 290 --')
        self.stateindent.append(node)
    def m291(self, node):
        self.add_text('-- 291 --')
        self.stateindent.append(node)
    def m292(self, node):
        self.add_text('-- 292 --')
        self.stateindent.append(node)
    def m293(self, node):
        self.add_text('-- 293 --')
        self.stateindent.append(node)
    def m294(self, node):
        self.add_text('-- 294 --')
        self.stateindent.append(node)
    def m295(self, node):
        self.add_text('-- 295 --')
        self.stateindent.append(node)
    def m296(self, node):
        self.add_text('-- 296 --')
        self.stateindent.append(node)
    def m297(self, node):
        self.add_text('-- 297 --')
        self.stateindent.append(node)
    def m298(self, node):
        self.add_text('-- 298 --')
        self.stateindent.append(node)
    def m299(self, node):
        self.add_text('-- 299 --')
        self.stateindent.append(node)
