"""A docstring that mentions
import not_an_import
from not_a import module
"""
# import not_in_comment
s1 = 'import not_single_quoted'
s2 = "from x import not_double_quoted"
s3 = '''
import not_triple_single
'''
s4 = rb"\import raw_bytes"
s5 = f"{'import'} not_fstring {x!r:>{width}} {d['k']}"
s6 = F'''{
    x
} import not_multiline_fstring'''
s7 = Rb'''import''' ; import after_strings
s8 = "escaped \" quote import not_escaped"
s9 = 'line \
continued import not_continued'
x = (1 +
     2) ; import after_parens
total = 1 + \
    2
import after_continuation
import \
    backslash_continued
y = {'a': [1, (2, 3)]}
import after_brackets
