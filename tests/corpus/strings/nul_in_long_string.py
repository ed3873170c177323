x = "ab\x00cdefghijk"
y = "ab\x00c"
