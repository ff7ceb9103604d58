from acme.agent.platform_info import PLATFORMS, native_info


def test_native_info_names_a_known_platform():
    info = native_info()
    assert info["platform"] in PLATFORMS
    suffix = ".dylib" if info["platform"].startswith("macos") else ".so"
    assert info["library"] == "libacmekernel" + suffix
