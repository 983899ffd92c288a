"""`python -m checkout_lint ARGS...` runs the `checkout-lint` executable with ARGS."""

from __future__ import annotations

import os
import sys

from checkout_lint import find_checkout_lint_bin


def _run() -> None:
    try:
        binary = find_checkout_lint_bin()
    except FileNotFoundError as error:
        print(f"checkout-lint: {error}", file=sys.stderr)
        sys.exit(2)
    if sys.platform == "win32":
        import subprocess

        try:
            completed = subprocess.run([binary, *sys.argv[1:]])
        except KeyboardInterrupt:
            sys.exit(2)
        sys.exit(completed.returncode)
    else:
        os.execvp(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    _run()
