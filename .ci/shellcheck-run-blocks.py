"""shellcheck on every bash `run:` block of GitHub workflow and composite action files.

As actionlint does when shellcheck is installed: `${{ ... }}` expressions become
placeholders of the same length, and the checks that expression placeholders and
GitHub-provided variables set off are excluded. Usage: python shellcheck-run-blocks.py
FILE... (shellcheck on PATH, PyYAML importable). Exits 1 on any finding.
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

# Those actionlint excludes: sourced files, constant conditions from placeholders,
# variables GitHub sets.
EXCLUDED = "SC1091,SC2050,SC2154,SC2157,SC2194"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def steps_of(document):
    """(where, step) for every step of a workflow's jobs or a composite action."""
    jobs = document.get("jobs") or {}
    for job_id, job in jobs.items():
        for index, step in enumerate((job or {}).get("steps") or []):
            yield f"jobs.{job_id}.steps[{index}]", step, job.get("defaults")
    runs = document.get("runs") or {}
    for index, step in enumerate(runs.get("steps") or []):
        yield f"runs.steps[{index}]", step, None


def main(files):
    failures = 0
    checked = 0
    for file in files:
        with open(file, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        for where, step, defaults in steps_of(document):
            script = step.get("run")
            if script is None:
                continue
            shell = step.get("shell") or ((defaults or {}).get("run") or {}).get("shell") or "bash"
            if shell not in ("bash", "sh"):
                continue
            script = EXPRESSION.sub(lambda m: "_" * len(m.group(0)), script)
            with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as out:
                out.write(script)
            try:
                result = subprocess.run(
                    ["shellcheck", f"--shell={shell}", f"--exclude={EXCLUDED}", out.name],
                    capture_output=True,
                    text=True,
                )
            finally:
                os.unlink(out.name)
            checked += 1
            if result.returncode != 0:
                failures += 1
                name = step.get("name") or step.get("id") or ""
                print(f"{file}: {where} {name}:")
                print(result.stdout.replace(out.name, f"{file}:{where}"))
    print(f"shellcheck: {checked} run block(s), {failures} with findings")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
