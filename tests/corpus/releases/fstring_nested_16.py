try:
    value = f"{f'''}}'''!s:^{b}.{g}}{range + True:,}{x:<{x}}"
                b = {f'{_p:{f}}{{{range:_}': 0xE0EA91a6971362CDEAdFb3e6A >= 0x3fffffffffffffff, 0x4000000000000000: __class__}
            c = (t'''{__class__ + 16384:=+8}}}''')
