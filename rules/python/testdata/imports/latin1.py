# -*- coding: latin-1 -*-
s = "café à la crème"
import after_latin1
# comment with ÿ bytes
from pkg import name
