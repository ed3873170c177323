def f0(a, b=0):
    return a + b
def f1(a, b=1):
    return a + b
def f2(a, b=2):
    return a + b
def f3(a, b=3):
    return a + b
def f4(a, b=4):
    return a + b
def f5(a, b=5):
    return a + b
def f6(a, b=6):
    return a + b
def f7(a, b=7):
    return a + b
def f8(a, b=8):
    return a + b
def f9(a, b=9):
    return a + b
def f10(a, b=10):
    return a + b
def f11(a, b=11):
    return a + b
def f12(a, b=12):
    return a + b
def f13(a, b=13):
    return a + b
def f14(a, b=14):
    return a + b
def f15(a, b=15):
    return a + b
def f16(a, b=16):
    return a + b
def f17(a, b=17):
    return a + b
def f18(a, b=18):
    return a + b
def f19(a, b=19):
    return a + b
def f20(a, b=20):
    return a + b
def f21(a, b=21):
    return a + b
def f22(a, b=22):
    return a + b
def f23(a, b=23):
    return a + b
def f24(a, b=24):
    return a + b
def f25(a, b=25):
    return a + b
def f26(a, b=26):
    return a + b
def f27(a, b=27):
    return a + b
def f28(a, b=28):
    return a + b
def f29(a, b=29):
    return a + b
def f30(a, b=30):
    return a + b
def f31(a, b=31):
    return a + b
def f32(a, b=32):
    return a + b
def f33(a, b=33):
    return a + b
def f34(a, b=34):
    return a + b
def f35(a, b=35):
    return a + b
def f36(a, b=36):
    return a + b
def f37(a, b=37):
    return a + b
def f38(a, b=38):
    return a + b
def f39(a, b=39):
    return a + b
def f40(a, b=40):
    return a + b
def f41(a, b=41):
    return a + b
def f42(a, b=42):
    return a + b
def f43(a, b=43):
    return a + b
def f44(a, b=44):
    return a + b
def f45(a, b=45):
    return a + b
def f46(a, b=46):
    return a + b
def f47(a, b=47):
    return a + b
def f48(a, b=48):
    return a + b
def f49(a, b=49):
    return a + b
def f50(a, b=50):
    return a + b
def f51(a, b=51):
    return a + b
def f52(a, b=52):
    return a + b
def f53(a, b=53):
    return a + b
def f54(a, b=54):
    return a + b
def f55(a, b=55):
    return a + b
def f56(a, b=56):
    return a + b
def f57(a, b=57):
    return a + b
def f58(a, b=58):
    return a + b
def f59(a, b=59):
    return a + b
def f60(a, b=60):
    return a + b
def f61(a, b=61):
    return a + b
def f62(a, b=62):
    return a + b
def f63(a, b=63):
    return a + b
def f64(a, b=64):
    return a + b
def f65(a, b=65):
    return a + b
def f66(a, b=66):
    return a + b
def f67(a, b=67):
    return a + b
def f68(a, b=68):
    return a + b
def f69(a, b=69):
    return a + b
def f70(a, b=70):
    return a + b
def f71(a, b=71):
    return a + b
def f72(a, b=72):
    return a + b
def f73(a, b=73):
    return a + b
def f74(a, b=74):
    return a + b
def f75(a, b=75):
    return a + b
def f76(a, b=76):
    return a + b
def f77(a, b=77):
    return a + b
def f78(a, b=78):
    return a + b
def f79(a, b=79):
    return a + b
def f80(a, b=80):
    return a + b
def f81(a, b=81):
    return a + b
def f82(a, b=82):
    return a + b
def f83(a, b=83):
    return a + b
def f84(a, b=84):
    return a + b
def f85(a, b=85):
    return a + b
def f86(a, b=86):
    return a + b
def f87(a, b=87):
    return a + b
def f88(a, b=88):
    return a + b
def f89(a, b=89):
    return a + b
def f90(a, b=90):
    return a + b
def f91(a, b=91):
    return a + b
def f92(a, b=92):
    return a + b
def f93(a, b=93):
    return a + b
def f94(a, b=94):
    return a + b
def f95(a, b=95):
    return a + b
def f96(a, b=96):
    return a + b
def f97(a, b=97):
    return a + b
def f98(a, b=98):
    return a + b
def f99(a, b=99):
    return a + b
