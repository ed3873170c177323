x = f"\xZZ{1}"
