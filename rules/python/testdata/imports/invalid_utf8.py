import before
x = "ÿþ broken bytes"
Ã( = 1
import after