def f100(a, b=100):
    return a + b
def f101(a, b=101):
    return a + b
def f102(a, b=102):
    return a + b
def f103(a, b=103):
    return a + b
def f104(a, b=104):
    return a + b
def f105(a, b=105):
    return a + b
def f106(a, b=106):
    return a + b
def f107(a, b=107):
    return a + b
def f108(a, b=108):
    return a + b
def f109(a, b=109):
    return a + b
def f110(a, b=110):
    return a + b
def f111(a, b=111):
    return a + b
def f112(a, b=112):
    return a + b
def f113(a, b=113):
    return a + b
def f114(a, b=114):
    return a + b
def f115(a, b=115):
    return a + b
def f116(a, b=116):
    return a + b
def f117(a, b=117):
    return a + b
def f118(a, b=118):
    return a + b
def f119(a, b=119):
    return a + b
def f120(a, b=120):
    return a + b
def f121(a, b=121):
    return a + b
def f122(a, b=122):
    return a + b
def f123(a, b=123):
    return a + b
def f124(a, b=124):
    return a + b
def f125(a, b=125):
    return a + b
def f126(a, b=126):
    return a + b
def f127(a, b=127):
    return a + b
def f128(a, b=128):
    return a + b
def f129(a, b=129):
    return a + b
def f130(a, b=130):
    return a + b
def f131(a, b=131):
    return a + b
def f132(a, b=132):
    return a + b
def f133(a, b=133):
    return a + b
def f134(a, b=134):
    return a + b
def f135(a, b=135):
    return a + b
def f136(a, b=136):
    return a + b
def f137(a, b=137):
    return a + b
def f138(a, b=138):
    return a + b
def f139(a, b=139):
    return a + b
def f140(a, b=140):
    return a + b
def f141(a, b=141):
    return a + b
def f142(a, b=142):
    return a + b
def f143(a, b=143):
    return a + b
def f144(a, b=144):
    return a + b
def f145(a, b=145):
    return a + b
def f146(a, b=146):
    return a + b
def f147(a, b=147):
    return a + b
def f148(a, b=148):
    return a + b
def f149(a, b=149):
    return a + b
def f150(a, b=150):
    return a + b
def f151(a, b=151):
    return a + b
def f152(a, b=152):
    return a + b
def f153(a, b=153):
    return a + b
def f154(a, b=154):
    return a + b
def f155(a, b=155):
    return a + b
def f156(a, b=156):
    return a + b
def f157(a, b=157):
    return a + b
def f158(a, b=158):
    return a + b
def f159(a, b=159):
    return a + b
def f160(a, b=160):
    return a + b
def f161(a, b=161):
    return a + b
def f162(a, b=162):
    return a + b
def f163(a, b=163):
    return a + b
def f164(a, b=164):
    return a + b
def f165(a, b=165):
    return a + b
def f166(a, b=166):
    return a + b
def f167(a, b=167):
    return a + b
def f168(a, b=168):
    return a + b
def f169(a, b=169):
    return a + b
def f170(a, b=170):
    return a + b
def f171(a, b=171):
    return a + b
def f172(a, b=172):
    return a + b
def f173(a, b=173):
    return a + b
def f174(a, b=174):
    return a + b
def f175(a, b=175):
    return a + b
def f176(a, b=176):
    return a + b
def f177(a, b=177):
    return a + b
def f178(a, b=178):
    return a + b
def f179(a, b=179):
    return a + b
def f180(a, b=180):
    return a + b
def f181(a, b=181):
    return a + b
def f182(a, b=182):
    return a + b
def f183(a, b=183):
    return a + b
def f184(a, b=184):
    return a + b
def f185(a, b=185):
    return a + b
def f186(a, b=186):
    return a + b
def f187(a, b=187):
    return a + b
def f188(a, b=188):
    return a + b
def f189(a, b=189):
    return a + b
def f190(a, b=190):
    return a + b
def f191(a, b=191):
    return a + b
def f192(a, b=192):
    return a + b
def f193(a, b=193):
    return a + b
def f194(a, b=194):
    return a + b
def f195(a, b=195):
    return a + b
def f196(a, b=196):
    return a + b
def f197(a, b=197):
    return a + b
def f198(a, b=198):
    return a + b
def f199(a, b=199):
    return a + b
