a = r"\"" + b'\xff' + f"{x!r:>{w}}" + rb'''raw
bytes''' + F"{d["k"]}" + "implicit" 'concat'
if a:
    b = (1 +
         2) \
        + 3
	c = 0x1F + 1.5e-3j
query = f"SELECT * FROM t WHERE id = {uid}"
cursor.execute(query)
