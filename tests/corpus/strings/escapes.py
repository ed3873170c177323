a = "\a\b\f\n\r\t\v\\\'\"\0\x00\x7f\377\1\12\123"
b = b"\a\b\f\n\r\t\v\\\'\"\0\x00\x7f\xff\377"
c = "\u00e9\u20ac\U0001F600"
d = b"\u00e9"
e = "\q\w"
f = r"\n\x\u"
g = br"\n\x" + rb"\t"
h = """multi
line"""
i = \'\'\'also
multi\'\'\'
j = "a" "b" 'c'
k = b"a" b"b"
l = "line\
continued"
m = u"unicode prefix"