def f200(a, b=200):
    return a + b
def f201(a, b=201):
    return a + b
def f202(a, b=202):
    return a + b
def f203(a, b=203):
    return a + b
def f204(a, b=204):
    return a + b
def f205(a, b=205):
    return a + b
def f206(a, b=206):
    return a + b
def f207(a, b=207):
    return a + b
def f208(a, b=208):
    return a + b
def f209(a, b=209):
    return a + b
def f210(a, b=210):
    return a + b
def f211(a, b=211):
    return a + b
def f212(a, b=212):
    return a + b
def f213(a, b=213):
    return a + b
def f214(a, b=214):
    return a + b
def f215(a, b=215):
    return a + b
def f216(a, b=216):
    return a + b
def f217(a, b=217):
    return a + b
def f218(a, b=218):
    return a + b
def f219(a, b=219):
    return a + b
def f220(a, b=220):
    return a + b
def f221(a, b=221):
    return a + b
def f222(a, b=222):
    return a + b
def f223(a, b=223):
    return a + b
def f224(a, b=224):
    return a + b
def f225(a, b=225):
    return a + b
def f226(a, b=226):
    return a + b
def f227(a, b=227):
    return a + b
def f228(a, b=228):
    return a + b
def f229(a, b=229):
    return a + b
def f230(a, b=230):
    return a + b
def f231(a, b=231):
    return a + b
def f232(a, b=232):
    return a + b
def f233(a, b=233):
    return a + b
def f234(a, b=234):
    return a + b
def f235(a, b=235):
    return a + b
def f236(a, b=236):
    return a + b
def f237(a, b=237):
    return a + b
def f238(a, b=238):
    return a + b
def f239(a, b=239):
    return a + b
def f240(a, b=240):
    return a + b
def f241(a, b=241):
    return a + b
def f242(a, b=242):
    return a + b
def f243(a, b=243):
    return a + b
def f244(a, b=244):
    return a + b
def f245(a, b=245):
    return a + b
def f246(a, b=246):
    return a + b
def f247(a, b=247):
    return a + b
def f248(a, b=248):
    return a + b
def f249(a, b=249):
    return a + b
def f250(a, b=250):
    return a + b
def f251(a, b=251):
    return a + b
def f252(a, b=252):
    return a + b
def f253(a, b=253):
    return a + b
def f254(a, b=254):
    return a + b
def f255(a, b=255):
    return a + b
def f256(a, b=256):
    return a + b
def f257(a, b=257):
    return a + b
def f258(a, b=258):
    return a + b
def f259(a, b=259):
    return a + b
def f260(a, b=260):
    return a + b
def f261(a, b=261):
    return a + b
def f262(a, b=262):
    return a + b
def f263(a, b=263):
    return a + b
def f264(a, b=264):
    return a + b
def f265(a, b=265):
    return a + b
def f266(a, b=266):
    return a + b
def f267(a, b=267):
    return a + b
def f268(a, b=268):
    return a + b
def f269(a, b=269):
    return a + b
def f270(a, b=270):
    return a + b
def f271(a, b=271):
    return a + b
def f272(a, b=272):
    return a + b
def f273(a, b=273):
    return a + b
def f274(a, b=274):
    return a + b
def f275(a, b=275):
    return a + b
def f276(a, b=276):
    return a + b
def f277(a, b=277):
    return a + b
def f278(a, b=278):
    return a + b
def f279(a, b=279):
    return a + b
def f280(a, b=280):
    return a + b
def f281(a, b=281):
    return a + b
def f282(a, b=282):
    return a + b
def f283(a, b=283):
    return a + b
def f284(a, b=284):
    return a + b
def f285(a, b=285):
    return a + b
def f286(a, b=286):
    return a + b
def f287(a, b=287):
    return a + b
def f288(a, b=288):
    return a + b
def f289(a, b=289):
    return a + b
def f290(a, b=290):
    return a + b
def f291(a, b=291):
    return a + b
def f292(a, b=292):
    return a + b
def f293(a, b=293):
    return a + b
def f294(a, b=294):
    return a + b
def f295(a, b=295):
    return a + b
def f296(a, b=296):
    return a + b
def f297(a, b=297):
    return a + b
def f298(a, b=298):
    return a + b
def f299(a, b=299):
    return a + b
