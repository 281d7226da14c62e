"""`python -m companion` runs the console script."""

import sys

from companion.launcher import main

sys.exit(main())
