class é:
    def m(self):
        nonlocal q
