def f():
    for i in range(3):
        try:
            if i: continue
            return i
        finally:
            break
    while 1:
        try:
            try:
                break
            finally:
                return 5
        finally:
            pass
    try:
        return 1
    finally:
        return 2
def g():
    for x in y:
        try:
            pass
        except E as e:
            continue
        except (A, B):
            break
        except:
            raise
        else:
            return
        finally:
            del x
def h():
    with a as b:
        for x in y:
            with c:
                try:
                    return x
                finally:
                    break
    while 1:
        with a:
            continue
