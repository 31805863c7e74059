"""Offline stand-in for pip's get-pip.py bootstrap script, for ansible-test.

ansible-test bootstraps pip in the virtualenvs of its sanity tests by downloading get-pip.py
from ci-files.testing.ansible.com, which is not reachable from the lab's machines. This script
takes the same command line: it installs the bundled pip with ensurepip, then installs the
requested packages (e.g. ``pip==24.2``) from the package index. get-pip-only flags
(--no-setuptools, --no-wheel) are dropped: ensurepip installs neither.

ensurepip runs in a child process: in-process it sets PIP_CONFIG_FILE=/dev/null in
os.environ, which would hide the machine's pip configuration (index, CA bundle) from the
install that follows.
"""

import subprocess
import sys


def main():
    args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], stdout=subprocess.DEVNULL)
    if args:
        subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
