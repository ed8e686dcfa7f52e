x = "unterminated
ÿş = 1
f"{a
"""never closed