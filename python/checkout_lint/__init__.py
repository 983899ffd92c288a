"""The `checkout-lint` executable, installed by this package's wheel.

The lint is a native binary (Rust); this package only finds it, for
`python -m checkout_lint` and for tools that want its path.
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_checkout_lint_bin"]


def find_checkout_lint_bin() -> str:
    """Return the path of the installed `checkout-lint` executable.

    Looks where installers put a wheel's scripts: this environment's scripts directory
    (a virtualenv, `pip install`, `uv tool`, `pipx`), the base interpreter's, the `bin`
    (or `Scripts`) directory above the package (`pip install --prefix`), the one beside
    it (`pip install --target`) and the user scheme's (`pip install --user`).
    """
    exe = "checkout-lint" + (sysconfig.get_config_var("EXE") or "")
    package_dir = os.path.dirname(os.path.abspath(__file__))
    site_packages = os.path.dirname(package_dir)
    scripts = "Scripts" if sys.platform == "win32" else "bin"
    # <prefix>/lib/python3.X/site-packages on Unix, <prefix>/Lib/site-packages on Windows.
    depth = 2 if sys.platform == "win32" else 3
    prefix = site_packages
    for _ in range(depth):
        prefix = os.path.dirname(prefix)
    candidates = [
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", vars={"base": sys.base_prefix}),
        os.path.join(prefix, scripts),
        os.path.join(site_packages, "bin"),
        sysconfig.get_path("scripts", scheme=_user_scheme()),
    ]
    seen = []
    for directory in candidates:
        if not directory or directory in seen:
            continue
        seen.append(directory)
        path = os.path.join(directory, exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        "the checkout-lint executable is not installed beside this package; looked in:\n"
        + "\n".join(f" - {directory}" for directory in seen)
        + "\nreinstall it with `pip install --force-reinstall checkout-lint`"
    )


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"
