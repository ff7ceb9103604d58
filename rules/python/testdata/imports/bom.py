import after_bom
from x import y
