x = 1j.real
