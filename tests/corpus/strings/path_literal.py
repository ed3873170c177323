x = "tests/corpus/strings/path_literal.py"
y = b"tests/corpus/strings/path_literal.py"
