try:
            f'''ab{len:^{n}.{a}}{f"""{rf"{z:_}{{x=":{const}{const}}{f!s:#x}""":_}'''
ÿÃ#
            x = (f'''{__class__:<{b}}{abcdefghijk!r:.{n}f}}}''', const(-4611686018427387904),)
