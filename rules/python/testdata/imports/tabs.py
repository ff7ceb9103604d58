try:
	import weak_tab
	if True:
		import weak_tab_nested
except ImportError:
	pass
if x:
	import in_if_tab
	# comment
	import still_in_if
class C:
	def f(self):
		try:
			import weak_deep_tab
		except (ImportError):
			pass
		import strong_deep_tab
